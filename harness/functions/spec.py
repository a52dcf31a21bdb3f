"""How a function is declared: name, handler path and the settings Lambda would hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HANDLER = re.compile(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*")


@dataclass(frozen=True)
class FunctionSpec:
    """A Lambda function as provisioning declares it.

    `handler` is `package.module.function`, e.g. `handlers.stream_processing.sensor_producer.lambda_handler`.
    """

    name: str
    handler: str
    timeout: float = 3.0
    memory_size: int = 128
    environment: dict[str, str] = field(default_factory=dict)
    runtime: str = "python3.12"
    role: str = "LambdaLabRole"
    description: str = ""

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"function name {self.name!r} must be 1-64 letters, digits, '-' or '_'")
        if not _HANDLER.fullmatch(self.handler):
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
