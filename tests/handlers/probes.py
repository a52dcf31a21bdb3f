"""Handlers that report what a function sees: environment, context, cold starts, errors, timeouts."""

import json
import logging
import os
import threading

import boto3

INIT_COUNT = 0
INIT_COUNT += 1  # runs once per cold start of the function that loaded this module
GREETING = os.environ.get("GREETING", "unset")


class InventoryError(Exception):
    """A domain error whose class name Lambda reports as errorType."""


def env_probe(event, context):
    return {key: os.environ.get(key) for key in event["keys"]}


def init_probe(event, context):
    return {"init_count": INIT_COUNT, "greeting_at_init": GREETING}


def context_probe(event, context):
    return {
        "function_name": context.function_name,
        "invoked_function_arn": context.invoked_function_arn,
        "aws_request_id": context.aws_request_id,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "log_group_name": context.log_group_name,
        "remaining": context.get_remaining_time_in_millis(),
    }


def fail(event, context):
    print("about to fail")
    raise InventoryError(f"out of stock: {event.get('item')}")


def wait(event, context):
    threading.Event().wait(event["seconds"])
    return {"waited": event["seconds"]}


def call_other(event, context):
    response = boto3.client("lambda").invoke(FunctionName=event["target"], Payload=json.dumps(event["payload"]))
    return {"status": response["StatusCode"], "payload": json.loads(response["Payload"].read())}


def log_probe(event, context):
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("probe").info("info through logging")
    print("through print")
    return {"ok": True}


def unserializable(event, context):
    return {"value": object()}
