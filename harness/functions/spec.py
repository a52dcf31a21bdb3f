"""How a function is declared: name, handler path and the settings Lambda would hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HANDLER = re.compile(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*")
_LAMBDA_HANDLER = re.compile(r"[^\s]{1,128}")  # what Lambda's API accepts; the runtime judges it at invoke
RUNTIME_MODES = ("in_process", "process")


@dataclass(frozen=True)
class FunctionSpec:
    """A Lambda function as provisioning declares it.

    `handler` is `package.module.function`, e.g. `handlers.stream_processing.sensor_producer.lambda_handler`.
    `runtime_mode` chooses where it runs: `in_process` (threads of this process: debugger, coverage, exact
    exception types) or `process` (a warm worker process per instance: real timeouts and memory use).
    `code_path` is a directory holding the function's own code (an extracted zip), which leads the
    worker's import path; such a function runs in the process runtime and its handler is Lambda's
    `module.function` or `dir/module.function` form.
    """

    name: str
    handler: str
    timeout: float = 3.0
    memory_size: int = 128
    environment: dict[str, str] = field(default_factory=dict)
    runtime: str = "python3.12"
    role: str = "LambdaLabRole"
    description: str = ""
    runtime_mode: str = "in_process"
    code_path: str | None = None

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"function name {self.name!r} must be 1-64 letters, digits, '-' or '_'")
        if self.runtime_mode not in RUNTIME_MODES:
            raise ValueError(f"runtime_mode {self.runtime_mode!r} of {self.name} must be one of {RUNTIME_MODES}")
        if self.code_path is not None:
            if self.runtime_mode != "process":
                raise ValueError(
                    f"{self.name} has its own code ({self.code_path}): it runs with runtime_mode 'process'"
                )
            if not _LAMBDA_HANDLER.fullmatch(self.handler):
                raise ValueError(f"handler {self.handler!r} of {self.name} must be 1-128 characters without spaces")
        elif not _HANDLER.fullmatch(self.handler):
            raise ValueError(f"handler {self.handler!r} of {self.name} must look like 'package.module.function'")
        if not 1 <= self.timeout <= 900:
            raise ValueError(f"timeout {self.timeout} of {self.name} must be between 1 and 900 seconds")
        if not 128 <= self.memory_size <= 10240:
            raise ValueError(f"memory size {self.memory_size} of {self.name} must be between 128 and 10240 MB")
        bad = [key for key in self.environment if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key)]
        if bad:
            raise ValueError(f"environment variable names {bad} of {self.name} are not valid")

    @property
    def module(self) -> str:
        """The handler's module path."""
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        """The handler's function name inside its module."""
        return self.handler.rsplit(".", 1)[1]
