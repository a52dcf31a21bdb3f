"""Choice rules: the comparison operators of the Amazon States Language, with And / Or / Not.

A comparison reads its `Variable` (a reference path, `$` or `$$`) and compares it with the operator's value
(or, for the `...Path` operators, with the value at another reference path). A Variable of another type than
the operator's compares false; a Variable that is not there is a States.Runtime error, except for IsPresent.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from harness.states.errors import RUNTIME, InvalidDefinition, StatesError
from harness.states.jsonpath import PathError, PathNotFound, read_path, validate_path

BOOLEAN_OPERATORS = ("And", "Or", "Not")

# RFC 3339 with an uppercase T and Z, as Step Functions requires: 2016-08-18T17:33:00Z, ...T17:33:00.5+01:00
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def parse_timestamp(value: Any) -> datetime | None:
    """The instant a Step Functions timestamp string denotes, or None if `value` is not one."""
    if not isinstance(value, str) or _TIMESTAMP.fullmatch(value) is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _is_timestamp(value: Any) -> bool:
    return parse_timestamp(value) is not None


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": lambda a, b: a == b,
    "LessThan": lambda a, b: a < b,
    "GreaterThan": lambda a, b: a > b,
    "LessThanEquals": lambda a, b: a <= b,
    "GreaterThanEquals": lambda a, b: a >= b,
}

# Kind of value -> (is a value of that kind, how to turn it into something comparable)
_KINDS: dict[str, tuple[Callable[[Any], bool], Callable[[Any], Any]]] = {
    "String": (_is_string, lambda value: value),
    "Numeric": (_is_number, lambda value: value),
    "Boolean": (_is_boolean, lambda value: value),
    "Timestamp": (_is_timestamp, parse_timestamp),
}

# Comparison operator -> (kind, ordering); the "...Path" forms are derived from these.
_COMPARISONS: dict[str, tuple[str, str]] = {
    f"{kind}{ordering}": (kind, ordering) for kind in ("String", "Numeric", "Timestamp") for ordering in _ORDERINGS
} | {"BooleanEquals": ("Boolean", "Equals")}

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "IsNull": lambda value: value is None,
    "IsNumeric": _is_number,
    "IsString": _is_string,
    "IsBoolean": _is_boolean,
    "IsTimestamp": _is_timestamp,
}

COMPARISON_OPERATORS = frozenset(
    [*_COMPARISONS, *(f"{name}Path" for name in _COMPARISONS), "StringMatches", "IsPresent", *_TYPE_TESTS]
)
_RULE_FIELDS = COMPARISON_OPERATORS | set(BOOLEAN_OPERATORS) | {"Variable", "Next", "Comment"}


# -- evaluation -----------------------------------------------------------------------------------------------


def evaluate_choice_rule(rule: dict[str, Any], data: Any, context: Any = None) -> bool:
    """Whether a Choice rule (a comparison, or And / Or / Not of rules) holds for a state's data."""
    if "And" in rule:
        return all(evaluate_choice_rule(inner, data, context) for inner in rule["And"])
    if "Or" in rule:
        return any(evaluate_choice_rule(inner, data, context) for inner in rule["Or"])
    if "Not" in rule:
        return not evaluate_choice_rule(rule["Not"], data, context)
    operator = _operator_of(rule)
    variable_path = rule["Variable"]
    expected = rule[operator]
    if operator == "IsPresent":
        try:
            read_path(variable_path, data, context)
        except PathNotFound:
            return expected is False
        except PathError as error:
            raise StatesError(RUNTIME, str(error)) from None
        return expected is True
    variable = _read(variable_path, data, context)
    if operator in _TYPE_TESTS:
        return _TYPE_TESTS[operator](variable) is expected
    if operator == "StringMatches":
        return isinstance(variable, str) and string_matches(variable, expected)
    if operator.endswith("Path"):
        operator = operator[: -len("Path")]
        expected = _read(expected, data, context)
    kind, ordering = _COMPARISONS[operator]
    is_kind, comparable = _KINDS[kind]
    if not (is_kind(variable) and is_kind(expected)):
        return False
    return _ORDERINGS[ordering](comparable(variable), comparable(expected))


def _operator_of(rule: dict[str, Any]) -> str:
    for key in rule:
        if key in COMPARISON_OPERATORS:
            return key
    raise StatesError(RUNTIME, f"The choice rule {json.dumps(rule)} has no comparison operator")


def _read(path: str, data: Any, context: Any) -> Any:
    try:
        return read_path(path, data, context)
    except PathNotFound:
        raise StatesError(
            RUNTIME, f"Invalid path '{path}': The choice state's condition path references an invalid value."
        ) from None
    except PathError as error:
        raise StatesError(RUNTIME, str(error)) from None


