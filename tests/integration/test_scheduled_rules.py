"""Classic EventBridge rules with a ScheduleExpression, run on the same clock as schedules."""

from __future__ import annotations

import json

import pytest

from harness.functions.spec import FunctionSpec
from harness.routing.retry import RetryPolicy
from provisioning.builders.rules import Target
from provisioning.builders.schedules import ScheduledRule
from provisioning.stack import Stack
from tests.integration.schedule_helpers import PROBES as PROBE_MODULE
from tests.integration.schedule_helpers import (
    attributes,
    create_queue,
    gaps,
    receive_all,
    recorded_events,
    register_probe,
)

EVENT_FIELDS = {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"}


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True)


def rule_stack(*rules: ScheduledRule, handler: str = "record_event") -> Stack:
    return Stack(
        "scheduled-rules",
        functions=[FunctionSpec("Recorder", f"{PROBE_MODULE}.{handler}", timeout=10)],
        triggers=list(rules),
    )


def test_a_rate_rule_runs_every_period_with_the_scheduled_event_shape(harness):
    harness.deploy(rule_stack(ScheduledRule("Every5", "rate(5 minutes)", targets=[Target("Recorder")])))
    rule_arn = harness.account.client("events").describe_rule(Name="Every5")["Arn"]

    harness.advance(minutes=15)

    events = recorded_events(harness, "Recorder")
    runs = harness.scheduler.rules.runs("Every5")
    assert len(events) == 3
    assert gaps([run.scheduled_time for run in runs]) == [300.0, 300.0]
    for event, run in zip(events, runs, strict=True):
        assert set(event) == {
            "version",
            "id",
            "detail-type",
            "source",
            "account",
            "time",
            "region",
            "resources",
            "detail",
        }
        assert event["version"] == "0"
        assert event["detail-type"] == "Scheduled Event"
        assert event["source"] == "aws.events"
        assert event["account"] == harness.account.account_id
        assert event["region"] == harness.account.region
        assert event["resources"] == [rule_arn]
        assert event["detail"] == {}
        assert event["time"] == run.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len({event["id"] for event in events}) == 3


def test_a_cron_rule_runs_in_utc(harness):
    harness.deploy(rule_stack(ScheduledRule("Hourly", "cron(15 * * * ? *)", targets=[Target("Recorder")])))

    harness.advance(hours=3)

    times = [run.scheduled_time for run in harness.scheduler.rules.runs("Hourly")]
    assert len(times) == 3
    assert {(t.minute, t.second, t.utcoffset().total_seconds()) for t in times} == {(15, 0, 0.0)}


def test_a_rule_target_gets_its_input_instead_of_the_event(harness):
    harness.deploy(
        rule_stack(
            ScheduledRule(
                "Nightly",
                "rate(1 hour)",
                targets=[
                    Target("Recorder", id="constant", input=json.dumps({"job": "cleanup"})),
                    Target("Recorder", id="path", input_path="$.detail-type"),
                    Target(
                        "Recorder",
                        id="template",
                        input_transformer={
                            "InputPathsMap": {"when": "$.time"},
                            "InputTemplate": '{"rule": "<aws.events.rule-name>", "at": "<when>"}',
                        },
                    ),
                ],
            )
        )
    )

    harness.advance(hours=1)

    [run, *_] = harness.scheduler.rules.runs("Nightly")
    events = recorded_events(harness, "Recorder")
    due = run.scheduled_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    expected = [{"job": "cleanup"}, "Scheduled Event", {"rule": "Nightly", "at": due}]
    assert sorted(events, key=canonical) == sorted(expected, key=canonical)


def test_a_disabled_rule_does_not_run(harness):
    harness.deploy(rule_stack(ScheduledRule("Off", "rate(1 minute)", targets=[Target("Recorder")], enabled=False)))

    harness.advance(minutes=10)

    assert harness.scheduler.rules.runs("Off") == []
    assert harness.scheduler.rules.next_run("Off") is None


