"""The state machine loop: enter a state, run it (with Retry and Catch), record it, follow Next."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from harness.clock import Clock
from harness.states import processing
from harness.states.branching import run_map, run_parallel
from harness.states.context import ExecutionInfo, MapItem, context_object
from harness.states.errors import DATA_LIMIT_EXCEEDED, StatesError
from harness.states.flow_states import choose, fail_error, run_pass, run_succeed, wait_seconds
from harness.states.history import Trail, with_data
from harness.states.retry import RetryBudget, error_output, find_catcher
from harness.states.tasks import TaskRunner
from harness.states.waits import Cancelled, Scope, Sleeper

# State types whose interruption by a stop or a failing sibling is recorded as <Type>StateAborted.
_ABORTABLE = frozenset({"Task", "Wait", "Map", "Parallel"})
# "Maximum input or output size for a task, state, or execution: 256 KiB of data as a UTF-8 encoded
# string" (Step Functions developer guide, "Step Functions service quotas").
PAYLOAD_LIMIT_BYTES = 256 * 1024


def payload_size(value: Any) -> int:
    """The size Step Functions counts for a state's input or output: its JSON text in UTF-8 bytes."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def check_payload(name: str, value: Any, what: str) -> Any:
    """The value, unless it is over the payload quota: then States.DataLimitExceeded."""
    if payload_size(value) > PAYLOAD_LIMIT_BYTES:
        raise StatesError(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{name}' {what} with a size exceeding the maximum number of bytes service limit.",
        )
    return value


class Step:
    """One entry into a state: its name, definition, raw input, where it runs and when it was entered."""

    def __init__(
        self,
        interpreter: Interpreter,
        name: str,
        state: dict[str, Any],
        raw_input: Any,
        trail: Trail,
        scope: Scope,
        entered: datetime,
        entered_id: int = 0,
    ) -> None:
        self.interpreter = interpreter
        self.name = name
        self.state = state
        self.raw_input = raw_input
        self.trail = trail
        self.scope = scope
        self.entered = entered
        self.entered_id = entered_id
        self.retry_count = 0

    def context(self, map_item: tuple[int, Any] | None = None) -> dict[str, Any]:
        """The context object (`$$`) for this state, with `Map.Item` inside a Map's ItemSelector."""
        item = MapItem(*map_item) if map_item is not None else None
        # Only states that can retry (Task, Parallel, Map) carry $$.State.RetryCount.
        retries = self.retry_count if self.state.get("Type") in _RETRYABLE else None
        return context_object(self.interpreter.info, self.name, self.entered, retries, item)

    @property
    def where(self) -> str:
        """The state as error causes name it: 'Name' (entered at the event id #N)."""
        return f"'{self.name}' (entered at the event id #{self.entered_id})"

    @property
    def next(self) -> str | None:
        """The state's Next, or None when it ends its (sub-)state-machine."""
        return None if self.state.get("End") else self.state.get("Next")


class Interpreter:
    """Runs one execution's states on the calling thread (Parallel and Map fan out to workers)."""

    def __init__(
        self, info: ExecutionInfo, tasks: TaskRunner, sleeper: Sleeper, clock: Clock, rng: random.Random
    ) -> None:
        self.info = info
        self.tasks = tasks
        self.sleeper = sleeper
        self.activity = sleeper.activity
        self.clock = clock
        self.rng = rng

    def run_states(self, machine: dict[str, Any], data: Any, trail: Trail, scope: Scope) -> Any:
        """Run a state machine (or a branch, or an ItemProcessor) from StartAt to its end; return its output."""
        name: str | None = machine["StartAt"]
        states = machine["States"]
        while name is not None:
            scope.check()
            data, name = self.run_state(name, states[name], data, trail, scope)
        return data

    def run_state(
        self, name: str, state: dict[str, Any], data: Any, trail: Trail, scope: Scope
    ) -> tuple[Any, str | None]:
        """Enter one state, run it, record its exit; return its output and the next state's name."""
        kind = state["Type"]
        entered = trail.record(f"{kind}StateEntered", with_data({"name": name}, "input", data))
        step = Step(self, name, state, data, trail, scope, entered.timestamp, entered.id)
        try:
            if kind == "Fail":
                raise fail_error(step)
            if kind in _RETRYABLE:
                output, following = self._with_retry_and_catch(step, _checked(_RETRYABLE[kind]))
            else:
                output, following = _FLOW[kind](step)
                check_payload(name, output, "returned a result")
        except Cancelled:
            if kind in _ABORTABLE:
                trail.record(f"{kind}StateAborted")
            raise
        trail.record(f"{kind}StateExited", with_data({"name": name}, "output", output))
        return output, following

    def _with_retry_and_catch(self, step: Step, body: Callable[[Step], Any]) -> tuple[Any, str | None]:
        budget = RetryBudget(step.state.get("Retry"), self.rng)
        while True:
            try:
                return body(step), step.next
            except StatesError as error:
                failed_event = error.__dict__.pop("failed_event", None)
                delay = budget.next_delay(error)
                if delay is not None:
                    step.retry_count = budget.total
                    self.sleeper.sleep(step.scope, delay)
                    continue
                if failed_event is not None:
                    step.trail.record(failed_event)
                catcher = find_catcher(step.state.get("Catch"), error)
                if catcher is None:
                    raise
                # A catcher's output is its ResultPath applied to the error output; OutputPath does not apply.
                path = catcher.get("ResultPath", "$")
                return processing.result_path(step.where, path, step.raw_input, error_output(error)), catcher["Next"]


def _checked(body: Callable[[Step], Any]) -> Callable[[Step], Any]:
    def run(step: Step) -> Any:
        return check_payload(step.name, body(step), "returned a result")

    return run


def run_task(step: Step) -> Any:
    """Task: call the resource with the processed input, then process its result."""
    state, context = step.state, step.context()
    effective = processing.input_path(step.where, state, step.raw_input, context)
    parameters = check_payload(step.name, processing.parameters(step.where, state, effective, context), "has an input")
    result = step.interpreter.tasks.run(
        state["Resource"],
        parameters,
        trail=step.trail,
        scope=step.scope,
        sleeper=step.interpreter.sleeper,
        timeout=_seconds(step, "TimeoutSeconds", effective, context),
        heartbeat=_seconds(step, "HeartbeatSeconds", effective, context),
    )
    return processing.finish(step.where, state, step.raw_input, result, context)


def _seconds(step: Step, field: str, effective: Any, context: Any) -> float | None:
    seconds = processing.integer_field(step.where, step.state, field, effective, context, minimum=1)
    return None if seconds is None else float(seconds)


def _wait(step: Step) -> tuple[Any, str | None]:
    output, seconds = wait_seconds(step, step.interpreter.clock.time())
    step.interpreter.sleeper.sleep(step.scope, seconds)
    return output, step.next


_RETRYABLE: dict[str, Callable[[Step], Any]] = {"Task": run_task, "Parallel": run_parallel, "Map": run_map}
_FLOW: dict[str, Callable[[Step], tuple[Any, str | None]]] = {
    "Pass": lambda step: (run_pass(step), step.next),
    "Succeed": lambda step: (run_succeed(step), None),
    "Choice": choose,
    "Wait": _wait,
}
