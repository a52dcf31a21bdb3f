"""Event pattern checks made before a rule reaches the backend, so a malformed pattern gets a clear error.

Matching stays the emulator's. These checks cover what EventBridge refuses and moto does not (or answers
with an internal error): a pattern that is not a JSON object, a leaf that is not a non-empty array, an
unknown or malformed comparison operator (`prefix`, `suffix`, `anything-but`, `numeric`, `exists`,
`cidr`, `equals-ignore-case`, `wildcard`) and an `$or` that is not a list of patterns.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

NUMERIC_OPERATORS = ("<", "<=", "=", ">=", ">")
MAX_PATTERN = 4096


class InvalidEventPattern(ValueError):
    """The pattern would be refused by EventBridge; the message names the rule and the problem."""


def event_pattern_text(pattern: str | dict[str, Any], owner: str) -> str:
    """The pattern as compact JSON text, after checking it; InvalidEventPattern says what is wrong."""
    if isinstance(pattern, str):
        try:
            parsed = json.loads(pattern)
        except ValueError as exc:
            raise InvalidEventPattern(f"{owner}: event pattern is not valid JSON ({exc})") from None
    else:
        parsed = pattern
    if not isinstance(parsed, dict):
        raise InvalidEventPattern(f"{owner}: event pattern must be a JSON object, got {type(parsed).__name__}")
    if not parsed:
        raise InvalidEventPattern(f"{owner}: event pattern is empty; name at least one field to match")
    _check_object(parsed, owner, "")
    try:
        text = json.dumps(parsed, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise InvalidEventPattern(f"{owner}: event pattern is not JSON-serializable ({exc})") from None
    if len(text) > MAX_PATTERN:
        raise InvalidEventPattern(f"{owner}: event pattern is {len(text)} characters; at most {MAX_PATTERN}")
    return text


def _check_object(node: dict[str, Any], owner: str, where: str) -> None:
    for key, value in node.items():
        here = f"{where}.{key}" if where else key
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) and v for v in value):
                raise InvalidEventPattern(f"{owner}: '$or' at {where or 'top level'} must list at least two patterns")
            for alternative in value:
                _check_object(alternative, owner, where)
        elif isinstance(value, dict):
            if not value:
                raise InvalidEventPattern(f"{owner}: '{here}' is an empty object")
            _check_object(value, owner, here)
        elif isinstance(value, list):
            if not value:
                raise InvalidEventPattern(f"{owner}: '{here}' is an empty array; it would match nothing")
            for item in value:
                _check_filter(item, owner, here)
        else:
            raise InvalidEventPattern(
                f"{owner}: '{here}' must be an array of values or an object, got {json.dumps(value)}"
            )


def _check_filter(item: Any, owner: str, where: str) -> None:
    if item is None or isinstance(item, str | bool | int | float):
        return
    if not isinstance(item, dict) or len(item) != 1:
        raise InvalidEventPattern(
            f"{owner}: '{where}' holds {json.dumps(item)}; each entry must be a value or one comparison operator"
        )
    ((operator, operand),) = item.items()
    problem = _operator_problem(operator, operand)
    if problem:
        raise InvalidEventPattern(f"{owner}: '{where}': {problem}")


def _operator_problem(operator: str, operand: Any) -> str | None:
    """What is wrong with one comparison, or None."""
    if operator in {"prefix", "suffix"}:
        if isinstance(operand, str) or _is_ignore_case(operand):
            return None
        return f"{operator} needs a string (or {{'equals-ignore-case': string}}), got {json.dumps(operand)}"
    if operator in {"equals-ignore-case", "wildcard"}:
        return None if isinstance(operand, str) else f"{operator} needs a string, got {json.dumps(operand)}"
    if operator == "exists":
        return None if isinstance(operand, bool) else f"exists needs true or false, got {json.dumps(operand)}"
    if operator == "cidr":
        try:
            ipaddress.ip_network(operand)
        except (TypeError, ValueError):
            return f"cidr needs an IP network such as '10.0.0.0/24', got {json.dumps(operand)}"
        return None
    if operator == "numeric":
        return _numeric_problem(operand)
    if operator == "anything-but":
        return _anything_but_problem(operand)
    return f"unknown comparison operator {operator!r}"


def _is_ignore_case(operand: Any) -> bool:
    return (
        isinstance(operand, dict)
        and list(operand) == ["equals-ignore-case"]
        and isinstance(operand["equals-ignore-case"], str)
    )


def _numeric_problem(operand: Any) -> str | None:
    shape = "numeric needs [operator, number, ...] with operators from " + ", ".join(NUMERIC_OPERATORS)
    if not isinstance(operand, list) or not operand or len(operand) % 2 or len(operand) > 4:
        return f"{shape}; got {json.dumps(operand)}"
    for operator, number in zip(operand[::2], operand[1::2], strict=True):
        if operator not in NUMERIC_OPERATORS or isinstance(number, bool) or not isinstance(number, int | float):
            return f"{shape}; got {json.dumps(operand)}"
    return None


def _anything_but_problem(operand: Any) -> str | None:
    if operand is None or isinstance(operand, str | bool | int | float):
        return None
    if isinstance(operand, list):
        if operand and all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in operand):
            return None
        return f"anything-but needs a non-empty list of strings or numbers, got {json.dumps(operand)}"
    if isinstance(operand, dict) and len(operand) == 1:
        ((inner, value),) = operand.items()
        if inner in {"prefix", "suffix", "equals-ignore-case", "wildcard"} and (
            isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value))
        ):
            return None
    return (
        "anything-but needs a value, a list of values or one of prefix, suffix, equals-ignore-case or wildcard; "
        f"got {json.dumps(operand)}"
    )
