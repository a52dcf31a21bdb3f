"""Parallel and Map: run sub-state-machines over the state's input, on worker threads, and collect results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.states import processing
from harness.states.errors import StatesError
from harness.states.fanout import Outcome, StopRule, fan_out, first_error
from harness.states.history import Trail
from harness.states.retry import error_output
from harness.states.waits import Cancelled, Scope

if TYPE_CHECKING:
    from harness.states.executor import Step

# Step Functions runs at most 40 iterations of an inline Map at once, whatever MaxConcurrency says.
INLINE_MAP_CONCURRENCY = 40
EXCEEDED = "States.ExceedToleratedFailureThreshold"


def run_parallel(step: Step) -> Any:
    """Parallel: every branch gets the (processed) input; the result is the list of branch outputs."""
    state, context, interpreter = step.state, step.context(), step.interpreter
    effective = processing.input_path(step.where, state, step.raw_input, context)
    branch_input = processing.parameters(step.where, state, effective, context)
    started = step.trail.record("ParallelStateStarted")
    branches = state["Branches"]

    def branch(index: int, scope: Scope) -> Any:
        return interpreter.run_states(branches[index], branch_input, Trail(step.trail.history, started.id), scope)

    try:
        outcomes = fan_out(len(branches), len(branches), branch, scope=step.scope, activity=interpreter.activity)
    except StatesError:
        step.trail.record("ParallelStateFailed")
        raise
    step.trail.record("ParallelStateSucceeded")
    return processing.finish(step.where, state, step.raw_input, [o.value for o in outcomes], context)


def run_map(step: Step) -> Any:
    """Map: run the ItemProcessor over every item of ItemsPath; the result is the list of their outputs."""
    state, context, interpreter = step.state, step.context(), step.interpreter
    effective = processing.input_path(step.where, state, step.raw_input, context)
    items = _items(step, effective, context)
    processor = state.get("ItemProcessor") or state["Iterator"]
    selector_field = "ItemSelector" if "ItemSelector" in state else "Parameters"
    selector = state.get(selector_field)
    concurrency = _count_field(step, "MaxConcurrency", effective, context) or 0
    # Step Functions records MapStateStarted before it reads the tolerated-failure fields.
    started = step.trail.record("MapStateStarted", {"length": len(items)})
    stop_rule = _tolerance(step, effective, context, len(items))

    def iteration(index: int, scope: Scope) -> Any:
        item = items[index]
        if selector is not None:
            item_context = step.context(map_item=(index, item))
            item = processing.render(step.where, selector_field, selector, effective, item_context)
        trail = Trail(step.trail.history, started.id)
        details = {"name": step.name, "index": index}
        trail.record("MapIterationStarted", details)
        try:
            output = interpreter.run_states(processor, item, trail, scope)
        except StatesError:
            trail.record("MapIterationFailed", details)
            raise
        except Cancelled:
            trail.record("MapIterationAborted", details)
            raise
        trail.record("MapIterationSucceeded", details)
        return output

    limit = INLINE_MAP_CONCURRENCY if concurrency == 0 else min(concurrency, INLINE_MAP_CONCURRENCY)
    try:
        outcomes = fan_out(
            len(items), limit, iteration, scope=step.scope, activity=interpreter.activity, stop_rule=stop_rule
        )
    except StatesError as error:
        # Recorded once the state gives up: a retried attempt has no MapStateFailed of its own.
        error.failed_event = "MapStateFailed"  # type: ignore[attr-defined]
        raise
    step.trail.record("MapStateSucceeded")
    return processing.finish(step.where, state, step.raw_input, [_result(o) for o in outcomes], context)


def _result(outcome: Outcome) -> Any:
    # A tolerated failure leaves its error output in the results, in the item's place.
    return error_output(outcome.error) if outcome.error is not None else outcome.value


def _items(step: Step, effective: Any, context: Any) -> list[Any]:
    path = step.state.get("ItemsPath", "$")
    items = effective if path == "$" else processing.read_field(step.where, "ItemsPath", path, effective, context)
    if not isinstance(items, list):
        raise processing.runtime_error(step.where, f"The ItemsPath {path} must select an array, not {items!r}")
    return items


def _count_field(step: Step, field: str, effective: Any, context: Any) -> int | None:
    """A non-negative integer field given directly or through its `...Path` variant."""
    return processing.integer_field(step.where, step.state, field, effective, context, minimum=0)


def _tolerance(step: Step, effective: Any, context: Any, total: int) -> StopRule:
    """Stop at the first failure, unless ToleratedFailureCount / ToleratedFailurePercentage allow some."""
    count = _count_field(step, "ToleratedFailureCount", effective, context)
    percentage = processing.percentage_field(step.where, step.state, effective, context)
    if count is None and percentage is None:
        return first_error

    def exceeded(outcomes: list[Outcome | None]) -> StatesError | None:
        failed = sum(1 for o in outcomes if o is not None and o.error is not None)
        if (count is not None and failed > count) or (percentage is not None and failed * 100 > percentage * total):
            return StatesError(EXCEEDED, f"The tolerated failure threshold of Map state '{step.name}' was exceeded")
        return None

    return exceeded
