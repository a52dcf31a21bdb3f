"""Map iterations whose tasks time out together, from the developer guide's Map and error handling pages."""

from __future__ import annotations

import uuid

from tests.handlers import gates
from tests.integration.states_helpers import deploy_machine, task_function

FAMILY = "states.history"
MAP = "https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html"
ERRORS = "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html"


def test_iterations_whose_tasks_time_out_together_each_record_task_timed_out(harness):
    names = [f"together-{uuid.uuid4().hex}" for _ in range(2)]
    harness.on_close(lambda: [gates.release(name) for name in names])
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.gates",
                "ItemSelector": {"gate.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "StartAt": "Call",
                    "States": {
                        "Call": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:::lambda:invoke",
                            "TimeoutSeconds": 5,
                            "Parameters": {"FunctionName": "Blocked", "Payload.$": "$"},
                            "End": True,
                        }
                    },
                },
                "End": True,
            }
        },
    }
    arn = deploy_machine(harness, definition, functions=(task_function("Blocked", "wait_for_gate", timeout=60),))
    execution = harness.states.start(arn, {"gates": names})
    harness.eventually(lambda: execution.event_types().count("TaskStarted") == 2)

    harness.clock.advance(seconds=30)
    harness.drain()

    types = execution.event_types()
    assert (execution.status, execution.error) == ("FAILED", "States.Timeout"), ERRORS
    assert types.count("TaskTimedOut") == 2, MAP
    assert "TaskStateAborted" not in types
    assert types[-2:] == ["MapStateFailed", "ExecutionFailed"]
