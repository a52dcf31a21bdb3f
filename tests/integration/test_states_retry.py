"""Retry and Catch on the harness clock, Lambda error names, and Task timeouts."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from tests.handlers import gates
from tests.integration.states_helpers import deploy_machine, details, lambda_arn, pass_state, task_function


def task_machine(harness, function: str, **task) -> dict:
    """One Task calling `function`; with a Catch, its catchers go on to the Pass state "Recovered"."""
    states = {"Work": {"Type": "Task", "Resource": lambda_arn(harness, function), "End": True, **task}}
    if "Catch" in task:
        states["Recovered"] = pass_state()
    return {"StartAt": "Work", "States": states}


def retry_times(execution) -> list[timedelta]:
    """When each attempt of the task was scheduled, relative to the first."""
    stamps = [e.timestamp for e in execution.events if e.type == "LambdaFunctionScheduled"]
    return [stamp - stamps[0] for stamp in stamps]


def test_retries_back_off_on_the_clock(harness):
    definition = task_machine(
        harness,
        "Flaky",
        Retry=[{"ErrorEquals": ["TransientError"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 3}],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Flaky", "flaky"),))
    execution = harness.states.run(arn, {"key": "k", "failures": 3})

    harness.advance(seconds=1)
    assert len(retry_times(execution)) == 1
    harness.advance(seconds=1)
    assert len(retry_times(execution)) == 2
    harness.advance(seconds=24)

    assert execution.status == "SUCCEEDED"
    assert execution.output == {"key": "k", "attempts": 4}
    assert retry_times(execution) == [timedelta(0), timedelta(seconds=2), timedelta(seconds=8), timedelta(seconds=26)]


def test_a_one_hour_retry_interval_costs_no_real_time(harness):
    definition = task_machine(
        harness, "Flaky", Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600, "MaxAttempts": 1}]
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Flaky", "flaky"),))
    execution = harness.states.run(arn, {"key": "hour", "failures": 1})
    assert execution.status == "RUNNING"

    harness.advance(hours=1)

    assert execution.status == "SUCCEEDED"
    assert retry_times(execution) == [timedelta(0), timedelta(hours=1)]


def test_max_delay_seconds_caps_the_backoff_and_full_jitter_stays_below_it(harness):
    retry = {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 10, "BackoffRate": 10, "MaxAttempts": 3}
    capped = deploy_machine(
        harness,
        task_machine(harness, "Flaky", Retry=[{**retry, "MaxDelaySeconds": 15}]),
        name="Capped",
        functions=(task_function("Flaky", "flaky"),),
    )
    jittered = deploy_machine(
        harness,
        task_machine(harness, "Flaky", Retry=[{**retry, "MaxDelaySeconds": 15, "JitterStrategy": "FULL"}]),
        name="Jittered",
    )
    harness.states.random.seed(7)

    first = harness.states.run(capped, {"key": "capped", "failures": 3})
    second = harness.states.run(jittered, {"key": "jittered", "failures": 3})
    harness.advance(seconds=60)

    assert retry_times(first) == [timedelta(0), timedelta(seconds=10), timedelta(seconds=25), timedelta(seconds=40)]
    gaps = [b - a for a, b in zip(retry_times(second), retry_times(second)[1:], strict=False)]
    assert len(gaps) == 3
    assert all(timedelta(0) <= gap <= timedelta(seconds=15) for gap in gaps)
    assert (first.status, second.status) == ("SUCCEEDED", "SUCCEEDED")


def test_retry_count_is_visible_in_the_context_object(harness):
    definition = task_machine(
        harness,
        "Retried",
        Parameters={"retries.$": "$$.State.RetryCount", "needed": 2},
        Retry=[{"ErrorEquals": ["TransientError"], "MaxAttempts": 2}],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Retried", "needs_retries"),))

    execution = harness.states.run(arn, {})
    harness.advance(seconds=3)

    assert execution.output == {"retries": 2, "needed": 2}
    assert [json.loads(d["input"])["retries"] for d in details(execution, "LambdaFunctionScheduled")] == [0, 1, 2]


def test_only_the_first_matching_retrier_applies_and_max_attempts_zero_never_retries(harness):
    definition = task_machine(
        harness,
        "Fail",
        Retry=[
            {"ErrorEquals": ["Fatal"], "MaxAttempts": 0},
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5},
        ],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Fail", "fail"),))

    fatal = harness.states.run(arn, {"error": "Fatal"})
    other = harness.states.run(arn, {"error": "Other"})
    harness.advance(minutes=5)

    assert (fatal.status, fatal.error) == ("FAILED", "Fatal")
    assert len(retry_times(fatal)) == 1
    assert (other.status, other.error) == ("FAILED", "Other")
    assert len(retry_times(other)) == 6


def test_catch_routes_by_error_name_and_places_the_error_output(harness):
    definition = task_machine(
        harness,
        "Fail",
        Catch=[
            {"ErrorEquals": ["Unknown"], "Next": "Recovered"},
            {"ErrorEquals": ["PaymentDeclined"], "ResultPath": "$.failure", "Next": "Recovered"},
        ],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Fail", "fail"),))

    execution = harness.states.run(arn, {"error": "PaymentDeclined", "message": "card expired"})

    assert execution.status == "SUCCEEDED"
    failure = execution.output.pop("failure")
    assert execution.output == {"error": "PaymentDeclined", "message": "card expired"}
    assert failure["Error"] == "PaymentDeclined"
    assert json.loads(failure["Cause"])["errorMessage"] == "card expired"
    assert execution.event_types()[-5:] == [
        "LambdaFunctionFailed",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_catch_with_a_null_result_path_keeps_the_input(harness):
    definition = task_machine(
        harness, "Fail", Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": None, "Next": "Recovered"}]
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Fail", "fail"),))

    execution = harness.states.run(arn, {"error": "Boom"})

    assert execution.output == {"error": "Boom"}


def test_states_runtime_is_neither_retried_nor_caught(harness):
    definition = task_machine(
        harness,
        "Echo",
        ResultSelector={"missing.$": "$.nothing"},
        Retry=[{"ErrorEquals": ["States.ALL"]}],
        Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recovered"}],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Echo", "echo"),))

    execution = harness.states.run(arn, {})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "'missing.$'" in execution.cause and "(entered at the event id #2)" in execution.cause
    assert len(retry_times(execution)) == 1


def test_task_timeout_seconds_times_the_task_out_on_the_clock(harness):
    gate = f"timeout-{uuid.uuid4().hex}"
    harness.on_close(lambda: gates.release(gate))
    definition = task_machine(
        harness,
        "Blocked",
        TimeoutSeconds=30,
        Catch=[{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Recovered"}],
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Blocked", "wait_for_gate", timeout=60),))
    execution = harness.states.start(arn, {"gate": gate})
    harness.eventually(lambda: "LambdaFunctionStarted" in execution.event_types())

    harness.clock.advance(seconds=30)
    harness.drain()

    assert execution.status == "SUCCEEDED"
    assert execution.output["timeout"] == {"Error": "States.Timeout", "Cause": ""}
    assert details(execution, "LambdaFunctionScheduled")[0]["timeoutInSeconds"] == 30
    assert details(execution, "LambdaFunctionTimedOut") == [{"error": "States.Timeout"}]


def test_a_lambda_timeout_is_sandbox_timedout_and_matches_states_task_failed(harness):
    gate = f"sandbox-{uuid.uuid4().hex}"
    harness.on_close(lambda: gates.release(gate))
    definition = task_machine(
        harness, "Slow", Catch=[{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.caught", "Next": "Recovered"}]
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Slow", "wait_for_gate", timeout=1),))

    execution = harness.states.run(arn, {"gate": gate})

    caught = execution.output["caught"]
    assert caught["Error"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in json.loads(caught["Cause"])["errorMessage"]
    assert details(execution, "LambdaFunctionFailed")[0]["error"] == "Sandbox.Timedout"


def test_a_missing_function_fails_with_lambdas_resource_not_found(harness):
    definition = {
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": lambda_arn(harness, "NoSuchFunction"),
                "Catch": [{"ErrorEquals": ["Lambda.ResourceNotFoundException"], "Next": "Recovered"}],
                "End": True,
            },
            "Recovered": pass_state(),
        },
    }
    arn = deploy_machine(harness, definition)

    execution = harness.states.run(arn, {})

    assert execution.status == "SUCCEEDED"
    assert "LambdaFunctionStartFailed" in execution.event_types()
    assert execution.output["Error"] == "Lambda.ResourceNotFoundException"
