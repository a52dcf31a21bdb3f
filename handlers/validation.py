"""Input checks shared by the pattern handlers: refuse an event before anything is written, naming the field.

Each check raises `error` (InvalidEvent unless the handler names its own class) with a message that
starts with the field's path, so the caller sees at once what to fix.
"""

import json
import math
from decimal import Decimal

# Money: positive, at most two decimals, at most a trillion. Sums of such amounts stay exact within the
# 38 significant digits a DynamoDB number holds (it stores 1E-130 .. 9.99E+125 with 38 digits).
MAX_AMOUNT = Decimal("1000000000000")
MAX_TEXT = 1024  # a key attribute holds up to 2048 bytes; ids are far shorter
_MISSING = object()


class InvalidEvent(ValueError):
    """The event cannot be processed; the message names the field that is wrong."""


def _shown(value):
    text = json.dumps(value, default=repr)
    return text if len(text) <= 60 else text[:57] + "..."


def event_object(event, error=InvalidEvent, name="event"):
    """The event itself, which must be a JSON object."""
    if not isinstance(event, dict):
        raise error(f"{name} must be a JSON object, got {_shown(event)}")
    return event


def field(container, key, path, *, default=_MISSING, error=InvalidEvent):
    """The value of `key`, or `default`; a missing required field is refused naming `path`."""
    value = container.get(key, default)
    if value is _MISSING:
        raise error(f"{path} is required")
    return value


def text(container, key, path, *, default=_MISSING, error=InvalidEvent, max_length=MAX_TEXT):
    """A non-empty string of at most `max_length` characters."""
    value = field(container, key, path, default=default, error=error)
    if value is default and default is not _MISSING:
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise error(f"{path} must be a non-empty string of at most {max_length} characters, got {_shown(value)}")
    return value


def obj(container, key, path, *, default=_MISSING, error=InvalidEvent):
    """A JSON object."""
    value = field(container, key, path, default=default, error=error)
    if not isinstance(value, dict):
        raise error(f"{path} must be a JSON object, got {_shown(value)}")
    return value


def integer(container, key, path, *, low, high, default=_MISSING, error=InvalidEvent):
    """A whole number between `low` and `high`."""
    value = field(container, key, path, default=default, error=error)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise error(f"{path} must be a whole number from {low} to {high}, got {_shown(value)}")
    return value


def number(container, key, path, *, low, high, default=_MISSING, error=InvalidEvent):
    """A finite number between `low` and `high`."""
    value = field(container, key, path, default=default, error=error)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not low <= value <= high
    ):
        raise error(f"{path} must be a number from {low} to {high}, got {_shown(value)}")
    return value


def amount(value, path, *, error=InvalidEvent):
    """A money amount as a Decimal: positive, at most two decimals, at most MAX_AMOUNT."""
    problem = f"{path} must be a positive amount of at most {MAX_AMOUNT} with at most 2 decimals, got {_shown(value)}"
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise error(problem)
    try:
        parsed = Decimal(str(value).strip())
    except ArithmeticError:
        raise error(problem) from None
    if not parsed.is_finite() or parsed <= 0 or parsed > MAX_AMOUNT or parsed.as_tuple().exponent < -2:
        raise error(problem)
    return parsed
