"""A state's input and output processing: InputPath, Parameters, ResultSelector, ResultPath, OutputPath.

Path and template failures become `States.Runtime` errors whose cause names the state (`where`, e.g.
"'Check' (entered at the event id #2)") and the path or field, as Step Functions reports them.
"""

from __future__ import annotations

from typing import Any

from harness.states.errors import RUNTIME, StatesError
from harness.states.history import to_json
from harness.states.jsonpath import PathError, PathNotFound, read_path, write_path
from harness.states.parameters import render_template


def runtime_error(where: str, problem: str) -> StatesError:
    """A States.Runtime error naming the state (and, in `problem`, the path or field) that failed."""
    return StatesError(RUNTIME, f"An error occurred while executing the state {where}. {problem}")


def _read(where: str, path: str, data: Any, context: Any) -> Any:
    try:
        return read_path(path, data, context)
    except PathError as exc:
        raise runtime_error(where, str(exc)) from None


def _select(where: str, state: dict[str, Any], field: str, data: Any, context: Any) -> Any:
    path = state.get(field, "$")
    if path is None:
        return {}
    return data if path == "$" else _read(where, path, data, context)


def input_path(where: str, state: dict[str, Any], data: Any, context: Any) -> Any:
    """The state's effective input after InputPath (`null` gives `{}`)."""
    return _select(where, state, "InputPath", data, context)


def render(where: str, field: str, template: Any, data: Any, context: Any) -> Any:
    """A payload template (Parameters, ResultSelector, ItemSelector) rendered against `data`."""
    try:
        return render_template(template, data, context)
    except PathError as exc:
        raise runtime_error(where, f"{field}: {exc}") from None
    except StatesError as exc:
        if exc.error == RUNTIME and not exc.cause.startswith("An error occurred"):
            raise runtime_error(where, exc.cause) from None
        raise


def parameters(where: str, state: dict[str, Any], effective: Any, context: Any) -> Any:
    """Parameters applied to the effective input (the input itself when there are none)."""
    if "Parameters" not in state:
        return effective
    return render(where, "Parameters", state["Parameters"], effective, context)


def result_selector(where: str, state: dict[str, Any], result: Any, context: Any) -> Any:
    """ResultSelector applied to a task's (or Map's, Parallel's) raw result."""
    if "ResultSelector" not in state:
        return result
    return render(where, "ResultSelector", state["ResultSelector"], result, context)


def result_path(where: str, path: str | None, raw_input: Any, result: Any) -> Any:
    """The raw state input with `result` placed at ResultPath (`null` discards the result)."""
    if path is None:
        return raw_input
    if path == "$":
        return result
    try:
        return write_path(path, raw_input, result)
    except PathError as exc:
        raise runtime_error(where, str(exc)) from None


def output_path(where: str, state: dict[str, Any], data: Any, context: Any) -> Any:
    """The state's output after OutputPath (`null` gives `{}`)."""
    return _select(where, state, "OutputPath", data, context)


def finish(where: str, state: dict[str, Any], raw_input: Any, result: Any, context: Any) -> Any:
    """ResultSelector, ResultPath and OutputPath applied to a result: the state's output."""
    selected = result_selector(where, state, result, context)
    placed = result_path(where, state.get("ResultPath", "$"), raw_input, selected)
    return output_path(where, state, placed, context)


def read_field(where: str, field: str, path: str, data: Any, context: Any) -> Any:
    """The value a `...Path` field (SecondsPath, ItemsPath, ...) selects in `data`."""
    try:
        return read_path(path, data, context)
    except PathNotFound:
        problem = (
            f"The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{to_json(data)}'"
        )
        raise runtime_error(where, problem) from None
    except PathError as exc:
        raise runtime_error(where, str(exc)) from None


def integer_field(
    where: str, state: dict[str, Any], field: str, data: Any, context: Any, *, minimum: int
) -> int | None:
    """An integer field given directly or through its `...Path` variant (TimeoutSecondsPath, MaxConcurrencyPath)."""
    if field in state:
        return int(state[field])
    path = state.get(f"{field}Path")
    if path is None:
        return None
    value = read_field(where, f"{field}Path", path, data, context)
    if field == "ToleratedFailureCount" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)  # Step Functions reads a count given as a numeric string
    if isinstance(value, bool) or not isinstance(value, int):
        shown = value if isinstance(value, str) else to_json(value)
        raise StatesError(
            RUNTIME, f'The {field}Path field refers to value "{shown}" which is not a valid integer: {path}'
        )
    if value < minimum:
        raise StatesError(
            RUNTIME,
            _BELOW_MINIMUM.get(field, "{field}Path {path} must select a positive integer").format(
                field=field, path=path, value=value
            ),
        )
    return value


# Step Functions' causes for a `...Path` integer below its minimum.
_BELOW_MINIMUM = {
    "MaxConcurrency": "Expected non-negative integer for MaxConcurrency, got '{value}' instead.",
    "ToleratedFailureCount": "ToleratedFailureCount cannot be negative.",
}


def percentage_field(where: str, state: dict[str, Any], data: Any, context: Any) -> float | None:
    """ToleratedFailurePercentage given directly or through ToleratedFailurePercentagePath (0 to 100)."""
    if "ToleratedFailurePercentage" in state:
        return float(state["ToleratedFailurePercentage"])
    path = state.get("ToleratedFailurePercentagePath")
    if path is None:
        return None
    value = read_field(where, "ToleratedFailurePercentagePath", path, data, context)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)  # Step Functions reads a percentage given as an integer string
    if isinstance(value, bool) or not isinstance(value, int | float):
        shown = value if isinstance(value, str) else to_json(value)
        raise StatesError(
            RUNTIME,
            f'The ToleratedFailurePercentagePath field refers to value "{shown}" which is not a valid float: {path}',
        )
    if not 0 <= value <= 100:
        raise StatesError(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
    return float(value)
