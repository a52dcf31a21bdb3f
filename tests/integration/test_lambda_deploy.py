"""Functions deployed through the Lambda API from zips built in the test, wired to sources of the test's own.

Lambda's documented behaviour: https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html,
https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html,
https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from tests.zip_code import ROLE, package, zip_bytes

RECORDER = """
import base64
import json
import os

import boto3

TABLE = os.environ.get("TABLE_NAME", "Seen")
table = boto3.resource("dynamodb").Table(TABLE)


def lambda_handler(event, context):
    for record in event["Records"]:
        if "body" in record:
            body = record["body"]
        else:
            body = base64.b64decode(record["kinesis"]["data"]).decode()
        table.put_item(Item={"id": body, "source": record["eventSource"]})
    print(f"recorded {len(event['Records'])}")
    return {"recorded": len(event["Records"])}
"""


@pytest.fixture
def lam(harness):
    return harness.client("lambda")


@pytest.fixture
def seen_table(harness):
    client = harness.client("dynamodb")
    name = "Seen"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    client.delete_table(TableName=name)


def seen(harness, table: str) -> set[str]:
    return {item["id"]["S"] for item in harness.client("dynamodb").scan(TableName=table)["Items"]}


def create(lam, name: str, code: bytes, **extra):
    return lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=ROLE.replace("123456789012", "000000000000"),
        Handler="lambda_function.lambda_handler",
        Code={"ZipFile": code},
        **extra,
    )


def payload(answer) -> object:
    return json.loads(answer["Payload"].read())


def test_zip_function_lifecycle_create_invoke_update_version_alias_delete(harness, lam):
    create(lam, "Greeter", package("v1"), Environment={"Variables": {"GREETING": "hello"}})
    first = lam.invoke(FunctionName="Greeter", Payload=b"{}")
    assert payload(first) == {"utils": "v1", "version": "$LATEST", "greeting": "hello"}
    assert harness.logs("Greeter").contains("cold start of Greeter")

    assert lam.publish_version(FunctionName="Greeter")["Version"] == "1"
    lam.create_alias(FunctionName="Greeter", Name="live", FunctionVersion="1")
    lam.update_function_code(FunctionName="Greeter", ZipFile=package("v2"))
    assert payload(lam.invoke(FunctionName="Greeter"))["utils"] == "v2"
    live = lam.invoke(FunctionName="Greeter", Qualifier="live")
    assert live["ExecutedVersion"] == "1" and payload(live)["utils"] == "v1"
    # through the harness too: a qualified name reaches the version
    assert harness.invoke("Greeter:live").value()["utils"] == "v1"

    lam.update_function_configuration(FunctionName="Greeter", Environment={"Variables": {"GREETING": "bye"}})
    assert payload(lam.invoke(FunctionName="Greeter"))["greeting"] == "bye"

    lam.delete_function(FunctionName="Greeter")
    with pytest.raises(ClientError) as gone:
        lam.get_function(FunctionName="Greeter")
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_code_from_an_s3_object(harness, lam):
    s3 = harness.client("s3")
    s3.create_bucket(Bucket="deploy-artifacts")
    s3.put_object(Bucket="deploy-artifacts", Key="greeter.zip", Body=package("from-s3"))
    try:
        created = lam.create_function(
            FunctionName="FromS3",
            Runtime="python3.13",
            Role=ROLE,
            Handler="lambda_function.lambda_handler",
            Code={"S3Bucket": "deploy-artifacts", "S3Key": "greeter.zip"},
        )
        assert created["CodeSize"] == len(package("from-s3"))
        assert payload(lam.invoke(FunctionName="FromS3"))["utils"] == "from-s3"
        with pytest.raises(ClientError) as missing:
            lam.update_function_code(FunctionName="FromS3", S3Bucket="deploy-artifacts", S3Key="nope.zip")
        assert missing.value.response["Error"]["Code"] == "InvalidParameterValueException"
        assert "NoSuchKey" in missing.value.response["Error"]["Message"]
    finally:
        s3.delete_object(Bucket="deploy-artifacts", Key="greeter.zip")
        s3.delete_bucket(Bucket="deploy-artifacts")


def test_two_zip_functions_each_import_their_own_utils(lam):
    create(lam, "Left", package("left"))
    create(lam, "Right", package("right"))
    assert payload(lam.invoke(FunctionName="Left"))["utils"] == "left"
    assert payload(lam.invoke(FunctionName="Right"))["utils"] == "right"


def test_sqs_mapping_created_through_the_api_delivers(harness, lam, seen_table):
    sqs = harness.client("sqs")
    url = sqs.create_queue(QueueName="orders-in")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    create(
        lam,
        "Recorder",
        zip_bytes({"lambda_function.py": RECORDER}),
        Environment={"Variables": {"TABLE_NAME": seen_table}},
    )
    try:
        created = lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="Recorder", BatchSize=5)
        assert created["State"] == "Creating" and created["BatchSize"] == 5
        assert created["FunctionArn"].endswith(":function:Recorder")
        for n in range(7):
            sqs.send_message(QueueUrl=url, MessageBody=f"order-{n}")
        harness.drain()
        assert seen(harness, seen_table) == {f"order-{n}" for n in range(7)}
        described = lam.get_event_source_mapping(UUID=created["UUID"])
        assert described["State"] == "Enabled" and described["LastProcessingResult"] == "OK"
        listed = lam.list_event_source_mappings(FunctionName="Recorder")["EventSourceMappings"]
        assert [m["UUID"] for m in listed] == [created["UUID"]]

        disabled = lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)
        assert disabled["State"] == "Disabling"
        sqs.send_message(QueueUrl=url, MessageBody="while-disabled")
        harness.drain()
        assert "while-disabled" not in seen(harness, seen_table)
        lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True, BatchSize=2)
        harness.drain()
        assert "while-disabled" in seen(harness, seen_table)
        assert lam.get_event_source_mapping(UUID=created["UUID"])["BatchSize"] == 2

        assert lam.delete_event_source_mapping(UUID=created["UUID"])["State"] == "Deleting"
        with pytest.raises(ClientError) as gone:
            lam.get_event_source_mapping(UUID=created["UUID"])
        assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_kinesis_mapping_created_through_the_api_delivers(harness, lam, seen_table):
    kinesis = harness.client("kinesis")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    create(
        lam,
        "Recorder",
        zip_bytes({"lambda_function.py": RECORDER}),
        Environment={"Variables": {"TABLE_NAME": seen_table}},
    )
    try:
        with pytest.raises(ClientError) as no_position:
            lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="Recorder")
        assert no_position.value.response["Error"]["Code"] == "InvalidParameterValueException"
        created = lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName="Recorder", StartingPosition="TRIM_HORIZON", BatchSize=10
        )
        assert created["StartingPosition"] == "TRIM_HORIZON" and created["EventSourceArn"] == arn
        for n in range(5):
            kinesis.put_record(StreamName="clicks", Data=f"click-{n}".encode(), PartitionKey="p")
        harness.drain()
        assert seen(harness, seen_table) == {f"click-{n}" for n in range(5)}
        assert harness.logs("Recorder").contains("recorded")
    finally:
        kinesis.delete_stream(StreamName="clicks")


def test_mapping_to_a_missing_function_or_unknown_source_is_refused(harness, lam):
    with pytest.raises(ClientError) as no_function:
        lam.create_event_source_mapping(
            EventSourceArn=f"arn:aws:sqs:{harness.account.region}:{harness.account.account_id}:q", FunctionName="Nope"
        )
    assert no_function.value.response["Error"]["Code"] == "ResourceNotFoundException"
    create(lam, "Any", package("x"))
    with pytest.raises(ClientError) as bad_source:
        lam.create_event_source_mapping(EventSourceArn="arn:aws:s3:::bucket", FunctionName="Any")
    assert bad_source.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_a_timeout_stops_the_worker_and_the_next_call_starts_cold(harness, lam):
    sleeper = """
