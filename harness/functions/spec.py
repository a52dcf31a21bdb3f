"""How a function is declared: name, handler path and the settings Lambda would hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HANDLER = re.compile(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*")
_LAMBDA_HANDLER = re.compile(r"[^\s]{1,128}")  # what Lambda's API accepts; the runtime judges it at invoke
RUNTIME_MODES = ("in_process", "process")
LOG_FORMATS = ("Text", "JSON")
APPLICATION_LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
SYSTEM_LOG_LEVELS = ("DEBUG", "INFO", "WARN")
# The values PutRetentionPolicy accepts for retentionInDays.
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


@dataclass(frozen=True)
class LoggingConfig:
    """A function's `LoggingConfig`: log format, log levels (JSON format only) and log group.

    As in Lambda, the levels default to INFO when the format is JSON and do not apply to Text.
    """

    log_format: str = "Text"
    application_log_level: str | None = None
    system_log_level: str | None = None
    log_group: str | None = None

    def __post_init__(self) -> None:
        if self.log_format not in LOG_FORMATS:
            raise ValueError(f"LogFormat {self.log_format!r} must be one of {', '.join(LOG_FORMATS)}")
        levels = ((self.application_log_level, APPLICATION_LOG_LEVELS, "ApplicationLogLevel"),)
        levels += ((self.system_log_level, SYSTEM_LOG_LEVELS, "SystemLogLevel"),)
        for value, allowed, what in levels:
            if value is None:
                continue
            if value not in allowed:
                raise ValueError(f"{what} {value!r} must be one of {', '.join(allowed)}")
            if self.log_format != "JSON":
                raise ValueError(f"{what} needs LogFormat JSON; Lambda ignores log levels in Text format")
        if self.log_group is not None and not re.fullmatch(r"[\w\-/.#]{1,512}", self.log_group):
            raise ValueError(f"log group name {self.log_group!r} must be 1-512 of letters, digits, _ - / . #")

    @property
    def is_json(self) -> bool:
        """True when the function logs in JSON."""
        return self.log_format == "JSON"

    def group_for(self, function_name: str) -> str:
        """The log group the function writes to: its own `/aws/lambda/<name>` unless another is set."""
        return self.log_group or f"/aws/lambda/{function_name}"

    def as_api(self, function_name: str) -> dict[str, str]:
        """The LoggingConfig structure GetFunctionConfiguration returns."""
        config = {"LogFormat": self.log_format, "LogGroup": self.group_for(function_name)}
        if self.is_json:
            config["ApplicationLogLevel"] = self.application_log_level or "INFO"
            config["SystemLogLevel"] = self.system_log_level or "INFO"
        return config


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
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    log_retention_days: int | None = None  # None: the log group never expires, as Lambda creates it

    def __post_init__(self) -> None:
        if isinstance(self.logging, dict):  # from dataclasses.asdict() of a spec, when a copy is rebuilt
            object.__setattr__(self, "logging", LoggingConfig(**self.logging))
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
        if self.log_retention_days is not None and self.log_retention_days not in RETENTION_DAYS:
            raise ValueError(
                f"log retention {self.log_retention_days} days of {self.name} must be one of {RETENTION_DAYS}"
            )

    @property
    def module(self) -> str:
        """The handler's module path."""
        return self.handler.rsplit(".", 1)[0]

    @property
    def attribute(self) -> str:
        """The handler's function name inside its module."""
        return self.handler.rsplit(".", 1)[1]
