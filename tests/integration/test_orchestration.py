"""Pattern 8 end to end: OrderPipeline runs CheckInventory, ProcessPayment, ShipOrder; out of stock fails."""

from __future__ import annotations

import json

import pytest

from provisioning.stacks import orchestration_stack
from provisioning.stacks.orchestration import ORDER_PIPELINE_DEFINITION, STATE_MACHINE

ORDER = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007"}
WORKERS = ["CheckInventory", "ProcessPayment", "ShipOrder"]


@pytest.fixture
def pipeline(harness):
    """The orchestration stack; returns the OrderPipeline ARN."""
    return harness.deploy(orchestration_stack()).arn(STATE_MACHINE)


def start(harness, machine: str, order: dict) -> str:
    sfn = harness.client("stepfunctions")
    return sfn.start_execution(stateMachineArn=machine, input=json.dumps(order))["executionArn"]


def history(harness, arn: str) -> list[dict]:
    return harness.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)["events"]


def test_the_definition_on_the_backend_is_the_seeds_with_the_accounts_arns(harness, pipeline):
    described = harness.account.client("stepfunctions").describe_state_machine(stateMachineArn=pipeline)

    expected = ORDER_PIPELINE_DEFINITION.replace("REGION", "us-east-1").replace("ACCOUNT", harness.account.account_id)
    assert described["definition"] == expected
    assert described["type"] == "STANDARD"
    assert described["roleArn"].endswith(":role/StepFunctions-OrderPipeline-role")
    listed = harness.client("stepfunctions").list_state_machines()["stateMachines"]
    assert [m["name"] for m in listed] == [STATE_MACHINE]


def test_in_stock_order_runs_the_three_tasks_in_order_and_succeeds(harness, pipeline):
    arn = start(harness, pipeline, {**ORDER, "inStock": True})
    harness.drain()

    described = harness.client("stepfunctions").describe_execution(executionArn=arn)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {
        **ORDER,
        "inStock": True,
        "inventoryStatus": "confirmed",
        "paymentStatus": "charged",
        "transactionId": "TXN-99887",
        "shipmentStatus": "shipped",
        "trackingId": "TRK-0225",
    }
    events = history(harness, arn)
    tasks = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "TaskStateEntered"]
    assert tasks == WORKERS
    assert harness.logs("CheckInventory").matching("Inventory check for ORD-20250225: IN STOCK")
    assert harness.logs("ProcessPayment").matching("Processing payment of $149.99 for order ORD-20250225")
    assert harness.logs("ShipOrder").matching("Shipping order ORD-20250225 — tracking: TRK-0225")
    started = [harness.logs(name).invocations[0].started_at for name in WORKERS]
    assert started == sorted(started)


def test_out_of_stock_retries_check_inventory_once_then_ends_in_order_failed(harness, pipeline):
    arn = start(harness, pipeline, {**ORDER, "inStock": False})
    harness.drain()
    sfn = harness.client("stepfunctions")

    # The Retry has no IntervalSeconds: the second attempt waits one second on the harness clock.
    assert sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
    assert len(harness.logs("CheckInventory").invocations) == 1
    harness.advance(seconds=1)

    described = sfn.describe_execution(executionArn=arn)
    assert described["status"] == "FAILED"
    assert described["error"] == "OutOfStock"
    assert described["cause"] == "Item unavailable at time of order"
    assert len(harness.logs("CheckInventory").invocations) == 2
    assert (
        harness.logs("CheckInventory").matching("OUT OF STOCK")
        == ["Inventory check for ORD-20250225: OUT OF STOCK"] * 2
    )
    assert harness.logs("ProcessPayment").invocations == []
    assert harness.logs("ShipOrder").invocations == []


def test_the_caught_error_is_at_dollar_error_with_lambdas_error_json_as_cause(harness, pipeline):
    arn = start(harness, pipeline, {**ORDER, "inStock": False})
    harness.drain()
    harness.advance(seconds=1)

    events = history(harness, arn)
    failed = [e["lambdaFunctionFailedEventDetails"] for e in events if e["type"] == "LambdaFunctionFailed"]
    assert [f["error"] for f in failed] == ["Exception", "Exception"]
    fail_input = json.loads(
        next(e for e in events if e["type"] == "FailStateEntered")["stateEnteredEventDetails"]["input"]
    )
    caught = fail_input.pop("error")
    assert fail_input == {**ORDER, "inStock": False}
    assert caught["Error"] == "Exception"
    cause = json.loads(caught["Cause"])
    assert cause["errorType"] == "Exception"
    assert cause["errorMessage"] == "Item out of stock for order ORD-20250225"
    assert set(cause) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert caught["Cause"] == failed[-1]["cause"]