def test_a_rule_made_with_plain_boto3_runs_and_stops_when_deleted(harness):
    arn = register_probe(harness, "Recorder")
    events = harness.client("events")
    events.put_rule(Name="ByHand", ScheduleExpression="rate(2 minutes)")
    events.put_targets(Rule="ByHand", Targets=[{"Id": "recorder", "Arn": arn}])

    harness.advance(minutes=6)
    assert len(harness.scheduler.rules.runs("ByHand")) == 3

    events.remove_targets(Rule="ByHand", Ids=["recorder"])
    events.delete_rule(Name="ByHand")
    harness.advance(minutes=10)
    assert len(harness.scheduler.rules.runs("ByHand")) == 3


def test_a_rule_made_with_plain_boto3_that_aws_would_refuse_is_reported_and_never_runs(harness):
    events = harness.client("events")
    events.put_rule(Name="Impossible", ScheduleExpression="cron(0 12 * * * *)")  # the emulator accepts it
    harness.on_close(lambda: events.delete_rule(Name="Impossible"))

    harness.advance(hours=25)

    assert harness.scheduler.rules.runs("Impossible") == []
    assert any(
        "scheduled rule Impossible cannot run" in problem and "use ? in one of them" in problem
        for problem in harness.scheduler.problems
    )


def test_a_target_that_no_longer_exists_goes_straight_to_the_dead_letter_queue(harness):
    url, dlq = create_queue(harness, "RuleDLQ")
    harness.deploy(
        Stack(
            "gone-target",
            triggers=[
                ScheduledRule(
                    "ToNowhere",
                    "rate(10 minutes)",
                    targets=[
                        Target(
                            arn=harness.functions.arn("Deleted"),
                            retry_policy=RetryPolicy(maximum_retry_attempts=5),
                            dead_letter_queue=dlq,
                        )
                    ],
                )
            ],
        )
    )

    harness.advance(minutes=10)

    [run] = harness.scheduler.rules.runs("ToNowhere")
    assert (run.status, len(run.attempts)) == ("dead-lettered", 1)  # EventBridge does not retry a missing target
    [dead] = receive_all(harness, url)
    assert json.loads(dead["Body"])["detail-type"] == "Scheduled Event"
    assert attributes(dead) == {
        "RULE_ARN": harness.account.client("events").describe_rule(Name="ToNowhere")["Arn"],
        "TARGET_ARN": harness.functions.arn("Deleted"),
        "ERROR_CODE": "ResourceNotFoundException",
        "ERROR_MESSAGE": f"Function not found: {harness.functions.arn('Deleted')}",
        "RETRY_ATTEMPTS": "0",
    }


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("rate(1 minutes)", "a rate of 1 needs the singular unit 'minute'"),
        ("rate(5 minute)", "a rate of 5 needs the plural unit 'minutes'"),
        ("at(2030-01-01T00:00:00)", "an expression is rate(...) or cron(...)"),
        ("cron(0 12 * * ? * *)", "a cron expression has 6 fields"),
    ],
)
def test_a_scheduled_rule_aws_would_refuse_is_refused_when_declared(expression, message):
    with pytest.raises(ValueError, match="scheduled rule Bad: Parameter ScheduleExpression is not valid") as refused:
        ScheduledRule("Bad", expression, targets=[Target("Recorder")])

    assert message in str(refused.value)


def test_a_scheduled_rule_naming_a_function_the_stack_lacks_is_refused():
    with pytest.raises(ValueError, match="rule Every5 targets unknown function 'Missing'"):
        rule_stack(ScheduledRule("Every5", "rate(5 minutes)", targets=[Target("Missing")]))


def test_events_put_on_the_default_bus_do_not_reach_a_scheduled_rule(harness):
    harness.deploy(rule_stack(ScheduledRule("Every5", "rate(5 minutes)", targets=[Target("Recorder")])))

    answer = harness.client("events").put_events(
        Entries=[{"Source": "ecommerce.orders", "DetailType": "OrderPlaced", "Detail": "{}"}]
    )
    harness.drain()

    assert answer["FailedEntryCount"] == 0
    assert harness.logs("Recorder").invocations == []
