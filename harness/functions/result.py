"""What an invocation returns: the payload or Lambda's error document, and its log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from harness.functions.logs import InvocationLog


class FunctionError(RuntimeError):
    """Raised by `InvocationResult.value()` when the function failed."""

    def __init__(self, function_name: str, error: dict[str, Any]) -> None:
        self.function_name = function_name
        self.error = error
        self.error_type = error.get("errorType", "")
        super().__init__(f"{function_name} failed with {self.error_type}: {error.get('errorMessage', '')}")


@dataclass
class InvocationResult:
    """The outcome of one invocation, shaped like Lambda's Invoke response."""

    function_name: str
    request_id: str
    payload: Any
    error: dict[str, Any] | None
    log: InvocationLog
    duration_ms: float
    raw: bytes | None = None  # what a handler returned as bytes, sent as it is (Lambda's Python runtime does so)

    @property
    def ok(self) -> bool:
        """True when the handler returned normally."""
        return self.error is None

    @property
    def function_error(self) -> str | None:
        """`Unhandled` on failure, as in the X-Amz-Function-Error header."""
        return None if self.error is None else "Unhandled"

    def value(self) -> Any:
        """The handler's return value, or FunctionError if it failed."""
        if self.error is not None:
            raise FunctionError(self.function_name, self.error)
        return self.payload

    def body(self) -> bytes:
        """The response body Lambda would send: the payload or the error document, as JSON (bytes as they are)."""
        if self.error is None and self.raw is not None:
            return self.raw
        return json.dumps(self.error if self.error is not None else self.payload).encode()
