"""`python -m harness serve` in a process of its own, driven as a user outside Python would: plain boto3
clients that know only the one endpoint's URL (and any credentials), as with `aws --endpoint-url`.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest

from harness.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"  # the account any credentials reach on the embedded backend, which serve deploys into
STARTUP_SECONDS = 180.0


class Served:
    """A running `serve` process and clients on its endpoint."""

    def __init__(self, url: str, process: subprocess.Popen[str], lines: list[str]) -> None:
        self.url = url
        self.process = process
        self.lines = lines
        self._session = boto3.session.Session(
            aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )

    def client(self, service: str):
        """A plain boto3 client that knows only the endpoint's URL."""
        return self._session.client(service, endpoint_url=self.url)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "HARNESS_BACKEND": "embedded"}
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "harness", "serve", "--port", "0"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    arrived: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            arrived.put(line)
        arrived.put(None)

    threading.Thread(target=read, daemon=True).start()
    url = None
    try:
        while url is None or not lines[-1].startswith("serving"):
            line = arrived.get(timeout=STARTUP_SECONDS)
            if line is None:
                raise AssertionError("serve exited before serving:\n" + "\n".join(lines))
            if line.startswith("endpoint: "):
                url = line.split()[1]
        yield Served(url, process, lines)
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    assert process.returncode == 0, "\n".join(lines)
    assert lines[-1] == "removing stacks" or "removing stacks" in lines


def test_one_endpoint_answers_every_service_and_says_so(served):
    health = json.loads(urllib.request.urlopen(f"{served.url}/_harness/health", timeout=10).read())

    assert health["status"] == "running"
    assert {"lambda", "stepfunctions", "scheduler", "events"} <= set(health["services"])
    names = {f["FunctionName"] for f in served.client("lambda").list_functions()["Functions"]}
    assert {"SensorProducer", "CheckInventory", "OrderPublisher", "DailyHealthCheck", "AccountCommand"} <= names
    assert "SensorStream" in served.client("kinesis").list_streams()["StreamNames"]
    assert any(line.startswith("  export AWS_ENDPOINT_URL=") for line in served.lines)


def test_stream_processing_readings_reach_the_table(served):
    payload = json.dumps({"count": 4, "temperature": 90, "seed": 7})
    answer = served.client("lambda").invoke(FunctionName="SensorProducer", Payload=payload)
    assert json.loads(answer["Payload"].read()) == {"sent": 4}

    dynamodb = served.client("dynamodb")

    def hot_rows() -> list[dict] | None:
        rows = [i for i in dynamodb.scan(TableName="SensorMetrics")["Items"] if i["temperature"]["S"] == "90"]
        return rows if len(rows) == 4 else None

    rows = eventually(hot_rows, timeout=30, message="the four hot readings never reached SensorMetrics")
    assert {row["sensorId"]["S"] for row in rows} == {"sensor-01", "sensor-02", "sensor-03"}

    logs = served.client("logs")

    def alerts() -> list[dict] | None:
        found = logs.filter_log_events(logGroupName="/aws/lambda/SensorStreamProcessor", filterPattern="ALERT")
        return found["events"] if len(found["events"]) >= 4 else None

    events = eventually(alerts, timeout=30, message="the ALERT lines never reached CloudWatch Logs")
    assert all("🚨 ALERT: High temperature 90" in e["message"] for e in events)
    assert any("[SensorStreamProcessor]" in line and "ALERT" in line for line in served.lines)


def test_orchestration_runs_the_seed_state_machine(served):
    sfn = served.client("stepfunctions")
    machine = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:OrderPipeline"
    order = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007", "inStock": True}

    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps(order))["executionArn"]

    described = eventually(
        lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d,
        timeout=30,
        message="the execution never ended",
    )
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["trackingId"] == "TRK-0225"
    history = sfn.get_execution_history(executionArn=arn)["events"]
    entered = [e["stateEnteredEventDetails"]["name"] for e in history if "stateEnteredEventDetails" in e]
    assert entered == ["CheckInventory", "ProcessPayment", "ShipOrder", "OrderComplete"]


