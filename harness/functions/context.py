"""The Lambda context object handed to a handler."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class LambdaContext:
    """Mirrors the attributes and method of the Python runtime's context object."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    memory_limit_in_mb: int
    timeout_seconds: float
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = ""
    identity: object = None
    client_context: object = None
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        if not self.log_group_name:
            self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the configured timeout, never below zero."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
