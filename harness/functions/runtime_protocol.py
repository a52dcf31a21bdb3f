"""What every function runtime offers its callers (event sources, routing, Step Functions, the Lambda API)."""

from __future__ import annotations

from typing import Any, Protocol

from harness.functions.logs import FunctionLogs
from harness.functions.result import InvocationResult
from harness.functions.spec import FunctionSpec


class LambdaRuntime(Protocol):
    """The interface shared by the in-process FunctionRuntime and the worker-process ProcessRuntime."""

    spec: FunctionSpec
    arn: str
    role_arn: str
    environment: dict[str, str]
    logs: FunctionLogs
    invocation_count: int
    mode: str  # "in_process" or "process"

    def invoke(self, event: Any, *, request_id: str | None = None) -> InvocationResult:
        """Run the handler with `event`, at most the configured timeout."""
        ...

    def reset(self) -> None:
        """Make the next invocation a cold start."""
        ...

    def reconfigure(self, spec: FunctionSpec, environment: dict[str, str], code_path: str | None = None) -> None:
        """Take new settings or code; the next invocation starts cold."""
        ...
