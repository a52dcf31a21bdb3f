"""Step Functions state machines, created on the backend through its own API."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from harness.states.errors import InvalidDefinition
from harness.states.validation import validate_definition
from provisioning.builders.base import error_code

STATES_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}
TYPES = ("STANDARD", "EXPRESS")
# The seed writes its ARNs as arn:aws:lambda:REGION:ACCOUNT:function:Name, to be filled in per account.
_PLACEHOLDER_ARN = re.compile(r"arn:aws:([a-z0-9-]+):REGION:ACCOUNT:")


def resolve_arns(definition: str, account: Account) -> str:
    """The definition with the REGION and ACCOUNT placeholders of its ARNs replaced by the account's."""
    return _PLACEHOLDER_ARN.sub(lambda m: f"arn:aws:{m[1]}:{account.region}:{account.account_id}:", definition)


@dataclass(frozen=True)
class StateMachine:
    """A state machine: name, ASL definition (JSON text or a dict), the IAM role it runs as, its type.

    The definition is validated locally first, so a bad one is refused with the state and field named.
    """

    name: str
    definition: str | dict[str, Any]
    role: str
    type: str = "STANDARD"

    def __post_init__(self) -> None:
        if not re.match(r"^[A-Za-z0-9_-]{1,80}$", self.name):
            raise ValueError(f"state machine name {self.name!r} must be 1-80 letters, digits, '-' or '_'")
        if self.type not in TYPES:
            raise ValueError(f"state machine {self.name}: type {self.type!r} is not one of {TYPES}")

    def definition_for(self, account: Account) -> str:
        """The definition text as created in `account` (placeholders resolved), once it is valid ASL."""
        text = self.definition if isinstance(self.definition, str) else json.dumps(self.definition, indent=2)
        text = resolve_arns(text, account)
        try:
            validate_definition(text)
        except InvalidDefinition as exc:
            raise InvalidDefinition(f"state machine {self.name}: {exc}") from None
        return text

    def arn(self, account: Account) -> str:
        """The state machine's ARN in `account`."""
        return account.arn("states", f"stateMachine:{self.name}")

    def create(self, account: Account) -> dict[str, Any]:
        """Create the state machine (or bring an existing one up to this definition) and return its ARN."""
        definition = self.definition_for(account)
        client = account.client("stepfunctions")
        role_arn = account.iam_arn(f"role/{self.role}")
        try:
            created = client.create_state_machine(
                name=self.name, definition=definition, roleArn=role_arn, type=self.type
            )
            arn = created["stateMachineArn"]
        except ClientError as exc:
            if error_code(exc) != "StateMachineAlreadyExists":
                raise
            arn = self.arn(account)
            client.update_state_machine(stateMachineArn=arn, definition=definition, roleArn=role_arn)
        return {"arn": arn, "name": self.name}

    def delete(self, account: Account) -> None:
        """Delete the state machine (no error if it is already gone)."""
        try:
            account.client("stepfunctions").delete_state_machine(stateMachineArn=self.arn(account))
        except ClientError as exc:
            if error_code(exc) not in {"StateMachineDoesNotExist", "ResourceNotFound"}:
                raise
