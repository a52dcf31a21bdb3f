"""One execution of a state machine: status, input, output, error and history, run on its own thread."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harness import timeline
from harness.clock import Clock
from harness.states.context import ExecutionInfo
from harness.states.errors import TIMEOUT, StatesError
from harness.states.executor import Interpreter
from harness.states.history import History, HistoryEvent, Trail, to_json, with_data
from harness.states.tasks import TaskRunner
from harness.states.waits import Activity, Cancelled, Scope, Sleeper

RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED = "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"
_STOPPED = "stopped by StopExecution"
_TIMED_OUT = "the execution timed out"
# How long StopExecution waits for the execution's threads to record their aborts (they wait cancellably).
STOP_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class StateMachine:
    """What an execution runs: a state machine as the backend describes it, with its parsed definition."""

    arn: str
    name: str
    definition: dict[str, Any]
    definition_text: str
    role_arn: str
    type: str = "STANDARD"
    updated: datetime | None = None


class Execution:
    """An execution of a state machine; `start()` runs it on a thread of its own.

    `status`, `output` (parsed JSON), `error`, `cause` and `history` are what DescribeExecution and
    GetExecutionHistory report.
    """

    def __init__(
        self,
        machine: StateMachine,
        arn: str,
        name: str,
        input_text: str,
        *,
        clock: Clock,
        tasks: TaskRunner,
        activity: Activity,
        rng: random.Random,
        on_end: Callable[[Execution], None] | None = None,
    ) -> None:
        self.machine = machine
        self._on_end = on_end
        self.arn = arn
        self.name = name
        self.input_text = input_text
        self.input = json.loads(input_text)
        self.clock = clock
        self.history = History(clock)
        self.activity = Activity(parent=activity)
        self.scope = Scope()
        self.sleeper = Sleeper(clock, self.activity)
        self.status = RUNNING
        self.start_date = clock.now()
        self.stop_date: datetime | None = None
        self.output: Any = None
        self.error: str | None = None
        self.cause: str | None = None
        self._abort: tuple[str | None, str | None] = (None, None)
        self._done = threading.Event()
        self._lock = threading.Lock()
        info = ExecutionInfo(arn, name, self.input, machine.role_arn, self.start_date, machine.arn, machine.name)
        self._interpreter = Interpreter(info, tasks, self.sleeper, clock, rng)
        self._cancel_timeout: Callable[[], None] | None = None

    # -- lifetime ----------------------------------------------------------------------------------
    def start(self) -> Execution:
        """Record ExecutionStarted and run the states on a new thread."""
        started = self.history.add(
            "ExecutionStarted", with_data({"roleArn": self.machine.role_arn}, "input", self.input)
        )
        self._trail = Trail(self.history, started.id)
        timeout = self.machine.definition.get("TimeoutSeconds")
        if timeout is not None:
            self._cancel_timeout = self.sleeper.timer(float(timeout), lambda: self.scope.cancel(_TIMED_OUT))
        self.activity.enter()  # counted before the thread starts: the execution never looks idle in between
        self._happening = timeline.record_for(
            self.arn, "execution", f"{self.machine.name}: {self.name}", execution=self.arn
        )
        threading.Thread(
            target=timeline.carry(self._run, self._happening), name=f"states-{self.name}"[:60], daemon=True
        ).start()
        return self

    def _run(self) -> None:
        try:
            output = self._interpreter.run_states(self.machine.definition, self.input, self._trail, self.scope)
            self._finish(SUCCEEDED, "ExecutionSucceeded", with_data({}, "output", output), output=output)
        except StatesError as error:
            details = {k: v for k, v in (("error", error.error), ("cause", error.cause)) if v}
            self._finish(FAILED, "ExecutionFailed", details, error=error.error or None, cause=error.cause or None)
        except Cancelled as cancelled:
            if cancelled.reason == _TIMED_OUT:
                self._finish(TIMED_OUT, "ExecutionTimedOut", {"error": TIMEOUT})
            else:
                error, cause = self._abort
                details = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
                self._finish(ABORTED, "ExecutionAborted", details, error=error, cause=cause)
        except Exception as exc:  # a defect of the interpreter must still end the execution visibly
            cause = f"the harness failed to run the execution: {type(exc).__name__}: {exc}"
            self._finish(
                FAILED, "ExecutionFailed", {"error": "States.Runtime", "cause": cause}, "States.Runtime", cause
            )
        finally:
            if self._cancel_timeout is not None:
                self._cancel_timeout()
            timeline.finish(
                self._happening, "ok" if self.status == SUCCEEDED else "error", execution_status=self.status
            )
            if self._on_end is not None:
                self._on_end(self)
            self.activity.leave()
            self._done.set()

    def _finish(
        self,
        status: str,
        event_type: str,
        details: dict[str, Any],
        error: str | None = None,
        cause: str | None = None,
        output: Any = None,
    ) -> None:
        with self._lock:
            self.history.add(event_type, details, previous=self._trail.last)
            self.status, self.stop_date = status, self.clock.now()
            self.output, self.error, self.cause = output, error, cause

    def stop(self, error: str | None = None, cause: str | None = None) -> datetime:
        """Abort the execution (StopExecution); return its stop date once its threads have unwound.

        An execution that has already ended stays as it is.
        """
        with self._lock:
            if self.status != RUNNING:
                return self.stop_date or self.clock.now()
            if self.scope.reason is None:
                self._abort = (error, cause)
        self.scope.cancel(_STOPPED)
        self._done.wait(STOP_WAIT_SECONDS)
        return self.stop_date or self.clock.now()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the execution has ended; False if `timeout` passed first."""
        return self._done.wait(timeout)

    def settle(self, timeout: float) -> bool:
        """Block until the execution has ended or only waits on the clock; False if `timeout` passed first."""
        return self.activity.wait_idle(timeout)

    @property
    def done(self) -> bool:
        """Whether the execution has ended."""
        return self._done.is_set()

    # -- what the API reports --------------------------------------------------------------------------
    @property
    def events(self) -> list[HistoryEvent]:
        """The history so far."""
        return self.history.events()

    def event_types(self) -> list[str]:
        """The history's event types, in order."""
        return [event.type for event in self.events]

    def describe(self) -> dict[str, Any]:
        """The execution as DescribeExecution returns it (timestamps as datetimes)."""
        with self._lock:
            described: dict[str, Any] = {
                "executionArn": self.arn,
                "stateMachineArn": self.machine.arn,
                "name": self.name,
                "status": self.status,
                "startDate": self.start_date,
                "input": self.input_text,
                "inputDetails": {"included": True},
                "redriveCount": 0,
            }
            if self.stop_date is not None:
                described["stopDate"] = self.stop_date
            if self.status == SUCCEEDED:
                described["output"] = to_json(self.output)
                described["outputDetails"] = {"included": True}
            if self.error is not None:
                described["error"] = self.error
            if self.cause is not None:
                described["cause"] = self.cause
            if self.status != RUNNING:
                described["redriveStatus"] = "NOT_REDRIVABLE"
            return described

    def list_item(self) -> dict[str, Any]:
        """The execution as ListExecutions lists it."""
        with self._lock:
            item: dict[str, Any] = {
                "executionArn": self.arn,
                "stateMachineArn": self.machine.arn,
                "name": self.name,
                "status": self.status,
                "startDate": self.start_date,
            }
            if self.stop_date is not None:
                item["stopDate"] = self.stop_date
            return item

    def __repr__(self) -> str:
        return f"Execution({self.name!r} of {self.machine.name}: {self.status})"
