"""The interpreter end to end: Pass, Choice, Succeed, Fail, paths, the context object and intrinsic functions."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from tests.integration.states_helpers import deploy_machine, details, pass_state


def run(harness, definition: dict, payload, *, name: str | None = None):
    arn = deploy_machine(harness, definition)
    return harness.states.run(arn, payload, name=name)


def test_pass_places_its_result_with_result_path_and_output_path(harness):
    definition = {
        "StartAt": "Add",
        "States": {
            "Add": pass_state(Result={"x": 1}, ResultPath="$.added", Next="Keep"),
            "Keep": pass_state(InputPath="$.added", ResultPath="$.copy", OutputPath="$.copy"),
        },
    }

    execution = run(harness, definition, {"order": 7})

    assert execution.status == "SUCCEEDED"
    assert execution.output == {"x": 1}
    assert [d["output"] for d in details(execution, "PassStateExited")] == ['{"order":7,"added":{"x":1}}', '{"x":1}']


def test_null_paths_discard_input_result_and_output(harness):
    definition = {
        "StartAt": "NoInput",
        "States": {
            "NoInput": pass_state(InputPath=None, ResultPath="$.seen", Next="NoResult"),
            "NoResult": pass_state(Result="ignored", ResultPath=None, Next="NoOutput"),
            "NoOutput": pass_state(OutputPath=None),
        },
    }

    execution = run(harness, definition, {"a": 1})

    outputs = [json.loads(d["output"]) for d in details(execution, "PassStateExited")]
    assert outputs == [{"a": 1, "seen": {}}, {"a": 1, "seen": {}}, {}]


def test_parameters_read_paths_the_context_object_and_intrinsics(harness):
    definition = {
        "StartAt": "Shape",
        "States": {
            "Shape": pass_state(
                Parameters={
                    "id.$": "$.order.id",
                    "literal": {"nested": [1, 2]},
                    "greeting.$": "States.Format('Order {} of {}', $.order.id, $.customer)",
                    "items.$": "States.Array($.order.id, 'x', 3)",
                    "parsed.$": "States.StringToJson($.raw)",
                    "execution.$": "$$.Execution.Name",
                    "machine.$": "$$.StateMachine.Name",
                    "state.$": "$$.State.Name",
                    "input.$": "$$.Execution.Input.customer",
                }
            ),
        },
    }
    name = f"run-{uuid.uuid4().hex[:8]}"

    execution = run(harness, definition, {"order": {"id": "A-1"}, "customer": "c-7", "raw": '{"k": [1]}'}, name=name)

    assert execution.output == {
        "id": "A-1",
        "literal": {"nested": [1, 2]},
        "greeting": "Order A-1 of c-7",
        "items": ["A-1", "x", 3],
        "parsed": {"k": [1]},
        "execution": name,
        "machine": "Machine",
        "state": "Shape",
        "input": "c-7",
    }


def test_the_context_object_names_the_execution_and_times(harness):
    definition = {
        "StartAt": "Context",
        "States": {
            "Context": pass_state(
                Parameters={
                    "id.$": "$$.Execution.Id",
                    "start.$": "$$.Execution.StartTime",
                    "entered.$": "$$.State.EnteredTime",
                    "role.$": "$$.Execution.RoleArn",
                    "machine.$": "$$.StateMachine.Id",
                    "state.$": "$$.State",
                }
            )
        },
    }

    execution = run(harness, definition, {})

    out = execution.output
    assert out["id"] == execution.arn
    assert out["machine"] == execution.machine.arn
    assert out["role"].endswith(":role/Machine-role")
    assert "RetryCount" not in out["state"]  # only states that can retry (Task, Parallel, Map) have one
    for key in ("start", "entered"):
        assert out[key].endswith("Z") and len(out[key]) == len("2025-02-25T10:00:00.000Z")
        datetime.fromisoformat(out[key].replace("Z", "+00:00"))


def choice_machine() -> dict:
    return {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [
                    {
                        "And": [
                            {"Variable": "$.kind", "IsPresent": True},
                            {"Variable": "$.kind", "StringEquals": "vip"},
                        ],
                        "Next": "Vip",
                    },
                    {
                        "And": [
                            {"Variable": "$.amount", "NumericGreaterThanEquals": 100},
                            {"Not": {"Variable": "$.country", "StringMatches": "U*"}},
                        ],
                        "Next": "Large",
                    },
                    {
                        "Or": [
                            {"Variable": "$.at", "IsPresent": True},
                            {"Variable": "$.flag", "IsPresent": True},
                        ],
                        "Next": "Special",
                    },
                    {
                        "And": [
                            {"Variable": "$.limit", "IsPresent": True},
                            {"Variable": "$.limit", "IsNumeric": True},
                            {"Variable": "$.amount", "NumericLessThanPath": "$.limit"},
                        ],
                        "Next": "UnderLimit",
                    },
                ],
                "Default": "Other",
            },
            "Vip": pass_state(Result="vip"),
            "Large": pass_state(Result="large"),
            "Special": pass_state(Result="special"),
            "UnderLimit": pass_state(Result="under"),
            "Other": pass_state(Result="other"),
        },
    }


def test_choice_follows_the_first_matching_rule_or_the_default(harness):
    arn = deploy_machine(harness, choice_machine())
    cases = [
        ({"kind": "vip", "amount": 500}, "vip"),
        ({"amount": 150, "country": "DE"}, "large"),
        ({"amount": 150, "country": "US", "limit": 1}, "other"),
        ({"amount": 5, "country": "US", "at": "2019-06-01T00:00:00Z"}, "special"),
        ({"amount": 5, "country": "US", "flag": False}, "special"),
        ({"amount": 5, "country": "US", "limit": 10}, "under"),
        ({"amount": 50, "country": "US", "limit": 10}, "other"),
    ]

    results = [harness.states.run(arn, payload).output for payload, _ in cases]

    assert results == [expected for _, expected in cases]


def test_choice_without_a_match_or_default_fails_with_no_choice_matched(harness):
    definition = {
        "StartAt": "Route",
        "States": {
            "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]},
            "One": {"Type": "Succeed"},
        },
    }

    execution = run(harness, definition, {"n": 2})

    assert execution.status == "FAILED"
    assert execution.error == "States.NoChoiceMatched"
    assert "Route" in execution.cause
    assert execution.event_types()[-2:] == ["ChoiceStateEntered", "ExecutionFailed"]


def test_a_choice_variable_that_is_missing_fails_with_states_runtime(harness):
    definition = {
        "StartAt": "Route",
        "States": {
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}],
                "Default": "One",
            },
            "One": {"Type": "Succeed"},
        },
    }

    execution = run(harness, definition, {"m": 1})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "$.n" in execution.cause


def test_succeed_applies_input_and_output_paths(harness):
    definition = {
        "StartAt": "Done",
        "States": {"Done": {"Type": "Succeed", "InputPath": "$.result", "OutputPath": "$.value"}},
    }

    execution = run(harness, definition, {"result": {"value": [1, 2]}})

    assert execution.output == [1, 2]
    assert execution.event_types() == [
        "ExecutionStarted",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


def test_fail_ends_the_execution_with_its_error_and_cause(harness):
    definition = {
        "StartAt": "Check",
        "States": {
            "Check": pass_state(Next="Stop"),
            "Stop": {"Type": "Fail", "Error": "Rejected", "Cause": "not allowed"},
        },
    }

    execution = run(harness, definition, {})

    assert (execution.status, execution.error, execution.cause) == ("FAILED", "Rejected", "not allowed")
    assert execution.output is None
    assert execution.events[-1].details == {"error": "Rejected", "cause": "not allowed"}


def test_fail_reads_error_and_cause_from_paths_and_intrinsics(harness):
    definition = {
        "StartAt": "Stop",
        "States": {"Stop": {"Type": "Fail", "ErrorPath": "$.code", "CausePath": "States.Format('bad order {}', $.id)"}},
    }

    execution = run(harness, definition, {"code": "E42", "id": 9})

    assert (execution.error, execution.cause) == ("E42", "bad order 9")


def test_a_missing_path_fails_with_states_runtime_naming_state_and_field(harness):
    definition = {"StartAt": "Read", "States": {"Read": pass_state(Parameters={"v.$": "$.missing"})}}

    execution = run(harness, definition, {"present": 1})

    assert execution.status == "FAILED"
    assert execution.error == "States.Runtime"
    assert "'Read'" in execution.cause and "$.missing" in execution.cause


def test_an_intrinsic_failure_is_named_states_intrinsic_failure(harness):
    definition = {"StartAt": "Parse", "States": {"Parse": pass_state(Parameters={"v.$": "States.StringToJson($.s)"})}}

    execution = run(harness, definition, {"s": "{not json"})

    assert execution.error == "States.IntrinsicFailure"
