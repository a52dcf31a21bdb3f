"""The harness's EventBridge event-pattern engine: validation, matching and TestEventPattern.

One engine serves every place EventBridge decides on a pattern: a rule declared in a stack (checked when
declared), PutRule (`validate_pattern`), delivery of a bus event to a rule's targets (`matches`, see
`harness.routing.pattern_filter`) and the TestEventPattern operation (`test_event_pattern`). Validation
lives in `pattern_validation`, matching in `pattern_matching`; both are written from the EventBridge user
guide's pages on event patterns and content filtering.
"""

from __future__ import annotations

import json
from typing import Any

from harness.routing.pattern_matching import matches
from harness.routing.pattern_validation import InvalidEventPattern, parse_pattern, validate_pattern

__all__ = [
    "InvalidEventPattern",
    "InvalidTestEvent",
    "event_pattern_text",
    "matches",
    "pattern_matches",
    "test_event_pattern",
    "validate_pattern",
]

# TestEventPattern: "the following fields are mandatory: id, account, source, time, region, resources,
# detail-type" (EventBridge API reference, TestEventPattern, request parameter Event).
MANDATORY_EVENT_FIELDS = ("id", "account", "source", "time", "region", "resources", "detail-type")


class InvalidTestEvent(ValueError):
    """The Event given to TestEventPattern is not an EventBridge event (ValidationException)."""

    code = "ValidationException"


def event_pattern_text(pattern: str | dict[str, Any], owner: str) -> str:
    """The pattern as compact JSON text after validation; InvalidEventPattern names the owner and the reason."""
    try:
        validate_pattern(pattern)
    except InvalidEventPattern as exc:
        raise InvalidEventPattern(f"{owner}: {exc}") from None
    return json.dumps(parse_pattern(pattern), separators=(",", ":"))


def pattern_matches(pattern: str | dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether the event matches the pattern (text or mapping); InvalidEventPattern if the pattern is bad."""
    validate_pattern(pattern)
    return matches(parse_pattern(pattern), event)


def test_event_pattern(params: dict[str, Any]) -> dict[str, bool]:
    """Answer TestEventPattern: `{"Result": bool}` for `{"EventPattern": str, "Event": str}`.

    Raises InvalidEventPattern (InvalidEventPatternException) for a pattern PutRule would refuse and
    InvalidTestEvent (ValidationException) for an Event that is not JSON or lacks a mandatory field.
    """
    validate_pattern(params.get("EventPattern", ""))
    try:
        event = json.loads(params.get("Event", ""))
    except ValueError:
        raise InvalidTestEvent("Parameter Event is not valid.") from None
    if not isinstance(event, dict):
        raise InvalidTestEvent("Parameter Event is not valid.")
    missing = [name for name in MANDATORY_EVENT_FIELDS if name not in event]
    if missing:
        raise InvalidTestEvent(f"Parameter Event is not valid. Missing fields: {', '.join(missing)}")
    return {"Result": matches(parse_pattern(params["EventPattern"]), event)}


test_event_pattern.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name
