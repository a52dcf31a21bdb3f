"""What EventBridge refuses in an event pattern, in EventBridge's own words.

Written from the "Content filtering in Amazon EventBridge event patterns" and "Creating Amazon EventBridge
event patterns" pages of the EventBridge user guide: a pattern is a JSON object whose leaves are non-empty
arrays of values (strings, numbers, true, false, null) or comparison operators (prefix, suffix,
anything-but, numeric, cidr, exists, equals-ignore-case, wildcard), with `$or` combining patterns.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

MAX_PATTERN = 4096
NUMERIC_LIMIT = 5.0e9  # numeric matching works on values between -5.0e9 and +5.0e9 inclusive
WILDCARD_COMPLEXITY_LIMIT = 100
LOWER_BOUNDS = (">", ">=")
UPPER_BOUNDS = ("<", "<=")
TOO_COMPLEX = (
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
    "after a wildcard character"
)


class InvalidEventPattern(ValueError):
    """EventBridge would refuse the pattern (InvalidEventPatternException); the message says why."""

    code = "InvalidEventPatternException"


def _refuse(reason: str) -> InvalidEventPattern:
    return InvalidEventPattern(f"Event pattern is not valid. Reason: {reason}")


def parse_pattern(pattern: str | dict[str, Any]) -> dict[str, Any]:
    """The pattern as a mapping, after checking it is a JSON object; InvalidEventPattern otherwise."""
    if isinstance(pattern, str):
        try:
            parsed = json.loads(pattern)
        except ValueError as exc:
            raise _refuse(f"Filter is not valid JSON ({exc})") from None
    else:
        parsed = pattern
    if not isinstance(parsed, dict):
        raise _refuse("Filter is not an object")
    return parsed


def validate_pattern(pattern: str | dict[str, Any]) -> None:
    """Raise InvalidEventPattern, in EventBridge's wording, for a pattern PutRule would refuse."""
    parsed = parse_pattern(pattern)
    if not parsed:
        raise _refuse("Empty event patterns are not allowed")
    try:
        text = json.dumps(parsed, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise _refuse(f"Filter is not JSON-serializable ({exc})") from None
    if len(text) > MAX_PATTERN:
        raise InvalidEventPattern(
            f"1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: "
            f"Member must have length less than or equal to {MAX_PATTERN} (it has {len(text)})"
        )
    _check_object(parsed, "")
    _check_paths(parsed, "", set())


def _check_paths(node: dict[str, Any], prefix: str, seen: set[str]) -> None:
    """Refuse a field named twice at one level, as `a.b` and as `{"a": {"b": ...}}`."""
    for key, value in node.items():
        if key == "$or":
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _check_paths(value, path, seen)
        elif path in seen:
            raise _refuse(f"Path `{path}` cannot be allowed multiple times")
        else:
            seen.add(path)


def _check_object(node: dict[str, Any], where: str) -> None:
    wildcards: dict[str, list[str]] = {}
    for key, value in node.items():
        here = f"{where}.{key}" if where else key
        if key == "$or":
            _check_or(value)
        elif isinstance(value, dict):
            if not value:
                raise _refuse(f'Empty objects are not allowed (at "{here}")')
            _check_object(value, here)
        elif isinstance(value, list):
            if not value:
                raise _refuse("Empty arrays are not allowed")
            for item in value:
                wildcard = _check_value(item)
                if wildcard is not None:
                    wildcards.setdefault(here, []).append(wildcard)
        else:
            raise _refuse(f'"{key}" must be an object or an array')
    for values in wildcards.values():
        if wildcard_complexity(values) > WILDCARD_COMPLEXITY_LIMIT:
            raise _refuse(TOO_COMPLEX)


def _check_or(value: Any) -> None:
    if not isinstance(value, list) or len(value) < 2:
        raise _refuse("Or relationship must have at least two sub-patterns, given as an array of objects")
    for alternative in value:
        if not isinstance(alternative, dict) or not alternative:
            raise _refuse("Or relationship must have at least two sub-patterns, given as an array of objects")
        _check_object(alternative, "")


def _check_value(item: Any) -> str | None:
    """Check one entry of a leaf array; the wildcard text it holds, if any (for the complexity check)."""
    if item is None or isinstance(item, str | bool):
        return None
    if isinstance(item, int | float):
        _check_number(item)
        return None
    if isinstance(item, list):
        raise _refuse("Match value must be String, number, true, false, or null")
    if not isinstance(item, dict) or not item:
        raise _refuse("Match expression name not found")
    if len(item) != 1:
        raise _refuse("Only one key allowed in match expression")
    ((operator, operand),) = item.items()
    checker = _OPERATORS.get(operator)
    if checker is None:
        raise _refuse(f"Unrecognized match type {operator}")
    return checker(operand)


def _check_number(value: Any) -> None:
    if isinstance(value, float) and value != value:
        raise _refuse("Value must be a number")
    if abs(value) > NUMERIC_LIMIT:
        raise _refuse("Value must be between -5.0E9 and 5.0E9, inclusive")


def _check_affix(operator: str) -> Any:
    def check(operand: Any) -> None:
        if isinstance(operand, dict):
            if list(operand) != ["equals-ignore-case"]:
                name = "Prefix" if operator == "prefix" else "Suffix"
                if not operand:
                    raise _refuse(f"{name} expression name not found")
                if len(operand) > 1:
                    raise _refuse("Only one key allowed in match expression")
                raise _refuse(f"Unsupported {operator} pattern: {next(iter(operand))}")
            if not isinstance(operand["equals-ignore-case"], str):
                raise _refuse("equals-ignore-case match pattern must be a string")
            return
        if not isinstance(operand, str):
            raise _refuse(f"{operator} match pattern must be a string")

    return check


def _check_string(operator: str) -> Any:
    def check(operand: Any) -> None:
        if not isinstance(operand, str):
            raise _refuse(f"{operator} match pattern must be a string")

    return check


def _check_wildcard(operand: Any) -> str:
    if not isinstance(operand, str):
        raise _refuse("wildcard match pattern must be a string")
    check_wildcard_text(operand)
    return operand


def check_wildcard_text(text: str) -> None:
    """Refuse `**` and a backslash that escapes anything but `*` or `\\`, as EventBridge does."""
    index = 0
    data = text.encode()
    while index < len(data):
        byte = data[index : index + 1]
        if byte == b"\\":
            if data[index + 1 : index + 2] not in (b"*", b"\\"):
                raise _refuse(f"Invalid escape character at pos {index + 1}")
            index += 2
            continue
        if byte == b"*" and data[index + 1 : index + 2] == b"*":
            raise _refuse(f"Consecutive wildcard characters at pos {index + 1}")
        index += 1


def _check_exists(operand: Any) -> None:
    if not isinstance(operand, bool):
        raise _refuse("exists match pattern must be either true or false.")


def _check_cidr(operand: Any) -> None:
    if not isinstance(operand, str):
        raise _refuse("prefix match pattern must be a string")
    if "/" not in operand:
        raise _refuse(f"Malformed CIDR, one '/' required: {operand}")
    try:
        ipaddress.ip_network(operand, strict=False)
    except ValueError:
        raise _refuse(f"Nonstandard IP address: {operand}") from None


def _check_numeric(operand: Any) -> None:
    if not isinstance(operand, list):
        raise _refuse("Value of numeric must be an array.")
    if not operand or not isinstance(operand[0], str):
        raise _refuse(f"Invalid member in numeric match: {json.dumps(operand[0]) if operand else ']'}")
    operator = operand[0]
    if operator not in ("=", *LOWER_BOUNDS, *UPPER_BOUNDS):
        raise _refuse(f"Unrecognized numeric range operator: {operator}")
    _numeric_operand(operand, 1, operator)
    if len(operand) == 2:
        return
    if operator not in LOWER_BOUNDS:
        # '=', '<' and '<=' end the expression: two upper bounds are refused here
        raise _refuse("Too many elements in numeric expression")
    second = operand[2]
    if not isinstance(second, str):
        raise _refuse(f"Bad value in numeric range: {json.dumps(second)}")
    if second not in UPPER_BOUNDS:
        # a second lower bound ('>' or '>=') is refused here
        raise _refuse(f"Bad numeric range operator: {second}")
    _numeric_operand(operand, 3, second)
    if len(operand) > 4:
        raise _refuse("Too many terms in numeric range expression")
    if operand[1] >= operand[3]:
        raise _refuse("Bottom must be less than top")


def _numeric_operand(operand: list[Any], index: int, operator: str) -> None:
    value = operand[index] if index < len(operand) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(f"Value of {operator} must be numeric")
    _check_number(value)


def _check_anything_but(operand: Any) -> str | None:
    if isinstance(operand, dict):
        if len(operand) != 1:
            if not operand:
                raise _refuse("Anything-But expression name not found")
            raise _refuse("Too many elements in numeric expression")
        ((inner, value),) = operand.items()
        if inner not in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
            raise _refuse(f"Unsupported anything-but pattern: {inner}")
        return _check_anything_but_set(inner, value)
    if isinstance(operand, list):
        kinds = set()
        for value in operand:
            if isinstance(value, str):
                kinds.add("string")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                _check_number(value)
                kinds.add("number")
            else:
                raise _refuse("Inside anything but list, start|null|boolean is not supported.")
        if len(kinds) != 1:
            raise _refuse(
                "Inside anything but list, either all values are number or string, mixed type is not supported"
            )
        return None
    if isinstance(operand, str):
        return None
    if isinstance(operand, int | float) and not isinstance(operand, bool):
        _check_number(operand)
        return None
    # null, true, false: "anything-but": null is refused
    raise _refuse("Value of anything-but must be an array or single string/number value.")


def _check_anything_but_set(inner: str, value: Any) -> str | None:
    if value is None or isinstance(value, bool | dict):
        raise _refuse("Value of anything-but must be an array or single string/number value.")
    values = value if isinstance(value, list) else [value]
    if not values:
        raise _refuse("Empty arrays are not allowed")
    for text in values:
        if not isinstance(text, str):
            if inner == "equals-ignore-case":
                raise _refuse(
                    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
                )
            if inner == "wildcard":
                raise _refuse("wildcard match pattern must be a string")
            raise _refuse("prefix/suffix match pattern must be a string")
        if inner in ("prefix", "suffix") and not text:
            raise _refuse("Null prefix/suffix not allowed")
        if inner == "wildcard":
            check_wildcard_text(text)
    return None


def wildcard_complexity(patterns: list[str]) -> int:
    """The most NFA states the field's wildcard patterns can hold active at once, over every input.

    EventBridge measures a rule's wildcards this way ("Wildcard matching complexity" in the content
    filtering page): repeated character sequences after a wildcard multiply the states a value can be in.
    """
    automata = [_wildcard_tokens(p) for p in patterns]
    alphabet = {t for tokens in automata for t in tokens if t is not None} | {"\0"}
    start = frozenset((i, s) for i, tokens in enumerate(automata) for s in _closure(tokens, 0))
    seen = {start}
    frontier = [start]
    worst = len(start)
    while frontier:
        current = frontier.pop()
        for char in alphabet:
            following = set()
            for index, state in current:
                tokens = automata[index]
                if state < len(tokens):
                    if tokens[state] is None:
                        following.update((index, s) for s in _closure(tokens, state))
                    elif tokens[state] == char:
                        following.update((index, s) for s in _closure(tokens, state + 1))
            nxt = frozenset(following)
            if nxt and nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
                worst = max(worst, len(nxt))
                if worst > WILDCARD_COMPLEXITY_LIMIT or len(seen) > 20000:
                    return max(worst, WILDCARD_COMPLEXITY_LIMIT + 1)
    return worst


def _wildcard_tokens(pattern: str) -> list[str | None]:
    """Characters of a wildcard pattern, with None for each unescaped `*`."""
    tokens: list[str | None] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            tokens.append(pattern[index + 1])
            index += 2
            continue
        tokens.append(None if char == "*" else char)
        index += 1
    return tokens


def _closure(tokens: list[str | None], state: int) -> list[int]:
    """The states reachable from `state` without reading a character (a `*` may match nothing)."""
    states = [state]
    while state < len(tokens) and tokens[state] is None:
        state += 1
        states.append(state)
    return states


_OPERATORS: dict[str, Any] = {
    "prefix": _check_affix("prefix"),
    "suffix": _check_affix("suffix"),
    "equals-ignore-case": _check_string("equals-ignore-case"),
    "wildcard": _check_wildcard,
    "exists": _check_exists,
    "cidr": _check_cidr,
    "numeric": _check_numeric,
    "anything-but": _check_anything_but,
}
