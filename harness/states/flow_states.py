"""The states that move data and control without calling anything: Pass, Choice, Wait, Succeed, Fail."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from harness.states import processing
from harness.states.choice import evaluate_choice_rule
from harness.states.errors import RUNTIME, StatesError
from harness.states.history import to_json
from harness.states.intrinsics import evaluate_intrinsic, is_intrinsic

if TYPE_CHECKING:
    from harness.states.executor import Step

NO_CHOICE_MATCHED = "States.NoChoiceMatched"


def run_pass(step: Step) -> Any:
    """Pass: the Result (or the effective input, after Parameters) placed at ResultPath."""
    state, context = step.state, step.context()
    effective = processing.input_path(step.where, state, step.raw_input, context)
    result = state["Result"] if "Result" in state else processing.parameters(step.where, state, effective, context)
    placed = processing.result_path(step.where, state.get("ResultPath", "$"), step.raw_input, result)
    return processing.output_path(step.where, state, placed, context)


def run_succeed(step: Step) -> Any:
    """Succeed: the effective input, after OutputPath."""
    context = step.context()
    effective = processing.input_path(step.where, step.state, step.raw_input, context)
    return processing.output_path(step.where, step.state, effective, context)


def choose(step: Step) -> tuple[Any, str]:
    """Choice: the output and the Next of the first rule that matches (or the Default)."""
    state, context = step.state, step.context()
    effective = processing.input_path(step.where, state, step.raw_input, context)
    for rule in state["Choices"]:
        try:
            matched = evaluate_choice_rule(rule, effective, context)
        except StatesError as exc:
            if exc.error == RUNTIME and not exc.cause.startswith("An error occurred"):
                raise processing.runtime_error(step.where, exc.cause) from None
            raise
        if matched:
            return processing.output_path(step.where, state, effective, context), rule["Next"]
    if "Default" in state:
        return processing.output_path(step.where, state, effective, context), state["Default"]
    raise StatesError(NO_CHOICE_MATCHED, f"No Choice rule of state '{step.name}' matched, and it has no Default")


def wait_seconds(step: Step, now: float) -> tuple[Any, float]:
    """Wait: the output and how many seconds of clock time to wait from `now`."""
    state, context = step.state, step.context()
    effective = processing.input_path(step.where, state, step.raw_input, context)
    if "Seconds" in state:
        seconds = float(state["Seconds"])
    elif "SecondsPath" in state:
        path = state["SecondsPath"]
        value = processing.read_field(step.where, "SecondsPath", path, effective, context)
        if isinstance(value, bool) or not isinstance(value, int):
            raise StatesError(
                RUNTIME, f"The SecondsPath parameter cannot be parsed as a long value: {path} == {_shown(value)}"
            )
        if value < 0:
            raise StatesError(RUNTIME, f"The SecondsPath parameter references a negative value: {path} == {value}")
        seconds = float(value)
    else:
        field = "Timestamp" if "Timestamp" in state else "TimestampPath"
        if field == "Timestamp":
            seconds = parse_timestamp(step.where, field, state["Timestamp"]).timestamp() - now
        else:
            path = state["TimestampPath"]
            text = processing.read_field(step.where, field, path, effective, context)
            if not isinstance(text, str) or not TIMESTAMP.fullmatch(text):
                raise StatesError(
                    RUNTIME,
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                    f"format string: {path} == {_shown(text)}",
                )
            seconds = parse_timestamp(step.where, field, text).timestamp() - now
    return processing.output_path(step.where, state, effective, context), max(0.0, seconds)


# An ISO 8601 extended offset date-time: the date and the time joined by 'T' (a space is refused).
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE)


def _shown(value: Any) -> str:
    """A value as Step Functions quotes it in a cause: strings bare, anything else as compact JSON."""
    return value if isinstance(value, str) else to_json(value)


def parse_timestamp(where: str, field: str, text: Any) -> datetime:
    """An RFC 3339 timestamp with a time zone (2025-02-25T10:00:00Z), as Wait states take it."""
    try:
        if not isinstance(text, str) or not TIMESTAMP.fullmatch(text):
            raise ValueError
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if when.tzinfo is None:
            raise ValueError
        return when
    except ValueError:
        raise processing.runtime_error(
            where, f"The {field} {text!r} is not an ISO 8601 timestamp with a time zone, e.g. 2025-02-25T10:00:00Z"
        ) from None


def fail_error(step: Step) -> StatesError:
    """Fail: the error and cause it ends with (Error/Cause, or ErrorPath/CausePath read from its input)."""
    state, context = step.state, step.context()
    error = _fail_field(step, "Error", state, context)
    cause = _fail_field(step, "Cause", state, context)
    return StatesError(error or "", cause or "")


def _fail_field(step: Step, field: str, state: dict[str, Any], context: Any) -> str | None:
    if field in state:
        return str(state[field])
    path = state.get(f"{field}Path")
    if path is None:
        return None
    if is_intrinsic(path):
        value = evaluate_intrinsic(path, step.raw_input, context)
    else:
        value = processing.read_field(step.where, f"{field}Path", path, step.raw_input, context)
    if not isinstance(value, str):
        raise processing.runtime_error(step.where, f"The {field}Path {path} must select a string, not {value!r}")
    return value
