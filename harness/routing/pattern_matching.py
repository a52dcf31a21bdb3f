"""Whether an event matches an EventBridge event pattern, written from EventBridge's documented rules.

Sources: the EventBridge user guide's "Creating Amazon EventBridge event patterns", "Content filtering in
Amazon EventBridge event patterns", "Arrays in Amazon EventBridge event patterns" and "Matching events on
null values and empty strings" pages.

The event is flattened into leaf values keyed by their dotted path (arrays add no path segment, so
`{"items": [{"sku": "A"}]}` has the leaf `items.sku = "A"`); the pattern is flattened the same way, so a
pattern key `"items.sku"` and a nested `{"items": {"sku": ...}}` name the same field. Each leaf remembers
which element of which array it came from: conditions on fields of an array of objects must be met by
fields of the same element, as a pattern on one object means.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Trail = tuple[tuple[int, int], ...]  # (array id, element index) for every array a leaf sits in


@dataclass(frozen=True)
class Leaf:
    """One scalar value of the event and the array elements it sits in."""

    value: Any
    trail: Trail


def flatten_event(event: Any) -> dict[str, list[Leaf]]:
    """Every leaf of the event (string, number, true, false or null) by dotted path."""
    leaves: dict[str, list[Leaf]] = {}
    counter = itertools.count()

    def walk(node: Any, path: str, trail: Trail) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key), trail)
        elif isinstance(node, list):
            array = next(counter)
            for index, item in enumerate(node):
                walk(item, path, (*trail, (array, index)))
        else:
            leaves.setdefault(path, []).append(Leaf(node, trail))

    walk(event, "", ())
    return leaves


def pattern_alternatives(pattern: dict[str, Any], path: str = "") -> list[dict[str, list[Any]]]:
    """The pattern as alternatives (one per `$or` choice), each mapping dotted paths to their filters."""
    alternatives: list[dict[str, list[Any]]] = [{}]
    for key, value in pattern.items():
        if key == "$or":
            choices = [alt for sub in value for alt in pattern_alternatives(sub, path)]
        elif isinstance(value, dict):
            choices = pattern_alternatives(value, f"{path}.{key}" if path else key)
        else:
            choices = [{f"{path}.{key}" if path else key: value}]
        alternatives = [_merge(mine, theirs) for mine in alternatives for theirs in choices]
    return alternatives


def _merge(left: dict[str, list[Any]], right: dict[str, list[Any]]) -> dict[str, list[Any]]:
    merged = dict(left)
    for key, filters in right.items():
        # the same field in a pattern and in one of its `$or` alternatives: both must hold
        merged[key] = [{"$all": [merged[key], filters]}] if key in merged else filters
    return merged


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether the event matches the (already validated) pattern."""
    leaves = flatten_event(event)
    return any(_alternative_matches(alt, leaves) for alt in pattern_alternatives(pattern))


def _alternative_matches(alternative: dict[str, list[Any]], leaves: dict[str, list[Leaf]]) -> bool:
    candidates: list[list[Leaf]] = []
    for path, filters in alternative.items():
        present = leaves.get(path, [])
        if not present:
            if not _absence_matches(filters):
                return False
            continue
        chosen = [leaf for leaf in present if _any_filter(filters, leaf.value)]
        if not chosen:
            return False
        candidates.append(chosen)
    return _consistent_choice(candidates, {})


def _absence_matches(filters: list[Any]) -> bool:
    """A missing field (or one with no leaf value, such as an empty array) matches only `exists: false`."""
    for item in filters:
        if isinstance(item, dict) and item.get("exists") is False:
            return True
        if isinstance(item, dict) and "$all" in item and all(_absence_matches(sub) for sub in item["$all"]):
            return True
    return False


def _consistent_choice(candidates: list[list[Leaf]], chosen: dict[int, int]) -> bool:
    """One leaf per field such that leaves inside the same array come from the same element."""
    if not candidates:
        return True
    first, rest = candidates[0], candidates[1:]
    for leaf in first:
        consistent = all(chosen.get(array, index) == index for array, index in leaf.trail)
        if consistent and _consistent_choice(rest, {**chosen, **dict(leaf.trail)}):
            return True
    return False


def _any_filter(filters: list[Any], value: Any) -> bool:
    return any(_filter_matches(item, value) for item in filters)


def _filter_matches(item: Any, value: Any) -> bool:
    if not isinstance(item, dict):
        return _equal(item, value)
    ((operator, operand),) = item.items()
    if operator == "$all":
        return all(_any_filter(sub, value) for sub in operand)
    return _OPERATORS[operator](operand, value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(expected: Any, value: Any) -> bool:
    """Exact matching: strings character by character, numbers by their JSON form, true/false/null as such."""
    if expected is None or isinstance(expected, bool):
        return value is expected
    if isinstance(expected, str):
        return isinstance(value, str) and value == expected
    # "300, 300.0 and 3.0e2 are not considered equal": the integer and the decimal forms differ
    return _is_number(value) and type(value) is type(expected) and value == expected


def _prefix(operand: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if isinstance(operand, dict):
        return value.lower().startswith(operand["equals-ignore-case"].lower())
    return value.startswith(operand)


def _suffix(operand: Any, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if isinstance(operand, dict):
        return value.lower().endswith(operand["equals-ignore-case"].lower())
    return value.endswith(operand)


def _equals_ignore_case(operand: str, value: Any) -> bool:
    return isinstance(value, str) and value.lower() == operand.lower()


def _wildcard(operand: str, value: Any) -> bool:
    return isinstance(value, str) and wildcard_regex(operand).fullmatch(value) is not None


@lru_cache(maxsize=1024)
def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression for a wildcard pattern: `*` is any run of characters, `\\*` a literal star."""
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            parts.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "*" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL)


def _anything_but(operand: Any, value: Any) -> bool:
    if isinstance(operand, dict):
        ((inner, listed),) = operand.items()
        texts = listed if isinstance(listed, list) else [listed]
        if not isinstance(value, str):
            return True  # a string comparison cannot hold for a number, boolean or null
        test = _ANYTHING_BUT_INNER[inner]
        return not any(test(text, value) for text in texts)
    listed = operand if isinstance(operand, list) else [operand]
    return not any(_equal_loosely(item, value) for item in listed)


def _equal_loosely(item: Any, value: Any) -> bool:
    # anything-but compares numbers by value (as numeric matching does) and strings exactly
    if _is_number(item):
        return _is_number(value) and float(value) == float(item)
    return isinstance(value, str) and value == item


def _numeric(operand: list[Any], value: Any) -> bool:
    if not _is_number(value):
        return False
    for operator, bound in zip(operand[::2], operand[1::2], strict=True):
        if not _NUMERIC[operator](float(value), float(bound)):
            return False
    return True


def _cidr(operand: str, value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    network = ipaddress.ip_network(operand, strict=False)
    return address.version == network.version and address in network


def _exists(operand: bool, value: Any) -> bool:
    # reached only for a field that has a leaf value
    return operand


_NUMERIC = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_ANYTHING_BUT_INNER = {
    "prefix": lambda text, value: value.startswith(text),
    "suffix": lambda text, value: value.endswith(text),
    "equals-ignore-case": lambda text, value: value.lower() == text.lower(),
    "wildcard": lambda text, value: wildcard_regex(text).fullmatch(value) is not None,
}
_OPERATORS = {
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _equals_ignore_case,
    "wildcard": _wildcard,
    "anything-but": _anything_but,
    "numeric": _numeric,
    "cidr": _cidr,
    "exists": _exists,
}
