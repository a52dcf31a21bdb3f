"""Running Parallel branches and Map iterations on worker threads, at most `concurrency` at a time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness import timeline
from harness.states.errors import RUNTIME, StatesError
from harness.states.waits import Activity, Cancelled, Scope, Wakeup


@dataclass
class Outcome:
    """How one branch or iteration ended: a value, an error, or cancelled."""

    value: Any = None
    error: StatesError | None = None
    cancelled: bool = False


# How long a stopped execution waits for its branches to unwind (they only ever wait cancellably).
UNWIND_SECONDS = 10.0

Job = Callable[[int, Scope], Any]
# Given the outcomes so far, the error that should stop the whole fan-out, if any.
StopRule = Callable[[list[Outcome | None]], StatesError | None]


def first_error(outcomes: list[Outcome | None]) -> StatesError | None:
    """Stop at the first failure (Parallel, and Map without tolerated failures)."""
    return next((o.error for o in outcomes if o is not None and o.error is not None), None)


def fan_out(
    count: int, concurrency: int, job: Job, *, scope: Scope, activity: Activity, stop_rule: StopRule = first_error
) -> list[Outcome]:
    """Run `job(index, scope)` for every index; return the outcomes in index order.

    When `stop_rule` names an error, the jobs still running are cancelled and not-yet-started ones never
    start; the error is raised once every worker has ended. The calling thread is parked meanwhile.
    """
    outcomes: list[Outcome | None] = [None] * count
    if count == 0:
        return []
    group = scope.child()
    lock = threading.Lock()
    state = {"next": 0, "running": 0}
    stop: list[StatesError] = []
    all_done = Wakeup(activity, parked=True)
    finished = threading.Event()

    def worker() -> None:
        try:
            while True:
                with lock:
                    if stop or state["next"] >= count or group.reason is not None:
                        break
                    index = state["next"]
                    state["next"] += 1
                try:
                    outcome = Outcome(value=job(index, group))
                except StatesError as error:
                    outcome = Outcome(error=error)
                except Cancelled:
                    outcome = Outcome(cancelled=True)
                except Exception as exc:  # a defect must fail the state visibly, not lose the item
                    outcome = Outcome(error=StatesError(RUNTIME, f"{type(exc).__name__}: {exc}"))
                with lock:
                    outcomes[index] = outcome
                    stopping = stop_rule(outcomes) if not stop else None
                    if stopping is not None:
                        stop.append(stopping)
                if stopping is not None:
                    group.cancel("a branch or iteration failed")
        finally:
            with lock:
                state["running"] -= 1
                last = state["running"] == 0
            if last:
                finished.set()
                all_done.wake("done")
            activity.leave()

    workers = max(1, min(concurrency, count))
    state["running"] = workers
    for _ in range(workers):
        activity.enter()  # counted before it starts, so that the execution never looks idle in between
        threading.Thread(target=timeline.carry(worker), name="states-branch", daemon=True).start()
    try:
        scope.wait(all_done)
    except Cancelled:
        # The whole execution stops: let the workers record their aborts before the caller does.
        finished.wait(UNWIND_SECONDS)
        raise
    if stop:
        raise stop[0]
    return [o if o is not None else Outcome(cancelled=True) for o in outcomes]
