"""Time in state machines runs on the harness clock: Wait states, execution timeouts, stopping an execution."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.states_helpers import deploy_machine, details, pass_state


def wait_machine(wait: dict, **machine) -> dict:
    return {
        "StartAt": "Hold",
        "States": {"Hold": {"Type": "Wait", **wait, "Next": "Done"}, "Done": pass_state()},
        **machine,
    }


def test_a_wait_of_an_hour_takes_no_real_time_and_ends_when_the_clock_gets_there(harness):
    arn = deploy_machine(harness, wait_machine({"Seconds": 3600}))
    execution = harness.states.run(arn, {"n": 1})

    harness.drain()  # returns at once: the execution waits on the clock, it is not working
    assert execution.status == "RUNNING"
    assert execution.event_types()[-1] == "WaitStateEntered"
    harness.advance(minutes=59)
    assert execution.status == "RUNNING"
    harness.advance(minutes=1)

    assert (execution.status, execution.output) == ("SUCCEEDED", {"n": 1})
    assert execution.stop_date - execution.start_date == timedelta(hours=1)


def test_seconds_path_timestamp_and_timestamp_path_set_the_wait(harness):
    start = harness.clock.now()
    at = (start + timedelta(seconds=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    waits = {
        "seconds-path": ({"SecondsPath": "$.delay"}, {"delay": 30}),
        "timestamp": ({"Timestamp": at}, {}),
        "timestamp-path": ({"TimestampPath": "$.at"}, {"at": at}),
    }
    executions = {
        key: harness.states.run(deploy_machine(harness, wait_machine(wait), name=f"W-{key}"), payload)
        for key, (wait, payload) in waits.items()
    }

    harness.advance(seconds=30)
    assert {k: e.status for k, e in executions.items()} == {
        "seconds-path": "SUCCEEDED",
        "timestamp": "RUNNING",
        "timestamp-path": "RUNNING",
    }
    harness.advance(seconds=60)
    assert {e.status for e in executions.values()} == {"SUCCEEDED"}


def test_one_advance_runs_a_chain_of_waits(harness):
    definition = {
        "StartAt": "First",
        "States": {
            "First": {"Type": "Wait", "Seconds": 10, "Next": "Second"},
            "Second": {"Type": "Wait", "Seconds": 10, "Next": "Done"},
            "Done": pass_state(),
        },
    }
    execution = harness.states.run(deploy_machine(harness, definition), {})

    harness.advance(seconds=25)

    assert execution.status == "SUCCEEDED"
    assert execution.stop_date - execution.start_date == timedelta(seconds=20)


def test_a_wait_with_a_bad_seconds_path_fails_with_states_runtime(harness):
    arn = deploy_machine(harness, wait_machine({"SecondsPath": "$.delay"}))

    execution = harness.states.run(arn, {"delay": "soon"})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "SecondsPath" in execution.cause


def test_the_machines_timeout_seconds_times_the_execution_out(harness):
    arn = deploy_machine(harness, wait_machine({"Seconds": 600}, TimeoutSeconds=60))
    execution = harness.states.run(arn, {})

    harness.advance(seconds=60)

    assert execution.status == "TIMED_OUT"
    assert execution.stop_date - execution.start_date == timedelta(seconds=60)
    assert execution.event_types()[-3:] == ["WaitStateEntered", "WaitStateAborted", "ExecutionTimedOut"]
    assert details(execution, "ExecutionTimedOut") == [{"error": "States.Timeout"}]
    described = harness.client("stepfunctions").describe_execution(executionArn=execution.arn)
    assert described["status"] == "TIMED_OUT"
    assert "error" not in described and "output" not in described


def test_stop_execution_aborts_a_waiting_execution_with_error_and_cause(harness):
    arn = deploy_machine(harness, wait_machine({"Seconds": 600}))
    execution = harness.states.run(arn, {})
    sfn = harness.client("stepfunctions")

    stopped = sfn.stop_execution(executionArn=execution.arn, error="Operator.Stop", cause="no longer needed")

    described = sfn.describe_execution(executionArn=execution.arn)
    assert (described["status"], described["error"], described["cause"]) == (
        "ABORTED",
        "Operator.Stop",
        "no longer needed",
    )
    assert described["stopDate"] == stopped["stopDate"]
    assert execution.event_types()[-3:] == ["WaitStateEntered", "WaitStateAborted", "ExecutionAborted"]
    harness.advance(seconds=600)  # the cancelled wait never resumes
    assert execution.status == "ABORTED"
    assert "PassStateEntered" not in execution.event_types()


def test_history_timestamps_follow_the_clock(harness):
    arn = deploy_machine(harness, wait_machine({"Seconds": 5}))
    execution = harness.states.run(arn, {})
    harness.advance(seconds=5)

    stamps = {e.type: e.timestamp for e in execution.events}
    assert stamps["WaitStateExited"] - stamps["WaitStateEntered"] == timedelta(seconds=5)
    assert stamps["ExecutionStarted"] == execution.start_date