def test_the_history_is_the_complete_audit_trail(harness, pipeline):
    arn = start(harness, pipeline, {**ORDER, "inStock": True})
    harness.drain()

    events = history(harness, arn)
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        *[
            kind
            for _ in WORKERS
            for kind in (
                "TaskStateEntered",
                "LambdaFunctionScheduled",
                "LambdaFunctionStarted",
                "LambdaFunctionSucceeded",
                "TaskStateExited",
            )
        ],
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert [e["previousEventId"] for e in events] == list(range(0, len(events)))
    stamps = [e["timestamp"] for e in events]
    assert stamps == sorted(stamps)
    scheduled = [e["lambdaFunctionScheduledEventDetails"] for e in events if e["type"] == "LambdaFunctionScheduled"]
    assert [s["resource"] for s in scheduled] == [harness.functions.arn(name) for name in WORKERS]
    outputs = [
        json.loads(e["lambdaFunctionSucceededEventDetails"]["output"])
        for e in events
        if e["type"] == "LambdaFunctionSucceeded"
    ]
    assert [json.loads(s["input"]) for s in scheduled[1:]] == outputs[:-1]
    assert json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == outputs[-1]


def test_over_200_seeded_executions_about_a_quarter_fail(harness, pipeline):
    executions = [harness.states.start(pipeline, {**ORDER, "inventorySeed": seed}) for seed in range(200)]
    harness.drain()
    harness.advance(seconds=1)

    statuses = [e.status for e in executions]
    failed = [e for e in executions if e.status == "FAILED"]
    assert set(statuses) == {"SUCCEEDED", "FAILED"}
    assert 0.18 <= len(failed) / 200 <= 0.32
    assert {(e.error, e.cause) for e in failed} == {("OutOfStock", "Item unavailable at time of order")}
    # A seeded draw repeats on the retry: every failed order was checked exactly twice.
    assert len(harness.logs("CheckInventory").invocations) == 200 + len(failed)
    assert len(harness.logs("ShipOrder").invocations) == 200 - len(failed)


def test_the_same_seed_draws_the_same_answer(harness, pipeline):
    first = [harness.states.run(pipeline, {**ORDER, "inventorySeed": seed}) for seed in range(8)]
    second = [harness.states.run(pipeline, {**ORDER, "inventorySeed": seed}) for seed in range(8)]
    harness.advance(seconds=1)

    assert [e.status for e in first] == [e.status for e in second]


def test_a_bad_in_stock_flag_is_caught_and_named(harness, pipeline):
    arn = start(harness, pipeline, {**ORDER, "inStock": "yes"})
    harness.drain()
    harness.advance(seconds=1)

    events = history(harness, arn)
    fail_input = json.loads(
        next(e for e in events if e["type"] == "FailStateEntered")["stateEnteredEventDetails"]["input"]
    )
    assert fail_input["error"]["Error"] == "ValueError"
    assert json.loads(fail_input["error"]["Cause"])["errorMessage"] == 'inStock must be true or false, not "yes"'


def test_executions_are_listed_newest_first_with_their_status(harness, pipeline):
    sfn = harness.client("stepfunctions")
    ok = start(harness, pipeline, {**ORDER, "inStock": True})
    harness.drain()
    failing = start(harness, pipeline, {**ORDER, "inStock": False})
    harness.drain()

    listed = sfn.list_executions(stateMachineArn=pipeline)["executions"]
    assert [(e["executionArn"], e["status"]) for e in listed] == [(failing, "RUNNING"), (ok, "SUCCEEDED")]
    harness.advance(seconds=1)
    assert [
        e["executionArn"] for e in sfn.list_executions(stateMachineArn=pipeline, statusFilter="FAILED")["executions"]
    ] == [failing]
