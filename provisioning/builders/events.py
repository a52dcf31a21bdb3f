"""EventBridge event buses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from provisioning.builders.base import error_code


@dataclass(frozen=True)
class EventBus:
    """A custom event bus."""

    name: str

    def create(self, account: Account) -> dict[str, Any]:
        """Create the bus if missing and return its ARN."""
        client = account.client("events")
        try:
            client.create_event_bus(Name=self.name)
        except ClientError as exc:
            if error_code(exc) != "ResourceAlreadyExistsException":
                raise
        return {"arn": client.describe_event_bus(Name=self.name)["Arn"], "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the bus (no error if missing)."""
        try:
            account.client("events").delete_event_bus(Name=self.name)
        except ClientError as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
