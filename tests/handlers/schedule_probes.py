"""Handlers for schedule tests: record the event they get, fail, or create a schedule with plain boto3."""

import json

import boto3


class HealthCheckFailed(Exception):
    """A check that always fails."""


def record_event(event, context):
    print(f"EVENT {json.dumps(event, sort_keys=True)}")
    return {"received": event}


def always_fail(event, context):
    raise HealthCheckFailed("the dependency is down")


def create_schedule(event, context):
    response = boto3.client("scheduler").create_schedule(**event)
    return {"arn": response["ScheduleArn"]}
