"""Handlers for routing tests: they print the event they received as one JSON line, or fail."""

import json


def record(event, context):
    """Logs `EVENT <json>` and returns the event."""
    print("EVENT " + json.dumps(event))
    return event


def fail(event, context):
    """Always fails, after logging the attempt."""
    print("ATTEMPT " + json.dumps(event))
    raise RuntimeError("the recorder was told to fail")
