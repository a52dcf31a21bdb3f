"""The functions of one account: declared specs, their runtimes, lookup by name or ARN."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from harness.backends.base import Account
from harness.functions.process_runtime import ProcessRuntime
from harness.functions.runtime import FunctionRuntime
from harness.functions.spec import FunctionSpec
from harness.observability.telemetry import DISABLED, Telemetry

# A qualified lookup (name, qualifier) -> the runtime of that version or alias, or None if there is none.
QualifierResolver = Callable[[str, str], "FunctionRuntime | ProcessRuntime | None"]

RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)
_PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "PYTHONHASHSEED", "TMPDIR", "SSL_CERT_FILE")
TASK_ROOT = str(Path(__file__).resolve().parents[2])


class FunctionNotFound(LookupError):
    """No function by that name or ARN in this account."""


class FunctionExists(ValueError):
    """A function by that name is already registered."""


class FunctionRegistry:
    """Builds each function's environment and runtime, and finds them again by name or ARN."""

    def __init__(self, account: Account, endpoint_url: str | None = None, telemetry: Telemetry = DISABLED) -> None:
        self.account = account
        self.endpoint_url = endpoint_url or account.endpoint_url
        self.telemetry = telemetry
        self._functions: dict[str, FunctionRuntime | ProcessRuntime] = {}
        self._lock = threading.Lock()
        self.qualifiers: QualifierResolver | None = None  # published versions and aliases, when someone keeps them
        self._closers: list[Callable[[], None]] = []

    def arn(self, name: str) -> str:
        """The function's ARN in this account."""
        return self.account.arn("lambda", f"function:{name}")

    def environment_for(self, spec: FunctionSpec) -> dict[str, str]:
        """What the function's process environment holds, as in a Lambda sandbox."""
        reserved = sorted(RESERVED_VARIABLES & spec.environment.keys())
        if reserved:
            raise ValueError(f"environment of {spec.name} sets reserved Lambda variables {reserved}")
        env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
        env.update(
            {
                "AWS_REGION": self.account.region,
                "AWS_DEFAULT_REGION": self.account.region,
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
                "AWS_LAMBDA_FUNCTION_NAME": spec.name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
                "AWS_LAMBDA_LOG_GROUP_NAME": spec.logging.group_for(spec.name),
                "_HANDLER": spec.handler,
                "LAMBDA_TASK_ROOT": TASK_ROOT,
                "TZ": ":UTC",
                "AWS_ENDPOINT_URL": self.endpoint_url,
                "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                "AWS_EC2_METADATA_DISABLED": "true",
                **self.account.credentials.as_environment(),
            }
        )
        env.update(spec.environment)
        return env

    def build_runtime(
        self, spec: FunctionSpec, arn: str | None = None, environment: dict[str, str] | None = None
    ) -> FunctionRuntime | ProcessRuntime:
        """A runtime for `spec` in the mode it asks for, not registered (versions use it directly)."""
        role_arn = self.account.iam_arn(f"role/{spec.role}")
        arn = arn or self.arn(spec.name)
        environment = self.environment_for(spec) if environment is None else environment
        if spec.runtime_mode == "process":
            return ProcessRuntime(spec, arn, environment, role_arn, telemetry=self.telemetry)
        return FunctionRuntime(spec, arn, environment, role_arn, telemetry=self.telemetry)

    def register(self, spec: FunctionSpec, *, replace: bool = False) -> FunctionRuntime | ProcessRuntime:
        """Add a function; an existing name is an error unless `replace` is set."""
        runtime = self.build_runtime(spec)
        with self._lock:
            if spec.name in self._functions and not replace:
                raise FunctionExists(f"function {spec.name} already exists in account {self.account.account_id}")
            previous = self._functions.get(spec.name)
            self._functions[spec.name] = runtime
        _close(previous)
        return runtime

    def remove(self, name: str) -> None:
        """Forget a function and stop its worker processes (no error if it is already gone)."""
        with self._lock:
            runtime = self._functions.pop(self.resolve_name(name), None)
        _close(runtime)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` when the registry closes (uploaded code, published versions)."""
        self._closers.append(closer)

    def close(self) -> None:
        """Stop the worker processes of every function (the functions stay registered), then run the closers."""
        for runtime in self.all():
            _close(runtime)
        for closer in reversed(self._closers):
            closer()

    def resolve_name(self, name_or_arn: str) -> str:
        """The bare name from a name, a full ARN or a partial ARN (`123456789012:function:Name`)."""
        name = name_or_arn
        if ":function:" in name:
            name = name.split(":function:", 1)[1]
        return name.split(":", 1)[0]

    def get(self, name_or_arn: str) -> FunctionRuntime | ProcessRuntime:
        """The runtime for a function name or ARN; FunctionNotFound names what was asked for.

        A qualifier other than `$LATEST` names a published version or alias (see `qualifiers`); another
        account's function is not found.
        """
        name = self.resolve_name(name_or_arn)
        prefix, _, rest = name_or_arn.partition(":function:")
        qualifier = (rest if rest else name_or_arn).partition(":")[2]
        account = prefix.split(":")[-1] if rest else self.account.account_id
        with self._lock:
            runtime = self._functions.get(name)
        if runtime is not None and qualifier not in ("", "$LATEST"):
            runtime = self.qualifiers(name, qualifier) if self.qualifiers else None
            qualifier = qualifier if runtime is None else ""
        if runtime is None or qualifier not in ("", "$LATEST") or account != self.account.account_id:
            shown = f"{self.arn(name)}:{qualifier}" if qualifier else self.arn(name)
            raise FunctionNotFound(f"Function not found: {shown}")
        return runtime

    def __contains__(self, name_or_arn: str) -> bool:
        with self._lock:
            return self.resolve_name(name_or_arn) in self._functions

    def all(self) -> list[FunctionRuntime | ProcessRuntime]:
        """Every registered function, by name."""
        with self._lock:
            return [self._functions[name] for name in sorted(self._functions)]


def _close(runtime: FunctionRuntime | ProcessRuntime | None) -> None:
    close = getattr(runtime, "close", None)
    if close is not None:
        close()
    unload = getattr(runtime, "unload", None)
    if unload is not None:
        unload()  # nothing of a removed or closed function stays in sys.modules