def string_matches(value: str, pattern: str) -> bool:
    """StringMatches: `*` matches any run of characters; `\\*` and `\\\\` stand for `*` and `\\`."""
    return _matcher(pattern).fullmatch(value) is not None


def _matcher(pattern: str) -> re.Pattern[str]:
    pieces: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            pieces.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        pieces.append(".*" if char == "*" else re.escape(char))
        index += 1
    return re.compile("".join(pieces), re.DOTALL)


# -- validation -----------------------------------------------------------------------------------------------


def validate_choice_rule(rule: Any, where: str, *, top_level: bool) -> None:
    """Raise InvalidDefinition naming `where` unless `rule` is a well-formed Choice rule.

    A top-level rule (an entry of Choices) needs `Next`; a rule nested in And / Or / Not must not have it.
    Each comparison has a valid `Variable` and exactly one operator with a value of the operator's type.
    """
    if not isinstance(rule, dict):
        raise InvalidDefinition(f"{where}: a choice rule must be an object, not {json.dumps(rule)}")
    if top_level:
        if "Next" not in rule:
            raise InvalidDefinition(f"{where}: a choice rule in Choices needs the field 'Next'")
        if not isinstance(rule["Next"], str) or not rule["Next"]:
            raise InvalidDefinition(f"{where}: the field 'Next' must name a state, not {json.dumps(rule['Next'])}")
    elif "Next" in rule:
        raise InvalidDefinition(f"{where}: the field 'Next' is only allowed on a rule directly in Choices")
    for key in rule:
        if key not in _RULE_FIELDS:
            close = difflib.get_close_matches(key, sorted(_RULE_FIELDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InvalidDefinition(f"{where}: '{key}' is not a comparison operator or a field of a choice rule{hint}")
    booleans = [key for key in rule if key in BOOLEAN_OPERATORS]
    operators = [key for key in rule if key in COMPARISON_OPERATORS]
    if len(booleans) + len(operators) != 1:
        found = booleans + operators
        raise InvalidDefinition(
            f"{where}: a choice rule needs exactly one of And, Or, Not or a comparison operator"
            + (f", not {len(found)} ({', '.join(found)})" if found else "")
        )
    allowed = {"Comment", "Next", *booleans, *operators} | ({"Variable"} if operators else set())
    for key in rule:
        if key not in allowed:
            raise InvalidDefinition(f"{where}: the field '{key}' is not allowed in this choice rule")
    if booleans:
        _validate_boolean(rule, booleans[0], where)
    else:
        _validate_comparison(rule, operators[0], where)


def _validate_boolean(rule: dict[str, Any], operator: str, where: str) -> None:
    value = rule[operator]
    if operator == "Not":
        validate_choice_rule(value, _nested(where, ".Not"), top_level=False)
        return
    if not isinstance(value, list) or not value:
        raise InvalidDefinition(f"{where}: the field '{operator}' must be a non-empty array of choice rules")
    for index, inner in enumerate(value):
        validate_choice_rule(inner, _nested(where, f".{operator}[{index}]"), top_level=False)


def _nested(where: str, suffix: str) -> str:
    """Where a nested rule is: "State 'C' field 'Choices[0]'" becomes "State 'C' field 'Choices[0].Not'"."""
    return f"{where[:-1]}{suffix}'" if where.endswith("'") else f"{where} > {suffix.lstrip('.')}"


def _validate_comparison(rule: dict[str, Any], operator: str, where: str) -> None:
    if "Variable" not in rule:
        raise InvalidDefinition(f"{where}: the comparison {operator} needs the field 'Variable'")
    _validate_reference(rule["Variable"], where, "Variable")
    value = rule[operator]
    if operator.endswith("Path"):
        _validate_reference(value, where, operator)
        return
    if operator in _TYPE_TESTS or operator == "IsPresent":
        valid, expected = _is_boolean(value), "true or false"
    elif operator == "StringMatches":
        valid, expected = _is_string(value), "a string"
    else:
        kind = _COMPARISONS[operator][0]
        valid, expected = {
            "String": (_is_string(value), "a string"),
            "Numeric": (_is_number(value) and math.isfinite(value), "a number"),
            "Boolean": (_is_boolean(value), "true or false"),
            "Timestamp": (_is_timestamp(value), "a timestamp such as 2016-08-18T17:33:00Z"),
        }[kind]
    if not valid:
        raise InvalidDefinition(f"{where}: the value of '{operator}' must be {expected}, not {json.dumps(value)}")


def _validate_reference(path: Any, where: str, field: str) -> None:
    if not isinstance(path, str):
        raise InvalidDefinition(f"{where}: the field '{field}' must be a path string, not {json.dumps(path)}")
    try:
        validate_path(path, reference=True)
    except PathError as error:
        raise InvalidDefinition(f"{where}: the field '{field}' is not a valid reference path: {error}") from None
