"""Validation of state machine definitions against the Amazon States Language (JSONPath query language).

Every problem is reported as InvalidDefinition with a message that names the state, with its nesting inside
Parallel branches and Map item processors ("State 'Map1' > 'Inner'"), and the field.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from typing import Any

from harness.states.choice import parse_timestamp, validate_choice_rule
from harness.states.errors import ALL, InvalidDefinition, state_label
from harness.states.intrinsics import IntrinsicSyntaxError, is_intrinsic, validate_intrinsic
from harness.states.jsonpath import PathError, validate_path
from harness.states.parameters import validate_template

MAX_STATE_NAME_LENGTH = 80
MAX_SECONDS = 99_999_999
MAX_RETRY_DELAY_SECONDS = 31_622_400

_COMMON = {"Type", "Comment", "QueryLanguage"}
_FLOW = {"Next", "End"}
_IO = {"InputPath", "OutputPath"}
_RESULT = {"ResultPath", "ResultSelector"}
_ERRORS = {"Retry", "Catch"}

FIELDS_BY_TYPE: dict[str, frozenset[str]] = {
    "Pass": frozenset(_COMMON | _FLOW | _IO | {"ResultPath", "Parameters", "Result"}),
    "Task": frozenset(
        _COMMON
        | _FLOW
        | _IO
        | _RESULT
        | _ERRORS
        | {"Parameters", "Resource", "Credentials"}
        | {"TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"}
    ),
    "Choice": frozenset(_COMMON | _IO | {"Choices", "Default"}),
    "Wait": frozenset(_COMMON | _FLOW | _IO | {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}),
    "Succeed": frozenset(_COMMON | _IO),
    "Fail": frozenset(_COMMON | {"Error", "Cause", "ErrorPath", "CausePath"}),
    "Parallel": frozenset(_COMMON | _FLOW | _IO | _RESULT | _ERRORS | {"Parameters", "Branches"}),
    "Map": frozenset(
        _COMMON
        | _FLOW
        | _IO
        | _RESULT
        | _ERRORS
        | {"Parameters", "ItemSelector", "ItemsPath", "ItemProcessor", "Iterator"}
        | {"MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath"}
        | {"ToleratedFailureCount", "ToleratedFailureCountPath"}
    ),
}

# Fields of the language that the harness does not run; named in the error rather than called unknown.
_UNSUPPORTED = {
    "Assign": "workflow variables (Assign) are not supported",
    "Output": "the JSONata field 'Output' is not supported; use OutputPath / ResultSelector",
    "Arguments": "the JSONata field 'Arguments' is not supported; use Parameters",
    "ItemReader": "Distributed Map's ItemReader is not supported; pass the items in the input",
    "ItemBatcher": "Distributed Map's ItemBatcher is not supported",
    "ResultWriter": "Distributed Map's ResultWriter is not supported",
    "Label": "Distributed Map's Label is not supported",
}

KNOWN_STATES_ERRORS = frozenset(
    {
        "States.ALL",
        "States.DataLimitExceeded",
        "States.ExceedToleratedFailureThreshold",
        "States.HeartbeatTimeout",
        "States.IntrinsicFailure",
        "States.ItemReaderFailed",
        "States.NoChoiceMatched",
        "States.ParameterPathFailure",
        "States.Permissions",
        "States.QueryEvaluationError",
        "States.ResultPathMatchFailure",
        "States.ResultWriterFailed",
        "States.Runtime",
        "States.TaskFailed",
        "States.Timeout",
        "States.BranchFailed",
    }
)

_MACHINE_FIELDS = frozenset({"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"})
_BRANCH_FIELDS = frozenset({"StartAt", "States", "Comment"})
_PROCESSOR_FIELDS = frozenset({"StartAt", "States", "Comment", "ProcessorConfig"})


def validate_definition(definition: dict[str, Any] | str) -> dict[str, Any]:
    """The definition as a dict, once it is valid ASL; raises InvalidDefinition naming the state and field.

    A JSON string is parsed first (invalid JSON is reported with its line and column).
    """
    if isinstance(definition, str | bytes):
        try:
            definition = json.loads(definition)
        except json.JSONDecodeError as error:
            raise InvalidDefinition(
                f"The definition is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            ) from None
    if not isinstance(definition, dict):
        raise InvalidDefinition(f"The definition must be a JSON object, not {_json(definition)}")
    _Validator().machine(definition, (), _MACHINE_FIELDS, "The state machine")
    return definition


def _json(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Validator:
    """Walks a definition and its nested state machines, remembering every state name it met."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, ...]] = {}

    # -- state machines ---------------------------------------------------------------------------------------

    def machine(self, machine: Any, scope: tuple[str, ...], fields: frozenset[str], where: str) -> None:
        """A state machine (the definition, a branch or an item processor): fields, states, transitions."""
        if not isinstance(machine, dict):
            raise InvalidDefinition(f"{where} must be an object with StartAt and States, not {_json(machine)}")
        for key in machine:
            if key not in fields:
                raise InvalidDefinition(f"{where}: the field '{key}' is not allowed here")
        if "QueryLanguage" in machine:
            _query_language(machine["QueryLanguage"], where)
        if "Comment" in machine and not isinstance(machine["Comment"], str):
            raise InvalidDefinition(f"{where}: the field 'Comment' must be a string")
        if "Version" in machine and not isinstance(machine["Version"], str):
            raise InvalidDefinition(f"{where}: the field 'Version' must be a string such as \"1.0\"")
        if "TimeoutSeconds" in machine:
            _integer(machine["TimeoutSeconds"], where, "TimeoutSeconds", minimum=1, maximum=MAX_SECONDS)
        states = machine.get("States")
        if not isinstance(states, dict) or not states:
            raise InvalidDefinition(f"{where}: the field 'States' must be a non-empty object of states")
        start = machine.get("StartAt")
        if start is None:
            raise InvalidDefinition(f"{where}: the field 'StartAt' is missing")
        if not isinstance(start, str) or start not in states:
            raise InvalidDefinition(f"{where}: StartAt {_json(start)} is not a state{_suggest(start, states)}")
        for name, state in states.items():
            self.state_name(name, scope)
            self.state(name, state, scope, states)
        for name, state in states.items():
            for field, target in _transitions(state):
                if target not in states:
                    raise InvalidDefinition(
                        f"{state_label((*scope, name))} field '{field}': there is no state named"
                        f" {_json(target)}{_suggest(target, states)}"
                    )
        reachable = _reachable(start, states)
        for name in states:
            if name not in reachable:
                raise InvalidDefinition(f"{state_label((*scope, name))} is not reachable from StartAt '{start}'")

    def state_name(self, name: str, scope: tuple[str, ...]) -> None:
        """A state's name: not empty, at most 80 characters, unique in the whole definition."""
        label = state_label((*scope, name))
        if not name.strip():
            raise InvalidDefinition(f"{label}: a state name must not be empty")
        if len(name) > MAX_STATE_NAME_LENGTH:
            raise InvalidDefinition(f"{label}: a state name may have at most {MAX_STATE_NAME_LENGTH} characters")
        if name in self.names:
            raise InvalidDefinition(
                f"{label}: the name is already used by {state_label(self.names[name])};"
                " state names must be unique in the whole state machine"
            )
        self.names[name] = (*scope, name)

    # -- states -----------------------------------------------------------------------------------------------

    def state(self, name: str, state: Any, scope: tuple[str, ...], states: dict[str, Any]) -> None:
        """One state: its type, the fields its type allows, and the checks of that type."""
        path = (*scope, name)
        label = state_label(path)
        if not isinstance(state, dict):
            raise InvalidDefinition(f"{label} must be an object, not {_json(state)}")
        kind = state.get("Type")
        if kind is None:
            raise InvalidDefinition(f"{label}: the field 'Type' is missing")
        if kind not in FIELDS_BY_TYPE:
            raise InvalidDefinition(
                f"{label} field 'Type': {_json(kind)} is not a state type; use one of {', '.join(FIELDS_BY_TYPE)}"
            )
        allowed = FIELDS_BY_TYPE[kind]
        for key in state:
            if key not in allowed:
                raise InvalidDefinition(f"{label} field '{key}': {_not_allowed(key, kind)}")
        if "QueryLanguage" in state:
            _query_language(state["QueryLanguage"], label)
        if "Comment" in state and not isinstance(state["Comment"], str):
            raise InvalidDefinition(f"{label} field 'Comment': must be a string")
        if "Next" in allowed:
            _flow(state, label)
        self.io(state, label)
        getattr(self, f"check_{kind.lower()}")(state, label, path)

    def io(self, state: dict[str, Any], label: str) -> None:
        """The input and output processing fields: paths and payload templates."""
        for field in ("InputPath", "OutputPath"):
            if field in state and state[field] is not None:
                _path(state[field], label, field)
        if "ResultPath" in state and state["ResultPath"] is not None:
            _result_path(state["ResultPath"], label, "ResultPath")
        if "Parameters" in state:
            validate_template(state["Parameters"], f"{label} field 'Parameters'")
        for field in ("ResultSelector", "ItemSelector"):
            if field in state:
                if not isinstance(state[field], dict):
                    raise InvalidDefinition(f"{label} field '{field}': must be an object, not {_json(state[field])}")
                validate_template(state[field], f"{label} field '{field}'")

    def check_pass(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Pass needs nothing beyond the common fields."""

    def check_succeed(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Succeed needs nothing beyond the common fields."""

    def check_task(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Resource, timeouts, heartbeats, Credentials, Retry and Catch."""
        resource = state.get("Resource")
        if resource is None:
            raise InvalidDefinition(f"{label}: the field 'Resource' is missing; a Task needs the ARN of what it runs")
        if not isinstance(resource, str) or not resource.startswith("arn:"):
            raise InvalidDefinition(f"{label} field 'Resource': must be an ARN, not {_json(resource)}")
        _exclusive(state, label, "TimeoutSeconds", "TimeoutSecondsPath")
        _exclusive(state, label, "HeartbeatSeconds", "HeartbeatSecondsPath")
        for field in ("TimeoutSeconds", "HeartbeatSeconds"):
            if field in state:
                _integer(state[field], label, field, minimum=1, maximum=MAX_SECONDS)
        for field in ("TimeoutSecondsPath", "HeartbeatSecondsPath"):
            if field in state:
                _path(state[field], label, field, reference=True)
        timeout, heartbeat = state.get("TimeoutSeconds"), state.get("HeartbeatSeconds")
        if timeout is not None and heartbeat is not None and heartbeat >= timeout:
            raise InvalidDefinition(
                f"{label} field 'HeartbeatSeconds': {heartbeat} must be less than TimeoutSeconds ({timeout})"
            )
        if "Credentials" in state:
            if not isinstance(state["Credentials"], dict):
                raise InvalidDefinition(f"{label} field 'Credentials': must be an object")
            validate_template(state["Credentials"], f"{label} field 'Credentials'")
        _retry(state, label)
        _catch(state, label)

    def check_choice(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Choices (each rule, and its Next) and Default."""
        choices = state.get("Choices")
        if not isinstance(choices, list) or not choices:
            raise InvalidDefinition(f"{label} field 'Choices': a Choice state needs a non-empty array of rules")
        for index, rule in enumerate(choices):
            validate_choice_rule(rule, f"{label} field 'Choices[{index}]'", top_level=True)
        if "Default" in state and not isinstance(state["Default"], str):
            raise InvalidDefinition(f"{label} field 'Default': must name a state, not {_json(state['Default'])}")

    def check_wait(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Exactly one of Seconds, Timestamp, SecondsPath or TimestampPath."""
        given = [field for field in ("Seconds", "Timestamp", "SecondsPath", "TimestampPath") if field in state]
        if len(given) != 1:
            raise InvalidDefinition(
                f"{label}: a Wait state needs exactly one of Seconds, Timestamp, SecondsPath or TimestampPath"
                + (f", not {len(given)} ({', '.join(given)})" if given else "")
            )
        field = given[0]
        value = state[field]
        if field == "Seconds":
            _integer(value, label, field, minimum=0, maximum=MAX_SECONDS)
        elif field == "Timestamp":
            if parse_timestamp(value) is None:
                raise InvalidDefinition(
                    f"{label} field 'Timestamp': {_json(value)} is not a timestamp such as 2016-03-14T01:59:00Z"
                )
        else:
            _path(value, label, field, reference=True)

    def check_fail(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Error / ErrorPath and Cause / CausePath."""
        for static, dynamic in (("Error", "ErrorPath"), ("Cause", "CausePath")):
            _exclusive(state, label, static, dynamic)
            if static in state and not isinstance(state[static], str):
                raise InvalidDefinition(f"{label} field '{static}': must be a string, not {_json(state[static])}")
            if dynamic in state:
                value = state[dynamic]
                if is_intrinsic(value):
                    try:
                        validate_intrinsic(value)
                    except IntrinsicSyntaxError as error:
                        raise InvalidDefinition(f"{label} field '{dynamic}': {error}") from None
                else:
                    _path(value, label, dynamic, reference=True)

    def check_parallel(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """Branches, each a state machine of its own, with Retry and Catch."""
        branches = state.get("Branches")
        if not isinstance(branches, list) or not branches:
            raise InvalidDefinition(f"{label} field 'Branches': a Parallel state needs a non-empty array of branches")
        for index, branch in enumerate(branches):
            self.machine(branch, path, _BRANCH_FIELDS, f"{label} field 'Branches[{index}]'")
        _retry(state, label)
        _catch(state, label)

    def check_map(self, state: dict[str, Any], label: str, path: tuple[str, ...]) -> None:
        """The item processor (or legacy Iterator), ItemsPath, concurrency, tolerated failures, Retry and Catch."""
        _exclusive(state, label, "Parameters", "ItemSelector")
        has_processor, has_iterator = "ItemProcessor" in state, "Iterator" in state
        if has_processor == has_iterator:
            raise InvalidDefinition(
                f"{label}: a Map state needs exactly one of ItemProcessor or Iterator"
                + (", not both" if has_processor else "")
            )
        # The older Iterator is ItemProcessor under another name: AWS accepts a ProcessorConfig in either.
        field = "ItemProcessor" if has_processor else "Iterator"
        processor = state[field]
        if isinstance(processor, dict) and "ProcessorConfig" in processor:
            _processor_config(processor["ProcessorConfig"], label, field)
        self.machine(processor, path, _PROCESSOR_FIELDS, f"{label} field '{field}'")
        if "ItemsPath" in state:
            _path(state["ItemsPath"], label, "ItemsPath", reference=True)
        for field, minimum, maximum in (
            ("MaxConcurrency", 0, None),
            ("ToleratedFailureCount", 0, None),
            ("ToleratedFailurePercentage", 0, 100),
        ):
            _exclusive(state, label, field, f"{field}Path")
            if f"{field}Path" in state:
                _path(state[f"{field}Path"], label, f"{field}Path", reference=True)
            if field not in state:
                continue
            if field == "ToleratedFailurePercentage":
                _number(state[field], label, field, minimum=minimum, maximum=maximum)
            else:
                _integer(state[field], label, field, minimum=minimum, maximum=maximum)
        _retry(state, label)
        _catch(state, label)


# -- fields ---------------------------------------------------------------------------------------------------


def _not_allowed(key: str, kind: str) -> str:
    if key in _UNSUPPORTED:
        return _UNSUPPORTED[key]
    owners = [other for other, fields in FIELDS_BY_TYPE.items() if key in fields]
    if owners:
        return f"is not allowed on a {kind} state (only on {', '.join(owners)})"
    return f"is not a field of a {kind} state"


def _query_language(value: Any, where: str) -> None:
    if value != "JSONPath":
        raise InvalidDefinition(
            f"{where} field 'QueryLanguage': only \"JSONPath\" is supported, not {_json(value)}"
            + (" (JSONata states are not supported)" if value == "JSONata" else "")
        )


def _flow(state: dict[str, Any], label: str) -> None:
    has_next, has_end = "Next" in state, "End" in state
    if has_next and has_end:
        raise InvalidDefinition(f"{label}: a state has either 'Next' or 'End', not both")
    if not has_next and not has_end:
        raise InvalidDefinition(f"{label}: the field 'Next' or 'End' is missing; a {state['Type']} state needs one")
    if has_end and state["End"] is not True:
        raise InvalidDefinition(f"{label} field 'End': must be true, not {_json(state['End'])}")
    if has_next and (not isinstance(state["Next"], str) or not state["Next"]):
        raise InvalidDefinition(f"{label} field 'Next': must name a state, not {_json(state['Next'])}")


def _exclusive(state: dict[str, Any], label: str, first: str, second: str) -> None:
    if first in state and second in state:
        raise InvalidDefinition(f"{label}: the fields '{first}' and '{second}' cannot be used together")


def _integer(value: Any, where: str, field: str, *, minimum: int, maximum: int | None = None) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise InvalidDefinition(f"{where} field '{field}': must be an integer {bounds}, not {_json(value)}")


def _number(value: Any, where: str, field: str, *, minimum: float, maximum: float | None = None) -> None:
    valid = isinstance(value, int | float) and not isinstance(value, bool)
    if not valid or value < minimum or (maximum is not None and value > maximum):
        bounds = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        raise InvalidDefinition(f"{where} field '{field}': must be a number {bounds}, not {_json(value)}")


def _path(value: Any, where: str, field: str, *, reference: bool = False) -> None:
    if not isinstance(value, str):
        raise InvalidDefinition(f"{where} field '{field}': must be a path string, not {_json(value)}")
    try:
        validate_path(value, reference=reference)
    except PathError as error:
        raise InvalidDefinition(f"{where} field '{field}': {error}") from None


def _result_path(value: Any, where: str, field: str) -> None:
    _path(value, where, field, reference=True)
    if value.startswith("$$"):
        raise InvalidDefinition(f"{where} field '{field}': a result cannot be written to the context object ($$)")


def _error_equals(value: Any, label: str, owner: str, is_last: bool, kind: str) -> None:
    field = f"{owner}.ErrorEquals"
    if not isinstance(value, list) or not value:
        raise InvalidDefinition(f"{label} field '{field}': must be a non-empty array of error names")
    for name in value:
        if not isinstance(name, str) or not name:
            raise InvalidDefinition(f"{label} field '{field}': {_json(name)} is not an error name")
        if name.startswith("States.") and name not in KNOWN_STATES_ERRORS and not name.startswith("States.Http."):
            raise InvalidDefinition(
                f"{label} field '{field}': {name} is not an error of the language{_suggest(name, KNOWN_STATES_ERRORS)}"
            )
    if ALL in value:
        if len(value) > 1:
            raise InvalidDefinition(f"{label} field '{field}': States.ALL must appear alone")
        if not is_last:
            raise InvalidDefinition(f"{label} field '{field}': States.ALL must be in the last {kind}")


_RETRIER_INTEGERS = (
    ("IntervalSeconds", 1, MAX_SECONDS),
    ("MaxAttempts", 0, MAX_SECONDS),
    ("MaxDelaySeconds", 1, MAX_RETRY_DELAY_SECONDS),
)


def _retry(state: dict[str, Any], label: str) -> None:
    retriers = state.get("Retry")
    if retriers is None:
        return
    if not isinstance(retriers, list):
        raise InvalidDefinition(f"{label} field 'Retry': must be an array of retriers")
    allowed = {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy"}
    for index, retrier in enumerate(retriers):
        field = f"Retry[{index}]"
        if not isinstance(retrier, dict):
            raise InvalidDefinition(f"{label} field '{field}': a retrier must be an object")
        for key in retrier:
            if key not in allowed | {"Comment"}:
                raise InvalidDefinition(f"{label} field '{field}.{key}': is not a field of a retrier")
        _error_equals(retrier.get("ErrorEquals"), label, field, index == len(retriers) - 1, "retrier")
        for key, minimum, maximum in _RETRIER_INTEGERS:
            if key in retrier:
                _integer(retrier[key], label, f"{field}.{key}", minimum=minimum, maximum=maximum)
        if "BackoffRate" in retrier:
            _number(retrier["BackoffRate"], label, f"{field}.BackoffRate", minimum=1.0)
        if "JitterStrategy" in retrier and retrier["JitterStrategy"] not in ("FULL", "NONE"):
            raise InvalidDefinition(
                f'{label} field \'{field}.JitterStrategy\': must be "FULL" or "NONE",'
                f" not {_json(retrier['JitterStrategy'])}"
            )


def _catch(state: dict[str, Any], label: str) -> None:
    catchers = state.get("Catch")
    if catchers is None:
        return
    if not isinstance(catchers, list):
        raise InvalidDefinition(f"{label} field 'Catch': must be an array of catchers")
    for index, catcher in enumerate(catchers):
        field = f"Catch[{index}]"
        if not isinstance(catcher, dict):
            raise InvalidDefinition(f"{label} field '{field}': a catcher must be an object")
        for key in catcher:
            if key not in ("ErrorEquals", "Next", "ResultPath", "Comment"):
                raise InvalidDefinition(f"{label} field '{field}.{key}': is not a field of a catcher")
        _error_equals(catcher.get("ErrorEquals"), label, field, index == len(catchers) - 1, "catcher")
        if not isinstance(catcher.get("Next"), str) or not catcher["Next"]:
            raise InvalidDefinition(f"{label} field '{field}.Next': must name the state to go to")
        if catcher.get("ResultPath") is not None:
            _result_path(catcher["ResultPath"], label, f"{field}.ResultPath")


def _processor_config(config: Any, label: str, field: str = "ItemProcessor") -> None:
    where = f"{label} field '{field}.ProcessorConfig'"
    if not isinstance(config, dict):
        raise InvalidDefinition(f"{where}: must be an object")
    for key, value in config.items():
        choices = {"Mode": ("INLINE", "DISTRIBUTED"), "ExecutionType": ("STANDARD", "EXPRESS")}.get(key)
        if choices is None:
            raise InvalidDefinition(f"{where}: the field '{key}' is not allowed (only Mode and ExecutionType)")
        if value not in choices:
            raise InvalidDefinition(f"{where} field '{key}': must be one of {', '.join(choices)}, not {_json(value)}")


# -- transitions ----------------------------------------------------------------------------------------------


def _transitions(state: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, target) for every transition a (structurally valid) state can take."""
    if isinstance(state.get("Next"), str):
        yield "Next", state["Next"]
    if isinstance(state.get("Default"), str):
        yield "Default", state["Default"]
    for index, rule in enumerate(state.get("Choices") or []):
        if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
            yield f"Choices[{index}].Next", rule["Next"]
    for index, catcher in enumerate(state.get("Catch") or []):
        if isinstance(catcher, dict) and isinstance(catcher.get("Next"), str):
            yield f"Catch[{index}].Next", catcher["Next"]


def _reachable(start: str, states: dict[str, Any]) -> set[str]:
    seen = {start}
    pending = [start]
    while pending:
        for _field, target in _transitions(states[pending.pop()]):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _suggest(name: Any, candidates: Any) -> str:
    if not isinstance(name, str):
        return ""
    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
