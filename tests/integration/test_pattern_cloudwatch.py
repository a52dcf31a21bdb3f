"""Every seed pattern's "check CloudWatch" verify step, through the CloudWatch Logs and CloudWatch APIs.

Log groups: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
EventBridge metrics: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
Scheduler metrics: https://docs.aws.amazon.com/scheduler/latest/UserGuide/monitoring-cloudwatch.html
Step Functions metrics: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
"""

from __future__ import annotations

import itertools
import json

from harness.routing.retry import RetryPolicy
from provisioning.builders.rules import Rule, Target
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack
from provisioning.stacks import (
    choreography_stack,
    event_sourcing_stack,
    orchestration_stack,
    scheduled_automation_stack,
    stream_processing_stack,
)
from provisioning.stacks.choreography import BUS, RULES
from provisioning.stacks.orchestration import STATE_MACHINE
from provisioning.stacks.scheduled_automation import FUNCTION, SCHEDULE
from tests.integration.cloudwatch_helpers import handler_lines, log_events, messages, statistics, total


# -- pattern 7 -------------------------------------------------------------------------------------
def test_p7_sensor_stream_processor_logs_its_batches_and_alerts_in_cloudwatch(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 10, "seed": 7}).value()
    harness.invoke("SensorProducer", {"count": 4, "temperature": 90}).value()
    harness.drain()

    processed = messages(harness, "SensorStreamProcessor", '"Processed"')
    assert sum(int(line.split()[1]) for line in processed) == 14
    alerts = messages(harness, "SensorStreamProcessor", '"🚨 ALERT"')
    assert alerts == harness.logs("SensorStreamProcessor").matching("🚨 ALERT")
    forced = messages(harness, "SensorStreamProcessor", '"🚨 ALERT: High temperature 90°C"')
    assert len(forced) == 4
    assert messages(harness, "SensorProducer", '"Published"') == [
        "Published 10 sensor readings to Kinesis",
        "Published 4 sensor readings to Kinesis",
    ]
    # Lambda -> SensorStreamProcessor -> Monitor: Invocations and Iterator age
    function = {"FunctionName": "SensorStreamProcessor"}
    assert total(harness, "AWS/Lambda", "Invocations", function) == len(processed)
    assert statistics(harness, "AWS/Lambda", "IteratorAge", function, "Maximum")  # recorded for every batch


# -- pattern 8 -------------------------------------------------------------------------------------
def test_p8_each_lambda_logs_in_cloudwatch_in_the_order_of_the_workflow(harness):
    machine = harness.deploy(orchestration_stack()).arn(STATE_MACHINE)
    order = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007", "inStock": True}

    harness.client("stepfunctions").start_execution(stateMachineArn=machine, input=json.dumps(order))
    harness.drain()

    lines = {
        "CheckInventory": "Inventory check for ORD-20250225: IN STOCK",
        "ProcessPayment": "Processing payment of $149.99 for order ORD-20250225",
        "ShipOrder": "Shipping order ORD-20250225 — tracking: TRK-0225",
    }
    stamps = []
    for function, line in lines.items():
        assert handler_lines(harness, function) == [line]
        [start] = [e for e in log_events(harness, function) if e["message"].startswith("START RequestId:")]
        stamps.append((start["timestamp"], start["ingestionTime"]))
    assert stamps == sorted(stamps)
    machine_arn = {"StateMachineArn": machine}
    assert total(harness, "AWS/States", "ExecutionsStarted", machine_arn) == 1
    assert total(harness, "AWS/States", "ExecutionsSucceeded", machine_arn) == 1
    assert statistics(harness, "AWS/States", "ExecutionTime", machine_arn, "SampleCount") == [1]


def test_p8_the_out_of_stock_retry_shows_in_cloudwatch_at_the_clocks_times(harness):
    machine = harness.deploy(orchestration_stack()).arn(STATE_MACHINE)
    order = {"orderId": "ORD-20250226", "amount": 10, "inStock": False}

    harness.client("stepfunctions").start_execution(stateMachineArn=machine, input=json.dumps(order))
    harness.drain()
    harness.advance(seconds=1)  # the Retry's interval

    starts = [e["timestamp"] for e in log_events(harness, "CheckInventory") if e["message"].startswith("START")]
    assert len(starts) == 2 and starts[1] - starts[0] == 1000
    assert (
        messages(harness, "CheckInventory", '"OUT OF STOCK"') == ["Inventory check for ORD-20250226: OUT OF STOCK"] * 2
    )
    errors = messages(harness, "CheckInventory", '"[ERROR]"')
    assert len(errors) == 2 and errors[0].startswith(
        "[ERROR] Exception: Item out of stock for order ORD-20250226\nTraceback"
    )
    assert total(harness, "AWS/Lambda", "Errors", {"FunctionName": "CheckInventory"}) == 2
    assert total(harness, "AWS/States", "ExecutionsFailed", {"StateMachineArn": machine}) == 1
    groups = harness.client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/ProcessPayment")
    assert groups["logGroups"] == []  # the workflow never reached it


# -- pattern 9 -------------------------------------------------------------------------------------
def test_p9_the_three_services_log_their_lines_and_each_rule_matched_once(harness):
    harness.deploy(choreography_stack())

    order_id = harness.invoke("OrderPublisher", {"amount": 75.00, "customerId": "cust-042"}).value()["order"]["orderId"]
    harness.drain()

    assert messages(harness, "PaymentService", '"[PAYMENT] Processing"') == [
        f"[PAYMENT] Processing payment for order {order_id}"
    ]
    assert messages(harness, "FulfillmentService", '"[FULFILLMENT] Packing"') == [
        f"[FULFILLMENT] Packing and shipping order {order_id}"
    ]
    [notify] = messages(harness, "NotificationService", '"[NOTIFY]"')
    assert notify.startswith(f"[NOTIFY] Order {order_id} shipped!")
    for rule, *_ in RULES:
        dimensions = {"EventBusName": BUS, "RuleName": rule}
        assert total(harness, "AWS/Events", "MatchedEvents", dimensions) == 1
        assert total(harness, "AWS/Events", "Invocations", dimensions) == 1
        assert total(harness, "AWS/Events", "FailedInvocations", dimensions) == 0


