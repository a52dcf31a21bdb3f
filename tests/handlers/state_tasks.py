"""Handlers that state machine tests use as Task resources."""

import json
import os

import boto3

from tests.handlers import gates

ATTEMPTS: dict[str, int] = {}


class TransientError(Exception):
    """Fails the first attempts of a flaky task."""


def echo(event, context):
    return event


def double(event, context):
    return {"value": event["value"] * 2}


def fail(event, context):
    """Raise an exception whose class name is event["error"] (Lambda reports it as errorType)."""
    error_class = type(event.get("error", "Exception"), (Exception,), {})
    raise error_class(event.get("message", "failed on purpose"))


def flaky(event, context):
    """Fail with TransientError the first event["failures"] times for event["key"], then succeed."""
    key = event["key"]
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    if ATTEMPTS[key] <= event["failures"]:
        raise TransientError(f"attempt {ATTEMPTS[key]} of {key} failed")
    return {"key": key, "attempts": ATTEMPTS[key]}


def needs_retries(event, context):
    """Fail until the state's retry count (passed in as event["retries"]) reaches event["needed"]."""
    if event["retries"] < event["needed"]:
        raise TransientError(f"retry {event['retries']} is too early")
    return event


def wait_for_gate(event, context):
    """Block until the test opens event["gate"]; then return the event."""
    if not gates.gate(event["gate"]).wait(event.get("limit", 30)):
        raise TimeoutError(f"gate {event['gate']} never opened")
    return event


def environment(event, context):
    return {"endpoint": os.environ.get("AWS_ENDPOINT_URL")}


def start_and_describe(event, context):
    """Start an execution through the Step Functions API the function's environment points at."""
    sfn = boto3.client("stepfunctions")
    started = sfn.start_execution(stateMachineArn=event["stateMachineArn"], input=json.dumps(event["input"]))
    described = sfn.describe_execution(executionArn=started["executionArn"])
    return {"executionArn": started["executionArn"], "status": described["status"]}
