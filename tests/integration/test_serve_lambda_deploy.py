"""A function deployed from a zip into `python -m harness serve` with plain boto3 clients that know only its URL,
then wired to a queue with create_event_source_mapping, as a deployment script or the AWS CLI would do it.
"""

from __future__ import annotations

import json

from harness.waiting import eventually
from tests.integration.test_serve_endpoint import served  # noqa: F401  (the module's own serve process)
from tests.zip_code import zip_bytes

ROLE = "arn:aws:iam::123456789012:role/service-role/orders-role"
HANDLER = """
import json
import os

import boto3
from helpers import key_of

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def lambda_handler(event, context):
    for record in event["Records"]:
        table.put_item(Item={"id": key_of(json.loads(record["body"])), "fn": context.function_name})
    return {"stored": len(event["Records"])}
"""


def test_zip_function_created_and_mapped_to_a_queue_through_serve(served):  # noqa: F811
    lam, sqs, dynamodb = served.client("lambda"), served.client("sqs"), served.client("dynamodb")
    dynamodb.create_table(
        TableName="deployed-orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    url = sqs.create_queue(QueueName="deployed-orders-in")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    code = zip_bytes({"app/main.py": HANDLER, "helpers.py": "def key_of(order):\n    return order['id']\n"})
    try:
        lam.create_function(
            FunctionName="StoreOrder",
            Runtime="python3.12",
            Role=ROLE,
            Handler="app/main.lambda_handler",
            Code={"ZipFile": code},
            Environment={"Variables": {"TABLE_NAME": "deployed-orders"}},
        )
        lam.get_waiter("function_active_v2").wait(FunctionName="StoreOrder", WaiterConfig={"Delay": 1})
        mapping = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName="StoreOrder", BatchSize=10)
        for n in range(3):
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"id": f"order-{n}"}))

        def stored() -> set[str]:
            return {item["id"]["S"] for item in dynamodb.scan(TableName="deployed-orders")["Items"]}

        assert eventually(lambda: stored() == {"order-0", "order-1", "order-2"}, timeout=60)
        assert eventually(lambda: lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == "OK")
        direct = lam.invoke(FunctionName="StoreOrder", Payload=json.dumps({"Records": []}).encode())
        assert json.loads(direct["Payload"].read()) == {"stored": 0}
        lam.delete_event_source_mapping(UUID=mapping["UUID"])
    finally:
        lam.delete_function(FunctionName="StoreOrder")
        sqs.delete_queue(QueueUrl=url)
        dynamodb.delete_table(TableName="deployed-orders")