def test_choreography_a_new_listener_joins_with_put_rule_and_put_targets_only(served):
    events, sqs = served.client("events"), served.client("sqs")
    queue_url = sqs.create_queue(QueueName="shipped-orders")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["ecommerce.fulfillment"], "detail-type": ["OrderShipped"]}
    events.put_rule(Name="WatchShipping", EventBusName="ecommerce-events", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="WatchShipping", EventBusName="ecommerce-events", Targets=[{"Id": "q", "Arn": queue_arn}])
    try:
        published = served.client("lambda").invoke(FunctionName="OrderPublisher", Payload=b'{"amount": 75.0}')
        order_id = json.loads(published["Payload"].read())["order"]["orderId"]

        def shipped() -> dict | None:
            for message in sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages", []):
                event = json.loads(message["Body"])
                if event["detail"]["orderId"] == order_id:
                    return event
            return None

        event = eventually(shipped, timeout=30, message="OrderShipped never reached the new rule's queue")
        assert event["detail"]["tracking"] == f"TRK-{order_id[-4:]}"
        names = {r["Name"] for r in events.list_rules(EventBusName="ecommerce-events")["Rules"]}
        assert names == {"PayOnOrder", "FulfillOnPayment", "NotifyOnShip", "WatchShipping"}
        targets = events.list_targets_by_rule(Rule="PayOnOrder", EventBusName="ecommerce-events")["Targets"]
        assert targets[0]["Arn"] == f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:PaymentService"
        assert all("harness-" not in url for url in sqs.list_queues().get("QueueUrls", []))
    finally:
        events.remove_targets(Rule="WatchShipping", EventBusName="ecommerce-events", Ids=["q"])
        events.delete_rule(Name="WatchShipping", EventBusName="ecommerce-events")
        sqs.delete_queue(QueueUrl=queue_url)


def test_scheduled_automation_a_one_time_schedule_fires_once(served):
    scheduler, sqs = served.client("scheduler"), served.client("sqs")
    assert "HealthCheckEvery5Min" in {s["Name"] for s in scheduler.list_schedules()["Schedules"]}
    queue_url = sqs.create_queue(QueueName="one-time-runs")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    when = (datetime.now(UTC) + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S")
    scheduler.create_schedule(
        Name="OneTimeProbe",
        ScheduleExpression=f"at({when})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": queue_arn, "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/LambdaLabRole", "Input": '{"probe": 1}'},
    )
    try:
        message = eventually(
            lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1).get("Messages"),
            timeout=30,
            message="the one-time schedule never fired",
        )
        assert json.loads(message[0]["Body"]) == {"probe": 1}
    finally:
        scheduler.delete_schedule(Name="OneTimeProbe")
        sqs.delete_queue(QueueUrl=queue_url)


def test_event_sourcing_balance_follows_the_commands(served):
    lam = served.client("lambda")
    commands = [
        {"command": "deposit", "accountId": "ACC-SERVE", "amount": 1000, "userId": "alice"},
        {"command": "withdraw", "accountId": "ACC-SERVE", "amount": 250, "userId": "alice"},
        {"command": "deposit", "accountId": "ACC-SERVE", "amount": 500, "userId": "bob"},
    ]
    for command in commands:
        answer = lam.invoke(FunctionName="AccountCommand", Payload=json.dumps(command))
        assert "FunctionError" not in answer

    def balance() -> dict | None:
        result = json.loads(
            lam.invoke(FunctionName="AccountQuery", Payload=b'{"accountId": "ACC-SERVE"}')["Payload"].read()
        )
        return result if result["currentBalance"] == 1250 else None

    result = eventually(balance, timeout=30, message="the projection never reached 1250")
    assert result["totalEvents"] == 3


LOYALTY_HANDLER = """
import json
import os

import boto3

sqs = boto3.client("sqs")


def lambda_handler(event, context):
    detail = event.get("detail", {})
    order_id = detail.get("orderId")
    print(f"[LOYALTY] Awarding 10 points for order {order_id}")
    sqs.send_message(QueueUrl=os.environ["AWARDS_QUEUE_URL"], MessageBody=json.dumps({"orderId": order_id}))
    return {"status": "points awarded", "orderId": order_id}
"""


