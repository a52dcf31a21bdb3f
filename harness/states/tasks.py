"""Task resources: which one a Resource ARN names, and running it with its history events and timeout."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness import timeline
from harness.backends.base import Account
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionRegistry
from harness.states.errors import RUNTIME, TIMEOUT, StatesError
from harness.states.history import Trail, to_json, with_data
from harness.states.lambda_tasks import invoke_function, lambda_invoke, not_found
from harness.states.service_tasks import INTEGRATIONS, ServiceTasks
from harness.states.waits import Cancelled, Scope, Sleeper, Wakeup

_FUNCTION_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$")
_SERVICE_ARN = re.compile(
    r"^arn:aws[a-z-]*:states:[a-z0-9-]*:\d{0,12}:(?P<service>[A-Za-z0-9-]+):(?P<action>[A-Za-z0-9]+)"
    r"(?P<pattern>\.[A-Za-z0-9:]+)?$"
)
SUPPORTED = (
    "a Lambda function ARN",
    "arn:aws:states:::lambda:invoke",
    *(f"arn:aws:states:::{k}" for k in INTEGRATIONS),
)


@dataclass(frozen=True)
class TaskResource:
    """What a Task's Resource names: a Lambda function, or a `service:action` integration."""

    arn: str
    function: bool
    service: str = ""
    action: str = ""

    @property
    def key(self) -> str:
        """`service:action`, e.g. `dynamodb:putItem`."""
        return f"{self.service}:{self.action}"


def parse_resource(resource: str) -> TaskResource:
    """The resource a Task names; StatesError (States.Runtime) for one the harness cannot run."""
    if _FUNCTION_ARN.match(resource):
        return TaskResource(resource, function=True)
    match = _SERVICE_ARN.match(resource)
    if match and not match["pattern"]:
        parsed = TaskResource(resource, function=False, service=match["service"], action=match["action"])
        if parsed.key == "lambda:invoke" or parsed.key in INTEGRATIONS:
            return parsed
    raise StatesError(
        RUNTIME, f"the Task resource {resource!r} is not supported here; supported: {', '.join(SUPPORTED)}"
    )


class _TimedOut(Exception):
    pass


class TaskRunner:
    """Runs Task resources for the executions of one account, recording their history events."""

    def __init__(self, functions: FunctionRegistry, async_invoker: AsyncInvoker, account: Account) -> None:
        self.functions = functions
        self.async_invoker = async_invoker
        self.account = account
        self.services = ServiceTasks(account)

    def run(
        self,
        resource: str,
        parameters: Any,
        *,
        trail: Trail,
        scope: Scope,
        sleeper: Sleeper,
        timeout: float | None = None,
        heartbeat: float | None = None,
    ) -> Any:
        """Run the resource with `parameters` and return its result; StatesError when it fails or times out."""
        target = parse_resource(resource)
        if target.function:
            return self._run_function(target, parameters, trail, scope, sleeper, timeout)
        return self._run_integration(target, parameters, trail, scope, sleeper, timeout, heartbeat)

    def _run_function(
        self, target: TaskResource, payload: Any, trail: Trail, scope: Scope, sleeper: Sleeper, timeout: float | None
    ) -> Any:
        scheduled: dict[str, Any] = {"resource": target.arn}
        if timeout is not None:
            scheduled["timeoutInSeconds"] = int(timeout)
        trail.record("LambdaFunctionScheduled", with_data(scheduled, "input", payload))
        if target.arn not in self.functions:
            parts = target.arn.split(":")
            error = not_found(target.arn, parts[3], parts[4])
            trail.record("LambdaFunctionStartFailed", {"error": error.error, "cause": error.cause})
            raise error
        try:
            result = _call(
                scope,
                sleeper,
                timeout,
                lambda: invoke_function(self.functions, target.arn, payload),
                started=lambda: trail.record("LambdaFunctionStarted"),
            )
        except _TimedOut:
            trail.record("LambdaFunctionTimedOut", {"error": TIMEOUT})
            raise StatesError(TIMEOUT) from None
        except StatesError as error:
            trail.record("LambdaFunctionFailed", {"error": error.error, "cause": error.cause})
            raise
        trail.record("LambdaFunctionSucceeded", with_data({}, "output", result))
        return result

    def _run_integration(
        self,
        target: TaskResource,
        parameters: Any,
        trail: Trail,
        scope: Scope,
        sleeper: Sleeper,
        timeout: float | None,
        heartbeat: float | None,
    ) -> Any:
        names = {"resourceType": target.service, "resource": target.action}
        scheduled: dict[str, Any] = {**names, "region": self.account.region, "parameters": to_json(parameters)}
        if timeout is not None:
            scheduled["timeoutInSeconds"] = int(timeout)
        if heartbeat is not None:
            scheduled["heartbeatInSeconds"] = int(heartbeat)
        trail.record("TaskScheduled", scheduled)
        if target.key == "lambda:invoke":
            account = self.account
            action: Callable[[], Any] = lambda: lambda_invoke(  # noqa: E731
                self.functions, self.async_invoker, parameters, account.region, account.account_id
            )
        else:
            action = lambda: self.services.call(target.key, parameters)  # noqa: E731
        try:
            result = _call(scope, sleeper, timeout, action, started=lambda: trail.record("TaskStarted", dict(names)))
        except _TimedOut:
            trail.record("TaskTimedOut", {**names, "error": TIMEOUT})
            raise StatesError(TIMEOUT) from None
        except StatesError as error:
            trail.record("TaskFailed", {**names, "error": error.error, "cause": error.cause})
            raise
        trail.record("TaskSucceeded", with_data(names, "output", result))
        return result


def _call(
    scope: Scope, sleeper: Sleeper, timeout: float | None, action: Callable[[], Any], started: Callable[[], None]
) -> Any:
    """Run `action` on its own thread; stop waiting at the timeout (clock time) or when the scope is cancelled.

    The timeout is armed before `started` records the task as started, so a test that sees the start
    event and then advances the clock always reaches the timeout. Like Step Functions, an abandoned
    call is not killed: a Lambda handler runs on to its own end.
    """
    wakeup = Wakeup(sleeper.activity, parked=False)
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = action()
        except StatesError as error:
            outcome["error"] = error
        except Exception as exc:  # an unexpected failure of the call itself is still the task's failure
            outcome["error"] = StatesError("States.TaskFailed", f"{type(exc).__name__}: {exc}")
        finally:
            wakeup.wake("done")

    cancel_timer = sleeper.timer(timeout, lambda: wakeup.wake("timeout")) if timeout is not None else None
    deadline = sleeper.clock.time() + timeout if timeout is not None else None
    started()
    threading.Thread(target=timeline.carry(work), name="states-task", daemon=True).start()
    try:
        reason = scope.wait(wakeup)
    except Cancelled:
        # Tasks whose timeouts fall at the same instant all time out (a Map's iterations, say), even
        # when the first one's failure cancels the others before their timers have run.
        if deadline is None or sleeper.clock.time() < deadline:
            raise
        reason = "timeout"
    finally:
        if cancel_timer is not None:
            cancel_timer()
    if reason == "timeout":
        raise _TimedOut()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