import time

def lambda_handler(event, context):
    print("going to sleep")
    time.sleep(event.get("sleep", 0))
    return "awake"
"""
    create(lam, "Sleeper", zip_bytes({"lambda_function.py": sleeper}), Timeout=1)
    timed_out = lam.invoke(FunctionName="Sleeper", Payload=json.dumps({"sleep": 30}).encode())
    assert timed_out["FunctionError"] == "Unhandled"
    assert payload(timed_out)["errorType"] == "Sandbox.Timedout"
    runtime = harness.functions.get("Sleeper")
    assert runtime.instances == 0  # the worker was killed
    assert payload(lam.invoke(FunctionName="Sleeper")) == "awake"
    assert runtime.cold_starts == 2
    assert harness.logs("Sleeper").contains("Task timed out after 1.00 seconds")


def test_a_declared_function_can_run_in_the_process_runtime(harness):
    harness.register(FunctionSpec("Env", "tests.handlers.probes.env_probe", environment={"GREETING": "hi"}))
    harness.register(FunctionSpec("Caller", "tests.handlers.probes.call_other", runtime_mode="process"))
    event = {"target": "Env", "payload": {"keys": ["GREETING"]}}
    # the worker reaches the harness's Lambda API through its own process environment
    assert harness.invoke("Caller", event).value() == {"status": 200, "payload": {"GREETING": "hi"}}
    harness.invoke_async("Caller", event)
    harness.drain()
    assert len(harness.logs("Caller").invocations) == 2
    assert harness.functions.get("Caller").cold_starts == 1
