"""Rule states are read once and again only after a rule may have changed."""

from __future__ import annotations

import json

from botocore.stub import Stubber

from harness import activity
from harness.routing.rule_states import RuleStates

EVENT = {"source": "shop", "detail-type": "OrderPlaced", "detail": {}}


def described(state: str = "ENABLED", pattern: dict | None = None) -> dict:
    answer = {"Name": "OnOrder", "Arn": "arn:aws:events:us-east-1:123456789012:rule/OnOrder", "State": state}
    if pattern is not None:
        answer["EventPattern"] = json.dumps(pattern)
    return answer


def stubbed(session_client, *answers: dict) -> tuple[RuleStates, Stubber]:
    stubber = Stubber(session_client)
    for answer in answers:
        stubber.add_response("describe_rule", answer, {"Name": "OnOrder", "EventBusName": "default"})
    stubber.activate()
    return RuleStates(session_client), stubber


def client():
    import boto3

    return boto3.client("events", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")


def test_a_state_is_read_once_while_no_rule_changes():
    states, stubber = stubbed(client(), described(pattern={"source": ["shop"]}))

    assert states.get("default", "OnOrder").admits(EVENT)
    assert states.get("default", "OnOrder").admits(EVENT)
    stubber.assert_no_pending_responses()


def test_a_rule_change_makes_the_state_be_read_again():
    states, stubber = stubbed(client(), described(pattern={"source": ["shop"]}), described("DISABLED"))

    assert states.get("default", "OnOrder").admits(EVENT)
    activity.rules_changed()
    assert not states.get("default", "OnOrder").admits(EVENT)
    stubber.assert_no_pending_responses()


def test_a_missing_rule_or_one_without_a_valid_pattern_delivers_nothing():
    events = client()
    stubber = Stubber(events)
    stubber.add_client_error("describe_rule", "ResourceNotFoundException")
    stubber.add_response("describe_rule", described(pattern={"source": [{"anything-but": None}]}))
    stubber.activate()
    states = RuleStates(events)

    assert not states.get("default", "OnOrder").admits(EVENT)
    activity.rules_changed()
    assert not states.get("default", "OnOrder").admits(EVENT)


def test_a_schedule_rule_without_a_pattern_admits_every_event():
    states, _ = stubbed(client(), described())

    assert states.get("default", "OnOrder").admits(EVENT)
