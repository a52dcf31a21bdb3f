"""What every resource builder does: create idempotently, wait until usable, delete, report outputs."""

from __future__ import annotations

from typing import Any, Protocol

from harness.backends.base import Account
from harness.backends.errors import error_code

__all__ = ["Resource", "error_code"]


class Resource(Protocol):
    """A declared AWS resource that provisioning can create on any backend."""

    name: str

    def create(self, account: Account) -> dict[str, Any]:
        """Create (or find) the resource, wait until it is usable, return its outputs (at least `arn`)."""
        ...

    def delete(self, account: Account) -> None:
        """Delete the resource and what it holds; no error if it is already gone."""
        ...
