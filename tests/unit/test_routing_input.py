"""Target input: JSON paths, Input, InputPath and InputTransformer applied to one event."""

from __future__ import annotations

import json

import pytest

from harness.routing.input_transform import RuleContext, TargetInput
from harness.routing.json_path import MISSING, InvalidJsonPath, parse_json_path

EVENT = {
    "version": "0",
    "id": "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "123456789012",
    "time": "2015-11-11T21:29:54Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail": {"instance-id": "i-0123456789", "state": "RUNNING", "tags": [{"k": "a"}, {"k": "b"}], "count": 3},
}
RULE = RuleContext("arn:aws:events:us-east-1:123456789012:rule/example", "example", "2015-11-11T21:29:55.000Z")
PATHS = {"instance": "$.detail.instance-id", "state": "$.detail.state"}


def transform(template: str, paths: dict | None = None) -> str:
    spec = TargetInput(
        input_transformer={"InputPathsMap": PATHS if paths is None else paths, "InputTemplate": template}
    )
    return spec.render(EVENT, RULE)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$", EVENT),
        ("$.detail.state", "RUNNING"),
        ("$.detail.instance-id", "i-0123456789"),
        ("$.resources[0]", EVENT["resources"][0]),
        ("$.detail.tags[1].k", "b"),
        ("$.detail.tags[*].k", ["a", "b"]),
        ("$['detail']['count']", 3),
        ("$.detail.nothing", MISSING),
        ("$.resources[5]", MISSING),
    ],
)
def test_json_paths_select_what_eventbridge_selects(path, expected):
    assert parse_json_path(path).find(EVENT) == expected


@pytest.mark.parametrize("path", ["detail.state", "$..state", "$.detail[", "", "$.a b"])
def test_paths_eventbridge_does_not_support_are_refused(path):
    with pytest.raises(InvalidJsonPath, match="JSON path"):
        parse_json_path(path)


def test_no_input_settings_render_the_whole_event():
    assert json.loads(TargetInput().render(EVENT, RULE)) == EVENT


def test_input_is_sent_as_it_is():
    assert TargetInput(input='{"a": [1, 2]}').render(EVENT, RULE) == '{"a": [1, 2]}'


def test_input_path_selects_part_of_the_event_or_null():
    assert json.loads(TargetInput(input_path="$.detail").render(EVENT, RULE)) == EVENT["detail"]
    assert TargetInput(input_path="$.nothing").render(EVENT, RULE) == "null"


def test_the_documented_examples_of_input_transformation():
    assert json.loads(transform('"instance <instance> is in <state>"')) == "instance i-0123456789 is in RUNNING"
    assert json.loads(transform('{"instance" : <instance>, "state": <state>}')) == {
        "instance": "i-0123456789",
        "state": "RUNNING",
    }
    assert json.loads(transform('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}')) == {
        "instance": "i-0123456789",
        "state": [9, "RUNNING", True],
        "Transformed": "Yes",
    }
    assert json.loads(transform('"<aws.events.rule-name> triggered"')) == "example triggered"
    assert json.loads(transform('{"s": "instance \\"<instance>\\" is in <state>"}')) == {
        "s": 'instance "i-0123456789" is in RUNNING'
    }


def test_objects_numbers_and_lists_keep_their_type_outside_strings_and_become_text_inside():
    paths = {"tags": "$.detail.tags", "count": "$.detail.count", "keys": "$.detail.tags[*].k"}
    assert json.loads(transform('{"tags": <tags>, "count": <count>, "keys": <keys>}', paths)) == {
        "tags": [{"k": "a"}, {"k": "b"}],
        "count": 3,
        "keys": ["a", "b"],
    }
    assert json.loads(transform('"count=<count> tags=<tags>"', paths)) == 'count=3 tags=[{"k": "a"}, {"k": "b"}]'


def test_predefined_variables():
    rendered = json.loads(
        transform(
            '{"arn": <aws.events.rule-arn>, "at": <aws.events.event.ingestion-time>, '
            '"event": <aws.events.event>, "json": <aws.events.event.json>}'
        )
    )
    assert rendered["arn"] == RULE.rule_arn
    assert rendered["at"] == RULE.ingestion_time
    assert rendered["json"] == EVENT
    assert rendered["event"] == {key: value for key, value in EVENT.items() if key != "detail"}


def test_a_variable_whose_path_matches_nothing_is_null_outside_strings_and_empty_inside():
    paths = {"ghost": "$.detail.ghost"}
    assert json.loads(transform('{"a": <ghost>, "b": "[<ghost>]"}', paths)) == {"a": None, "b": "[]"}


def test_plain_text_templates_take_values_as_text_and_unknown_placeholders_stay():
    assert transform("<instance> is in state <state>") == "i-0123456789 is in state RUNNING"
    assert transform("<instance> has <unknown>") == "i-0123456789 has <unknown>"


def test_values_with_quotes_stay_valid_json_inside_strings():
    event = {**EVENT, "detail": {"note": 'say "hi"\n'}}
    spec = TargetInput(input_transformer={"InputPathsMap": {"n": "$.detail.note"}, "InputTemplate": '{"m": "<n>!"}'})
    assert json.loads(spec.render(event, RULE)) == {"m": 'say "hi"\n!'}


@pytest.mark.parametrize(
    ("spec", "json_required", "problem"),
    [
        (TargetInput(input=""), False, "Input must be JSON text"),
        (TargetInput(input="x" * 8193), False, "Input must be JSON text of 1 to 8192"),
        (TargetInput(input_path="$" + ".a" * 200), False, "at most 256 characters"),
        (TargetInput(input_transformer={"InputTemplate": "{}", "Extra": 1}), False, "unknown fields ['Extra']"),
        (TargetInput(input_transformer={"InputTemplate": "{}", "InputPathsMap": []}), False, "must be a mapping"),
        (
            TargetInput(input_transformer={"InputTemplate": "{}", "InputPathsMap": {f"v{i}": "$" for i in range(101)}}),
            False,
            "at most 100 are allowed",
        ),
        (TargetInput(input_transformer={"InputTemplate": '{"a": <x>}'}), True, "not valid JSON once"),
    ],
)
def test_settings_eventbridge_refuses_are_refused(spec, json_required, problem):
    with pytest.raises(ValueError) as raised:
        spec.validate("target T of rule R", json_required=json_required)
    assert str(raised.value).startswith("target T of rule R: ")
    assert problem in str(raised.value)


def test_a_plain_text_template_is_fine_for_a_queue_but_not_for_a_function():
    spec = TargetInput(input_transformer={"InputPathsMap": {"i": "$.id"}, "InputTemplate": "id <i>"})
    spec.validate("target Q of rule R", json_required=False)
    with pytest.raises(ValueError, match="a function target needs a JSON payload"):
        spec.validate("target F of rule R", json_required=True)


def test_as_target_fields_names_the_put_targets_fields():
    assert TargetInput(input_path="$.detail").as_target_fields() == {"InputPath": "$.detail"}
    assert TargetInput().as_target_fields() == {}