def test_p9_a_throttled_target_counts_throttles_failed_invocations_and_dead_letters(harness):
    stack = Stack(
        "throttled",
        resources=[Queue("OrdersDLQ")],
        functions=choreography_stack().functions,
        triggers=[
            Rule(
                "PayOnOrder",
                bus="default",
                event_pattern={"source": ["ecommerce.orders"]},
                targets=[Target("PaymentService", retry_policy=RetryPolicy(1, 3600), dead_letter_queue="OrdersDLQ")],
            )
        ],
    )
    harness.deploy(stack)

    with harness.events.throttled("PaymentService"):
        harness.events.publish("OrderPlaced", {"orderId": "ORD-1"}, source="ecommerce.orders")
        harness.drain()
        harness.advance(seconds=1)  # the one retry waits a second

    rule = {"RuleName": "PayOnOrder"}
    assert total(harness, "AWS/Events", "MatchedEvents", rule) == 1
    assert total(harness, "AWS/Events", "InvocationAttempts", rule) == 2
    assert total(harness, "AWS/Events", "FailedInvocations", rule) == 1
    assert total(harness, "AWS/Events", "DeadLetterInvocations", rule) == 1
    assert total(harness, "AWS/Lambda", "Throttles", {"FunctionName": "PaymentService"}) == 2
    groups = harness.client("logs").describe_log_groups(logGroupNamePrefix="/aws/lambda/PaymentService")
    assert groups["logGroups"] == []  # never invoked, so Lambda never created its log group


# -- pattern 10 ------------------------------------------------------------------------------------
def test_p10_daily_health_check_logs_every_five_minutes_of_the_clock(harness):
    harness.deploy(scheduled_automation_stack())

    harness.advance(minutes=15)

    runs = messages(harness, FUNCTION, '"[HEALTH CHECK] Running automated check"')
    assert len(runs) == 3
    assert len(messages(harness, FUNCTION, '"[HEALTH CHECK] All systems nominal"')) == 3
    starts = [e["timestamp"] for e in log_events(harness, FUNCTION) if e["message"].startswith("START")]
    assert [later - earlier for earlier, later in itertools.pairwise(starts)] == [300_000, 300_000]
    scheduled = [int(run.scheduled_time.timestamp() * 1000) for run in harness.scheduler.runs(SCHEDULE)]
    assert starts == scheduled  # invoked at the times the schedule ran
    # EventBridge -> Schedules -> HealthCheckEvery5Min: every attempt reached its target
    group = {"ScheduleGroup": "default"}
    assert total(harness, "AWS/Scheduler", "InvocationAttemptCount", group) == 3
    assert total(harness, "AWS/Scheduler", "TargetErrorCount", group) == 0
    assert total(harness, "AWS/Lambda", "Invocations", {"FunctionName": FUNCTION}) == 3


def test_p10_a_deleted_target_counts_target_errors_and_a_dropped_invocation(harness):
    harness.deploy(scheduled_automation_stack())
    harness.functions.remove(FUNCTION)

    # The first run comes within a minute; its two retries (the seed's policy) 1 and 2 minutes later,
    # before the next run five minutes after the first.
    harness.advance(minutes=4)

    group = {"ScheduleGroup": "default"}
    assert [run.status for run in harness.scheduler.runs(SCHEDULE)] == ["dropped"]
    assert total(harness, "AWS/Scheduler", "InvocationAttemptCount", group) == 3
    assert total(harness, "AWS/Scheduler", "TargetErrorCount", group) == 3
    assert total(harness, "AWS/Scheduler", "InvocationDroppedCount", group) == 1


# -- pattern 15 ------------------------------------------------------------------------------------
def test_p15_commands_and_projections_log_in_cloudwatch(harness):
    harness.deploy(event_sourcing_stack())
    commands = [
        {"command": "deposit", "accountId": "ACC-001", "amount": 1000, "userId": "alice"},
        {"command": "withdraw", "accountId": "ACC-001", "amount": 250, "userId": "alice"},
        {"command": "deposit", "accountId": "ACC-001", "amount": 500, "userId": "bob"},
    ]

    for command in commands:
        harness.invoke("AccountCommand", command).value()
    harness.drain()
    balance = harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"]
    harness.drain()

    assert balance == 1250
    assert messages(harness, "AccountCommand", '"Event appended"') == [
        "Event appended: MoneyDeposited $1000 on ACC-001",
        "Event appended: MoneyWithdrawn $250 on ACC-001",
        "Event appended: MoneyDeposited $500 on ACC-001",
    ]
    projected = messages(harness, "BalanceProjection", '"Projection:"')
    assert sorted(projected) == sorted(harness.logs("BalanceProjection").matching("Projection:"))
    assert {line.split(" ", 2)[1] for line in projected} == {"+$1000", "-$250", "+$500"}
    assert total(harness, "AWS/Lambda", "Invocations", {"FunctionName": "AccountQuery"}) == 1
    assert statistics(harness, "AWS/Lambda", "IteratorAge", {"FunctionName": "BalanceProjection"}, "Maximum")
