"""Validation of whole definitions: structure, transitions, reachability, fields, paths and templates."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from harness.states.errors import InvalidDefinition
from harness.states.validation import validate_definition

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:"

# The seed's OrderPipeline, with its REGION and ACCOUNT filled in.
ORDER_PIPELINE: dict[str, Any] = {
    "Comment": "Order Processing Pipeline",
    "StartAt": "CheckInventory",
    "States": {
        "CheckInventory": {
            "Type": "Task",
            "Resource": f"{LAMBDA}CheckInventory",
            "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 1}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "OrderFailed", "ResultPath": "$.error"}],
            "Next": "ProcessPayment",
        },
        "ProcessPayment": {"Type": "Task", "Resource": f"{LAMBDA}ProcessPayment", "Next": "ShipOrder"},
        "ShipOrder": {"Type": "Task", "Resource": f"{LAMBDA}ShipOrder", "Next": "OrderComplete"},
        "OrderComplete": {"Type": "Succeed"},
        "OrderFailed": {"Type": "Fail", "Error": "OutOfStock", "Cause": "Item unavailable at time of order"},
    },
}

# Every state type and most optional fields, in one machine.
EVERYTHING: dict[str, Any] = {
    "Comment": "All state types",
    "Version": "1.0",
    "TimeoutSeconds": 300,
    "QueryLanguage": "JSONPath",
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "InputPath": "$.order",
            "Parameters": {"id.$": "$.id", "items.$": "$.items", "when.$": "$$.State.EnteredTime", "n": 1},
            "ResultPath": "$.prepared",
            "OutputPath": "$.prepared",
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Hold"},
                {
                    "And": [{"Variable": "$.id", "IsPresent": True}, {"Variable": "$.id", "IsString": True}],
                    "Next": "Fan",
                },
            ],
            "Default": "Rejected",
        },
        "Hold": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Fan"},
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Result": 1, "End": True}}},
                {
                    "StartAt": "EachItem",
                    "States": {
                        "EachItem": {
                            "Type": "Map",
                            "ItemsPath": "$.items",
                            "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                            "MaxConcurrency": 2,
                            "ToleratedFailurePercentage": 10,
                            "ItemProcessor": {
                                "ProcessorConfig": {"Mode": "INLINE"},
                                "StartAt": "Charge",
                                "States": {
                                    "Charge": {
                                        "Type": "Task",
                                        "Resource": "arn:aws:states:::lambda:invoke",
                                        "Parameters": {"FunctionName": f"{LAMBDA}Charge", "Payload.$": "$"},
                                        "ResultSelector": {"charged.$": "$.Payload"},
                                        "TimeoutSeconds": 30,
                                        "HeartbeatSeconds": 10,
                                        "Retry": [
                                            {
                                                "ErrorEquals": ["Lambda.TooManyRequestsException", "States.Timeout"],
                                                "IntervalSeconds": 2,
                                                "MaxAttempts": 6,
                                                "BackoffRate": 2,
                                                "MaxDelaySeconds": 60,
                                                "JitterStrategy": "FULL",
                                            },
                                            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 0},
                                        ],
                                        "End": True,
                                    }
                                },
                            },
                            "End": True,
                        }
                    },
                },
            ],
            "ResultSelector": {"left.$": "$[0]", "items.$": "$[1]"},
            "Catch": [
                {"ErrorEquals": ["States.BranchFailed"], "Next": "Rejected", "ResultPath": "$.failure"},
                {"ErrorEquals": ["States.ALL"], "Next": "Rejected", "ResultPath": None},
            ],
            "Next": "Done",
        },
        "Done": {"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "Next": "Finished"},
        "Finished": {"Type": "Succeed", "OutputPath": "$.left"},
        "Rejected": {"Type": "Fail", "ErrorPath": "$.code", "CausePath": "States.Format('rejected {}', $.id)"},
    },
}


def test_the_seed_definition_is_valid_and_returned_as_a_dict() -> None:
    assert validate_definition(copy.deepcopy(ORDER_PIPELINE)) == ORDER_PIPELINE


def test_a_json_string_is_parsed() -> None:
    assert validate_definition(json.dumps(ORDER_PIPELINE)) == ORDER_PIPELINE


def test_every_state_type_in_one_definition_is_valid() -> None:
    assert validate_definition(copy.deepcopy(EVERYTHING)) == EVERYTHING


def test_a_legacy_map_iterator_with_parameters_is_valid() -> None:
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Parameters": {"value.$": "$$.Map.Item.Value"},
                "Iterator": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": True}}},
                "End": True,
            }
        },
    }

    validate_definition(definition)


def test_loops_are_allowed() -> None:
    definition = {
        "StartAt": "Poll",
        "States": {
            "Poll": {"Type": "Wait", "Seconds": 0, "Next": "Check"},
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "Out"}],
                "Default": "Poll",
            },
            "Out": {"Type": "Succeed"},
        },
    }

    validate_definition(definition)


def test_invalid_json_is_reported_with_its_position() -> None:
    with pytest.raises(InvalidDefinition) as caught:
        validate_definition('{"StartAt": "A",\n "States": }')

    assert str(caught.value) == "The definition is not valid JSON: Expecting value at line 2 column 12"


@pytest.mark.parametrize("definition", [[], "[1]", "5", "null"])
def test_a_definition_must_be_an_object(definition: Any) -> None:
    with pytest.raises(InvalidDefinition, match="The definition must be a JSON object"):
        validate_definition(definition)


Mutation = Callable[[dict[str, Any]], Any]


def _set(state: str, **fields: Any) -> Mutation:
    return lambda d: d["States"][state].update(fields)


def _drop(state: str, field: str) -> Mutation:
    return lambda d: d["States"][state].pop(field)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("StartAt"), "The state machine: the field 'StartAt' is missing"),
        (lambda d: d.update(StartAt="Nowhere"), 'The state machine: StartAt "Nowhere" is not a state'),
        (lambda d: d.update(StartAt="CheckInventry"), "(did you mean 'CheckInventory'?)"),
        (lambda d: d.update(States={}), "The state machine: the field 'States' must be a non-empty object"),
        (lambda d: d.pop("States"), "the field 'States' must be a non-empty object of states"),
        (lambda d: d.update(Extra=1), "The state machine: the field 'Extra' is not allowed here"),
        (lambda d: d.update(TimeoutSeconds=0), "The state machine field 'TimeoutSeconds': must be an integer from 1"),
        (lambda d: d.update(Version=1), "the field 'Version' must be a string"),
        (lambda d: d.update(QueryLanguage="JSONata"), 'only "JSONPath" is supported, not "JSONata"'),
        (
            _set("ShipOrder", Next="OrderComplet"),
            "State 'ShipOrder' field 'Next': there is no state named \"OrderComplet\" (did you mean 'OrderComplete'?)",
        ),
        (
            lambda d: d["States"].update(Orphan={"Type": "Pass", "End": True}),
            "State 'Orphan' is not reachable from StartAt 'CheckInventory'",
        ),
        (_set("ShipOrder", End=True), "State 'ShipOrder': a state has either 'Next' or 'End', not both"),
        (_drop("ShipOrder", "Next"), "State 'ShipOrder': the field 'Next' or 'End' is missing; a Task state needs one"),
        (
            lambda d: d["States"]["ShipOrder"].update(End=False) or d["States"]["ShipOrder"].pop("Next"),
            "State 'ShipOrder' field 'End': must be true, not false",
        ),
        (_set("ShipOrder", Next=""), "State 'ShipOrder' field 'Next': must name a state"),
        (_set("OrderComplete", Next="ShipOrder"), "State 'OrderComplete' field 'Next': is not allowed on a Succeed"),
        (_set("OrderFailed", End=True), "State 'OrderFailed' field 'End': is not allowed on a Fail state"),
        (_drop("ShipOrder", "Type"), "State 'ShipOrder': the field 'Type' is missing"),
        (_set("ShipOrder", Type="Lambda"), "State 'ShipOrder' field 'Type': \"Lambda\" is not a state type"),
        (_drop("ShipOrder", "Resource"), "State 'ShipOrder': the field 'Resource' is missing"),
        (_set("ShipOrder", Resource="ShipOrder"), "State 'ShipOrder' field 'Resource': must be an ARN"),
        (
            _set("OrderComplete", Resource="arn:x"),
            "State 'OrderComplete' field 'Resource': is not allowed on a Succeed",
        ),
        (
            _set("ShipOrder", Result=1),
            "State 'ShipOrder' field 'Result': is not allowed on a Task state (only on Pass)",
        ),
        (_set("ShipOrder", Bogus=1), "State 'ShipOrder' field 'Bogus': is not a field of a Task state"),
        (_set("ShipOrder", Assign={"x": 1}), "workflow variables (Assign) are not supported"),
        (_set("ShipOrder", Comment=5), "State 'ShipOrder' field 'Comment': must be a string"),
        (_set("ShipOrder", InputPath="order"), "State 'ShipOrder' field 'InputPath': Invalid path 'order'"),
        (_set("ShipOrder", OutputPath="$.a["), "State 'ShipOrder' field 'OutputPath': Invalid path '$.a['"),
        (_set("ShipOrder", OutputPath=5), "State 'ShipOrder' field 'OutputPath': must be a path string, not 5"),
        (
            _set("ShipOrder", ResultPath="$.items[*]"),
            "State 'ShipOrder' field 'ResultPath': Invalid reference path '$.items[*]'",
        ),
        (_set("ShipOrder", ResultPath="$$.x"), "field 'ResultPath': a result cannot be written to the context object"),
        (
            _set("ShipOrder", Parameters={"order.$": "$.order id"}),
            "State 'ShipOrder' field 'Parameters': the value of the field 'order.$' must be a valid JSONPath",
        ),
        (
            _set("ShipOrder", Parameters={"id.$": "States.Format('{}')"}),
            "State 'ShipOrder' field 'Parameters': the value of the field 'id.$' must be a valid JSONPath or intrinsic"
            " function: Invalid intrinsic function",
        ),
        (_set("ShipOrder", ResultSelector="$.x"), "State 'ShipOrder' field 'ResultSelector': must be an object"),
        (
            _set("ShipOrder", ResultSelector={"x.$": 1}),
            "State 'ShipOrder' field 'ResultSelector': the value of the field 'x.$' must be a string",
        ),
        (_set("ShipOrder", TimeoutSeconds=0), "State 'ShipOrder' field 'TimeoutSeconds': must be an integer from 1"),
        (
            _set("ShipOrder", TimeoutSeconds=1.5),
            "field 'TimeoutSeconds': must be an integer from 1 to 99999999, not 1.5",
        ),
        (_set("ShipOrder", TimeoutSeconds=True), "field 'TimeoutSeconds': must be an integer from 1 to 99999999"),
        (_set("ShipOrder", HeartbeatSeconds=-1), "State 'ShipOrder' field 'HeartbeatSeconds': must be an integer"),
        (
            _set("ShipOrder", TimeoutSeconds=10, HeartbeatSeconds=10),
            "State 'ShipOrder' field 'HeartbeatSeconds': 10 must be less than TimeoutSeconds (10)",
        ),
        (
            _set("ShipOrder", TimeoutSeconds=10, TimeoutSecondsPath="$.t"),
            "the fields 'TimeoutSeconds' and 'TimeoutSecondsPath' cannot be used together",
        ),
        (_set("ShipOrder", HeartbeatSecondsPath="$.h[*]"), "field 'HeartbeatSecondsPath': Invalid reference path"),
        (_set("ShipOrder", Credentials="role"), "State 'ShipOrder' field 'Credentials': must be an object"),
        (_set("ShipOrder", Retry={}), "State 'ShipOrder' field 'Retry': must be an array of retriers"),
        (_set("ShipOrder", Retry=[5]), "State 'ShipOrder' field 'Retry[0]': a retrier must be an object"),
        (_set("ShipOrder", Retry=[{}]), "field 'Retry[0].ErrorEquals': must be a non-empty array of error names"),
        (_set("ShipOrder", Retry=[{"ErrorEquals": []}]), "field 'Retry[0].ErrorEquals': must be a non-empty array"),
        (_set("ShipOrder", Retry=[{"ErrorEquals": [""]}]), "field 'Retry[0].ErrorEquals': \"\" is not an error name"),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["States.TaskFail"]}]),
            "States.TaskFail is not an error of the language (did you mean 'States.TaskFailed'?)",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["States.ALL", "Oops"]}]),
            "field 'Retry[0].ErrorEquals': States.ALL must appear alone",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Oops"]}]),
            "field 'Retry[0].ErrorEquals': States.ALL must be in the last retrier",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "IntervalSeconds": 0}]),
            "State 'ShipOrder' field 'Retry[0].IntervalSeconds': must be an integer from 1 to 99999999, not 0",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "MaxAttempts": -1}]),
            "field 'Retry[0].MaxAttempts': must be an integer from 0",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "BackoffRate": 0.5}]),
            "field 'Retry[0].BackoffRate': must be a number of at least 1.0, not 0.5",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "MaxDelaySeconds": 0}]),
            "field 'Retry[0].MaxDelaySeconds': must be an integer from 1 to 31622400",
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "JitterStrategy": "PARTIAL"}]),
            'field \'Retry[0].JitterStrategy\': must be "FULL" or "NONE", not "PARTIAL"',
        ),
        (
            _set("ShipOrder", Retry=[{"ErrorEquals": ["X"], "Next": "A"}]),
            "field 'Retry[0].Next': is not a field of a retrier",
        ),
        (
            _set("ShipOrder", Catch=[{"ErrorEquals": ["X"]}]),
            "State 'ShipOrder' field 'Catch[0].Next': must name the state to go to",
        ),
        (
            _set("ShipOrder", Catch=[{"ErrorEquals": ["X"], "Next": "Nope"}]),
            "State 'ShipOrder' field 'Catch[0].Next': there is no state named \"Nope\"",
        ),
        (
            _set("ShipOrder", Catch=[{"ErrorEquals": ["X"], "Next": "OrderFailed", "ResultPath": "$.e[0:1]"}]),
            "State 'ShipOrder' field 'Catch[0].ResultPath': Invalid reference path",
        ),
        (
            _set("ShipOrder", Catch=[{"ErrorEquals": ["States.ALL"], "Next": "OrderFailed"}, {"ErrorEquals": ["X"]}]),
            "field 'Catch[0].ErrorEquals': States.ALL must be in the last catcher",
        ),
        (
            _set("ShipOrder", Catch=[{"ErrorEquals": ["X"], "Next": "OrderFailed", "Retry": 1}]),
            "field 'Catch[0].Retry': is not a field of a catcher",
        ),
        (
            _set("OrderFailed", ErrorPath="$.code"),
            "State 'OrderFailed': the fields 'Error' and 'ErrorPath' cannot be used together",
        ),
        (
            _set("OrderFailed", CausePath="$.why"),
            "State 'OrderFailed': the fields 'Cause' and 'CausePath' cannot be used together",
        ),
        (_set("OrderFailed", Error=5), "State 'OrderFailed' field 'Error': must be a string, not 5"),
        (
            lambda d: d["States"]["OrderFailed"].pop("Cause") and d["States"]["OrderFailed"].update(CausePath="$.a[*]"),
            "State 'OrderFailed' field 'CausePath': Invalid reference path",
        ),
        (
            lambda d: (
                d["States"]["OrderFailed"].pop("Cause")
                and d["States"]["OrderFailed"].update(CausePath="States.Format('{}')")
            ),
            "State 'OrderFailed' field 'CausePath': Invalid intrinsic function",
        ),
        (_set("OrderFailed", InputPath="$"), "State 'OrderFailed' field 'InputPath': is not allowed on a Fail state"),
    ],
)
def test_invalid_definitions_are_refused_naming_state_and_field(mutate: Mutation, message: str) -> None:
    definition = copy.deepcopy(ORDER_PIPELINE)
    mutate(definition)

    with pytest.raises(InvalidDefinition) as caught:
        validate_definition(definition)

    assert message in str(caught.value)


def _machine(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"StartAt": states[0][0], "States": dict(states)}


END = {"Type": "Pass", "End": True}


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"Type": "Wait", "End": True}, "needs exactly one of Seconds, Timestamp, SecondsPath or TimestampPath"),
        ({"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": True}, "not 2 (Seconds, SecondsPath)"),
        ({"Type": "Wait", "Seconds": -1, "End": True}, "field 'Seconds': must be an integer from 0 to 99999999"),
        ({"Type": "Wait", "Seconds": "10", "End": True}, "field 'Seconds': must be an integer"),
        ({"Type": "Wait", "Timestamp": "tomorrow", "End": True}, "field 'Timestamp': \"tomorrow\" is not a timestamp"),
        ({"Type": "Wait", "TimestampPath": "$..t", "End": True}, "field 'TimestampPath': Invalid reference path"),
        ({"Type": "Choice", "Default": "A"}, "field 'Choices': a Choice state needs a non-empty array of rules"),
        ({"Type": "Choice", "Choices": []}, "field 'Choices': a Choice state needs a non-empty array"),
        (
            {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True}]},
            "State 'A' field 'Choices[0]': a choice rule in Choices needs the field 'Next'",
        ),
        (
            {"Type": "Choice", "Choices": [{"Variable": "$.a", "NumericEquals": "1", "Next": "B"}]},
            "State 'A' field 'Choices[0]': the value of 'NumericEquals' must be a number",
        ),
        (
            {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "Gone"}]},
            "State 'A' field 'Choices[0].Next': there is no state named \"Gone\"",
        ),
        (
            {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "B"}], "Default": "Gone"},
            "State 'A' field 'Default': there is no state named \"Gone\"",
        ),
        ({"Type": "Choice", "Choices": [{"Variable": "$.a", "IsNull": True, "Next": "B"}], "End": True}, "'End': is"),
        ({"Type": "Pass", "Result": 1, "ResultSelector": {}, "End": True}, "field 'ResultSelector': is not allowed"),
        ({"Type": "Pass", "Retry": [], "End": True}, "State 'A' field 'Retry': is not allowed on a Pass state"),
        ({"Type": "Succeed", "ResultPath": "$.x"}, "State 'A' field 'ResultPath': is not allowed on a Succeed state"),
        ({"Type": "Parallel", "End": True}, "field 'Branches': a Parallel state needs a non-empty array of branches"),
        ({"Type": "Parallel", "Branches": [], "End": True}, "field 'Branches': a Parallel state needs a non-empty"),
        ({"Type": "Parallel", "Branches": ["x"], "End": True}, "State 'A' field 'Branches[0]' must be an object"),
        (
            {"Type": "Parallel", "Branches": [{"States": {"In": END}}], "End": True},
            "State 'A' field 'Branches[0]': the field 'StartAt' is missing",
        ),
        (
            {
                "Type": "Parallel",
                "Branches": [{"StartAt": "In", "States": {"In": END}, "TimeoutSeconds": 5}],
                "End": True,
            },
            "State 'A' field 'Branches[0]': the field 'TimeoutSeconds' is not allowed here",
        ),
        (
            {
                "Type": "Parallel",
                "Branches": [{"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "B"}}}],
                "End": True,
            },
            "State 'A' > 'In' field 'Next': there is no state named \"B\"",  # a branch cannot leave itself
        ),
        ({"Type": "Map", "End": True}, "State 'A': a Map state needs exactly one of ItemProcessor or Iterator"),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "Iterator": {"StartAt": "In2", "States": {"In2": END}},
                "End": True,
            },
            "needs exactly one of ItemProcessor or Iterator, not both",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "MaxConcurrency": -1,
                "End": True,
            },
            "State 'A' field 'MaxConcurrency': must be an integer of at least 0, not -1",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "ToleratedFailurePercentage": 101,
                "End": True,
            },
            "field 'ToleratedFailurePercentage': must be a number from 0 to 100, not 101",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "ToleratedFailureCount": 1.5,
                "End": True,
            },
            "field 'ToleratedFailureCount': must be an integer",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "MaxConcurrency": 1,
                "MaxConcurrencyPath": "$.c",
                "End": True,
            },
            "the fields 'MaxConcurrency' and 'MaxConcurrencyPath' cannot be used together",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "ItemsPath": "$.a[*]",
                "End": True,
            },
            "State 'A' field 'ItemsPath': Invalid reference path",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "Parameters": {},
                "ItemSelector": {},
                "End": True,
            },
            "the fields 'Parameters' and 'ItemSelector' cannot be used together",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}},
                "ItemSelector": {"v.$": "$$.Map.Item.Value[?"},
                "End": True,
            },
            "State 'A' field 'ItemSelector': the value of the field 'v.$'",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}, "ProcessorConfig": {"Mode": "FAST"}},
                "End": True,
            },
            "field 'ItemProcessor.ProcessorConfig' field 'Mode': must be one of INLINE, DISTRIBUTED, not \"FAST\"",
        ),
        (
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "In", "States": {"In": END}, "ProcessorConfig": {"Workers": 2}},
                "End": True,
            },
            "field 'ItemProcessor.ProcessorConfig': the field 'Workers' is not allowed",
        ),
        (
            {
                "Type": "Map",
                "Iterator": {"StartAt": "In", "States": {"In": END}, "ProcessorConfig": {"Mode": 1}},
                "End": True,
            },
            "State 'A' field 'Iterator.ProcessorConfig' field 'Mode': must be one of INLINE, DISTRIBUTED, not 1",
        ),
        (
            {"Type": "Map", "ItemProcessor": {"StartAt": "In", "States": {"In": END}}, "ItemReader": {}, "End": True},
            "State 'A' field 'ItemReader': Distributed Map's ItemReader is not supported",
        ),
    ],
)
def test_invalid_states_are_refused(state: dict[str, Any], message: str) -> None:
    definition = _machine(("A", state), ("B", END))  # each state fails before B's reachability is checked

    with pytest.raises(InvalidDefinition) as caught:
        validate_definition(definition)

    assert message in str(caught.value)


def test_errors_inside_a_map_name_the_nested_state() -> None:
    definition = _machine(
        (
            "Map1",
            {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {"Inner": {"Type": "Task", "Resource": f"{LAMBDA}F", "TimeoutSeconds": 0, "End": True}},
                },
                "End": True,
            },
        )
    )

    with pytest.raises(InvalidDefinition) as caught:
        validate_definition(definition)

    assert str(caught.value).startswith("State 'Map1' > 'Inner' field 'TimeoutSeconds': must be an integer")


def test_errors_two_levels_deep_name_the_whole_nesting() -> None:
    inner_map = {
        "Type": "Map",
        "ItemProcessor": {"StartAt": "Deep", "States": {"Deep": {"Type": "Pass", "Resource": "arn:x", "End": True}}},
        "End": True,
    }
    definition = _machine(
        ("Par", {"Type": "Parallel", "Branches": [{"StartAt": "Each", "States": {"Each": inner_map}}], "End": True})
    )

    with pytest.raises(InvalidDefinition) as caught:
        validate_definition(definition)

    assert str(caught.value).startswith("State 'Par' > 'Each' > 'Deep' field 'Resource': is not allowed on a Pass")


def test_an_unreachable_state_in_a_branch_is_named_with_its_nesting() -> None:
    branch = {"StartAt": "In", "States": {"In": END, "Lost": END}}
    definition = _machine(("Par", {"Type": "Parallel", "Branches": [branch], "End": True}))

    with pytest.raises(InvalidDefinition, match=r"State 'Par' > 'Lost' is not reachable from StartAt 'In'"):
        validate_definition(definition)


def test_state_names_are_unique_across_branches() -> None:
    definition = _machine(
        (
            "Par",
            {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "Step", "States": {"Step": END}},
                    {"StartAt": "Step", "States": {"Step": END}},
                ],
                "End": True,
            },
        )
    )

    with pytest.raises(InvalidDefinition) as caught:
        validate_definition(definition)

    assert str(caught.value) == (
        "State 'Par' > 'Step': the name is already used by State 'Par' > 'Step';"
        " state names must be unique in the whole state machine"
    )


def test_a_state_name_has_at_most_80_characters() -> None:
    validate_definition(_machine(("N" * 80, END)))

    with pytest.raises(InvalidDefinition, match="a state name may have at most 80 characters"):
        validate_definition(_machine(("N" * 81, END)))


def test_a_state_must_be_an_object() -> None:
    with pytest.raises(InvalidDefinition, match=r"State 'A' must be an object, not \"Pass\""):
        validate_definition(_machine(("A", "Pass")))  # type: ignore[arg-type]


def test_validation_does_not_change_the_definition() -> None:
    definition = copy.deepcopy(EVERYTHING)

    validate_definition(definition)

    assert definition == EVERYTHING