def test_the_seeds_loyalty_service_joins_from_a_zip_with_put_targets_only(served):
    """The seed's key insight of pattern 9, from outside Python: one new function, one new rule, nothing else."""
    from tests.zip_code import zip_bytes

    lam, events, sqs = served.client("lambda"), served.client("events"), served.client("sqs")
    awards = sqs.create_queue(QueueName="loyalty-awards")["QueueUrl"]
    function_arn = lam.create_function(
        FunctionName="LoyaltyPointsService",
        Runtime="python3.12",
        Role=f"arn:aws:iam::{ACCOUNT}:role/LambdaLabRole",
        Handler="lambda_function.lambda_handler",
        Code={"ZipFile": zip_bytes({"lambda_function.py": LOYALTY_HANDLER})},
        Environment={"Variables": {"AWARDS_QUEUE_URL": awards}},
    )["FunctionArn"]
    pattern = {"source": ["ecommerce.fulfillment"], "detail-type": ["OrderShipped"]}
    events.put_rule(Name="AwardLoyalty", EventBusName="ecommerce-events", EventPattern=json.dumps(pattern))
    events.put_targets(
        Rule="AwardLoyalty", EventBusName="ecommerce-events", Targets=[{"Id": "loyalty", "Arn": function_arn}]
    )
    try:
        published = served.client("lambda").invoke(FunctionName="OrderPublisher", Payload=b'{"amount": 75.0}')
        order_id = json.loads(published["Payload"].read())["order"]["orderId"]

        def awarded() -> bool:
            messages = sqs.receive_message(QueueUrl=awards, WaitTimeSeconds=1).get("Messages", [])
            return any(json.loads(m["Body"])["orderId"] == order_id for m in messages)

        assert eventually(awarded, timeout=60, message="LoyaltyPointsService never awarded the order's points")
        shown = events.list_targets_by_rule(Rule="AwardLoyalty", EventBusName="ecommerce-events")["Targets"]
        assert shown == [{"Id": "loyalty", "Arn": function_arn}]
    finally:
        events.remove_targets(Rule="AwardLoyalty", EventBusName="ecommerce-events", Ids=["loyalty"])
        events.delete_rule(Name="AwardLoyalty", EventBusName="ecommerce-events")
        lam.delete_function(FunctionName="LoyaltyPointsService")
        sqs.delete_queue(QueueUrl=awards)


def test_a_poison_reading_is_set_aside_and_the_readings_behind_it_arrive(served):
    """Pattern 7 with one unreadable record in the stream: it goes to the dead-letter queue with its reason,
    and the good readings put after it still reach SensorMetrics (the processor never blocks on it)."""
    kinesis, sqs, dynamodb = served.client("kinesis"), served.client("sqs"), served.client("dynamodb")
    kinesis.put_record(StreamName="SensorStream", Data=b"\xff not json", PartitionKey="sensor-77")
    for n in range(3):
        reading = {"sensorId": "sensor-77", "temperature": 50 + n, "humidity": 40}
        kinesis.put_record(StreamName="SensorStream", Data=json.dumps(reading), PartitionKey="sensor-77")

    def rows() -> list[dict] | None:
        items = dynamodb.scan(TableName="SensorMetrics")["Items"]
        found = [i for i in items if i["sensorId"]["S"] == "sensor-77"]
        return found if len(found) == 3 else None

    assert eventually(rows, timeout=60, message="the readings behind the poison record never arrived")
    queue = sqs.get_queue_url(QueueName="SensorReadingsDeadLetter")["QueueUrl"]
    messages = eventually(
        lambda: sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1, MessageAttributeNames=["All"]).get("Messages"),
        timeout=30,
        message="the unreadable record never reached the dead-letter queue",
    )
    assert len(messages) == 1
    set_aside = json.loads(messages[0]["Body"])
    assert set_aside["partitionKey"] == "sensor-77"
    assert set_aside["reason"]
