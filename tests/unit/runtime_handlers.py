"""Handlers for the runtime unit tests (not collected: no test_ prefix)."""

import os

# Module top level runs once per cold start; the count lives in the function's own environment,
# which survives reloads of this module, so each runtime counts its own cold starts.
os.environ["LOADS"] = str(int(os.environ.get("LOADS", "0")) + 1)

NOT_CALLABLE = "just a string"


def loads(event, context):
    return {"loads": int(os.environ["LOADS"])}


def echo(event, context):
    event["touched"] = True
    return event
