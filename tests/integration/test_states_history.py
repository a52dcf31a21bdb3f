"""Every history event the harness records matches the HistoryEvent shape of botocore's Step Functions model."""

from __future__ import annotations

import uuid
from typing import Any

import botocore.session
import pytest

from harness.states.history import details_key
from tests.handlers import gates
from tests.integration.states_helpers import deploy_machine, lambda_arn, pass_state, task_function

MODEL = botocore.session.get_session().get_service_model("stepfunctions")
HISTORY_EVENT = MODEL.shape_for("HistoryEvent")
_PYTHON_TYPES = {
    "string": str,
    "boolean": bool,
    "integer": int,
    "long": int,
    "timestamp": (int, float),
    "map": dict,
    "list": list,
}


def shape_problems(value: Any, shape: Any, where: str) -> list[str]:
    """Where `value` breaks `shape`: unknown or missing members, wrong types."""
    if shape.type_name == "structure":
        if not isinstance(value, dict):
            return [f"{where} is {type(value).__name__}, not an object"]
        problems = [f"{where}.{key} is not a member of {shape.name}" for key in value if key not in shape.members]
        problems += [f"{where}.{key} is required by {shape.name}" for key in shape.required_members if key not in value]
        for key, member in shape.members.items():
            if key in value:
                problems += shape_problems(value[key], member, f"{where}.{key}")
        return problems
    expected = _PYTHON_TYPES[shape.type_name]
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return [f"{where} is {value!r}, not a {shape.type_name}"]
    return []


def test_every_event_type_maps_to_a_details_member_of_the_model():
    members = set(HISTORY_EVENT.members)
    for event_type in MODEL.shape_for("HistoryEventType").enum:
        key = details_key(event_type)
        assert key is None or key in members, event_type


def main_machine(harness) -> dict:
    """Choice, a retried and caught Lambda task, Parallel with lambda:invoke and Map, Fail or Succeed."""
    return {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.path", "StringEquals": "skip", "Next": "Done"}],
                "Default": "Work",
            },
            "Work": {
                "Type": "Task",
                "Resource": lambda_arn(harness, "Fail"),
                "TimeoutSeconds": 30,
                "Retry": [{"ErrorEquals": ["Retried"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught", "Next": "Both"}],
                "Next": "Both",
            },
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Invoke",
                        "States": {
                            "Invoke": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::lambda:invoke",
                                "Parameters": {"FunctionName": "Echo", "Payload.$": "$"},
                                "End": True,
                            }
                        },
                    },
                    {
                        "StartAt": "Each",
                        "States": {
                            "Each": {
                                "Type": "Map",
                                "ItemsPath": "$.items",
                                "ItemProcessor": {"StartAt": "Item", "States": {"Item": pass_state()}},
                                "End": True,
                            }
                        },
                    },
                ],
                "ResultPath": "$.both",
                "Next": "Decide",
            },
            "Decide": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.path", "StringEquals": "fail", "Next": "Broken"}],
                "Default": "Done",
            },
            "Broken": {"Type": "Fail", "Error": "Broken", "Cause": "on purpose"},
            "Done": {"Type": "Succeed"},
        },
    }


@pytest.fixture
def executions(harness):
    """Executions that between them record every kind of event the harness writes."""
    functions = (task_function("Echo", "echo"), task_function("Fail", "fail"))
    main = deploy_machine(harness, main_machine(harness), functions=functions)
    runs = [harness.states.run(main, {"path": path, "items": [1, 2], "error": "Retried"}) for path in ("ok", "fail")]
    harness.advance(seconds=1)

    gate = f"history-{uuid.uuid4().hex}"
    harness.on_close(lambda: gates.release(gate))
    timed_task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "Blocked", "Payload": {"gate": gate}},
        "TimeoutSeconds": 5,
        "End": True,
    }
    blocked = deploy_machine(
        harness,
        {"StartAt": "Timed", "States": {"Timed": timed_task}},
        name="Blocked",
        functions=(task_function("Blocked", "wait_for_gate", timeout=60),),
    )
    timed = harness.states.start(blocked, {})
    harness.eventually(lambda: "TaskStarted" in timed.event_types())
    harness.clock.advance(seconds=5)

    waiting = deploy_machine(
        harness,
        {"StartAt": "W", "TimeoutSeconds": 10, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": True}}},
        name="Waiting",
    )
    stopped = harness.states.run(waiting, {})
    harness.states.stop(stopped.arn, "Operator", "stopped")
    timed_out = harness.states.run(waiting, {})
    harness.advance(seconds=10)
    return [*runs, timed, stopped, timed_out]


def test_every_recorded_event_matches_the_model(executions):
    statuses = [e.status for e in executions]
    assert statuses == ["SUCCEEDED", "FAILED", "FAILED", "ABORTED", "TIMED_OUT"]
    seen = set()
    for execution in executions:
        for event in execution.events:
            seen.add(event.type)
            assert shape_problems(event.to_api(), HISTORY_EVENT, event.type) == []
    assert {
        "ChoiceStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionFailed",
        "TaskStateExited",
        "ParallelStateStarted",
        "MapIterationSucceeded",
        "TaskScheduled",
        "TaskSucceeded",
        "TaskTimedOut",
        "FailStateEntered",
        "SucceedStateExited",
        "WaitStateAborted",
        "ExecutionSucceeded",
        "ExecutionFailed",
        "ExecutionAborted",
        "ExecutionTimedOut",
    } <= seen
