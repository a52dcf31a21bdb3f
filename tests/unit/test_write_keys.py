"""The streams, tables and queues a write concerns, read from the call's parameters.

Parameter names as in each operation's API reference:
https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html (StreamName, StreamARN),
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html (RequestItems),
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html (TransactItems),
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html (QueueUrl),
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html (PartiQL's INSERT, UPDATE
and DELETE statements name their table; SELECT writes nothing).
"""

from __future__ import annotations

import pytest

from harness.write_keys import (
    ANY_QUEUE,
    NO_TABLE,
    WRITE_OPERATIONS,
    dynamodb_key,
    kinesis_key,
    sqs_key,
    write_keys,
)

QUEUE_URL = "http://127.0.0.1:5000/123456789012/Orders"
STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/Readings"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Accounts"


@pytest.mark.parametrize(
    ("service", "operation", "params", "keys"),
    [
        (
            "kinesis",
            "PutRecord",
            {"StreamName": "Readings", "Data": b"x", "PartitionKey": "p"},
            [("kinesis", "Readings")],
        ),
        (
            "kinesis",
            "PutRecord",
            {"StreamARN": STREAM_ARN, "Data": b"x", "PartitionKey": "p"},
            [("kinesis", "Readings")],
        ),
        ("kinesis", "PutRecords", {"StreamName": "Readings", "Records": []}, [("kinesis", "Readings")]),
        ("kinesis", "PutRecords", {"StreamARN": STREAM_ARN, "Records": []}, [("kinesis", "Readings")]),
        ("dynamodb", "PutItem", {"TableName": "Accounts", "Item": {}}, [("dynamodb", "Accounts")]),
        ("dynamodb", "PutItem", {"TableName": TABLE_ARN, "Item": {}}, [("dynamodb", "Accounts")]),
        ("dynamodb", "UpdateItem", {"TableName": "Accounts", "Key": {}}, [("dynamodb", "Accounts")]),
        ("dynamodb", "DeleteItem", {"TableName": "Accounts", "Key": {}}, [("dynamodb", "Accounts")]),
        (
            "dynamodb",
            "BatchWriteItem",
            {"RequestItems": {"Accounts": [], "Ledger": []}},
            [("dynamodb", "Accounts"), ("dynamodb", "Ledger")],
        ),
        (
            "dynamodb",
            "TransactWriteItems",
            {
                "TransactItems": [
                    {"Put": {"TableName": "Accounts", "Item": {}}},
                    {"Update": {"TableName": "Ledger", "Key": {}}},
                    {"Delete": {"TableName": "Accounts", "Key": {}}},
                    {"ConditionCheck": {"TableName": "Limits", "Key": {}}},  # writes nothing
                ]
            },
            [("dynamodb", "Accounts"), ("dynamodb", "Ledger")],
        ),
        (
            "dynamodb",
            "ExecuteStatement",
            {"Statement": "INSERT INTO \"Accounts\" VALUE {'id': ?}", "Parameters": [{"S": "1"}]},
            [("dynamodb", "Accounts")],
        ),
        (
            "dynamodb",
            "ExecuteStatement",
            {"Statement": "update Ledger SET n = 1 WHERE id = 'a'"},
            [("dynamodb", "Ledger")],
        ),
        (
            "dynamodb",
            "ExecuteStatement",
            {"Statement": '  DELETE  FROM "my-table.v2" WHERE id = 1'},
            [("dynamodb", "my-table.v2")],
        ),
        ("dynamodb", "ExecuteStatement", {"Statement": 'SELECT * FROM "Accounts" WHERE id = 1'}, [NO_TABLE]),
        (
            "dynamodb",
            "BatchExecuteStatement",
            {
                "Statements": [
                    {"Statement": "INSERT INTO Accounts VALUE {'id': 1}"},
                    {"Statement": "UPDATE Ledger SET a=1"},
                ]
            },
            [("dynamodb", "Accounts"), ("dynamodb", "Ledger")],
        ),
        (
            "dynamodb",
            "ExecuteTransaction",
            {"TransactStatements": [{"Statement": 'DELETE FROM "Accounts" WHERE id = 1'}, {"Statement": "SELECT 1"}]},
            [("dynamodb", "Accounts")],
        ),
        ("sqs", "SendMessage", {"QueueUrl": QUEUE_URL, "MessageBody": "m"}, [("sqs", "Orders")]),
        ("sqs", "SendMessageBatch", {"QueueUrl": QUEUE_URL, "Entries": []}, [("sqs", "Orders")]),
        ("sqs", "ChangeMessageVisibility", {"QueueUrl": QUEUE_URL, "ReceiptHandle": "r"}, [("sqs", "Orders")]),
        ("sqs", "ChangeMessageVisibilityBatch", {"QueueUrl": QUEUE_URL, "Entries": []}, [("sqs", "Orders")]),
        ("events", "PutEvents", {"Entries": []}, [ANY_QUEUE]),
        ("sns", "Publish", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:T", "Message": "m"}, [ANY_QUEUE]),
        ("sns", "PublishBatch", {"TopicArn": "arn:aws:sns:us-east-1:123456789012:T"}, [ANY_QUEUE]),
        ("s3", "PutObject", {"Bucket": "b", "Key": "k"}, [ANY_QUEUE]),
        ("s3", "CopyObject", {"Bucket": "b", "Key": "k", "CopySource": "a/k"}, [ANY_QUEUE]),
        ("s3", "DeleteObject", {"Bucket": "b", "Key": "k"}, [ANY_QUEUE]),
        ("s3", "DeleteObjects", {"Bucket": "b", "Delete": {"Objects": []}}, [ANY_QUEUE]),
        ("s3", "CompleteMultipartUpload", {"Bucket": "b", "Key": "k", "UploadId": "u"}, [ANY_QUEUE]),
    ],
)
def test_a_write_concerns_what_it_names(service, operation, params, keys):
    assert list(write_keys(service, operation, params)) == keys


def test_reads_and_other_services_writes_are_no_writes_it_knows():
    assert write_keys("kinesis", "GetRecords", {"ShardIterator": "i"}) is None
    assert write_keys("sqs", "ReceiveMessage", {"QueueUrl": QUEUE_URL}) is None
    # Firehose has a PutRecord of its own; it concerns no stream a mapping reads.
    assert write_keys("firehose", "PutRecord", {"DeliveryStreamName": "d", "Record": {}}) is None


def test_every_write_operation_is_one_whose_keys_it_derives():
    assert {"PutRecord", "BatchWriteItem", "SendMessage", "PutEvents", "PutObject"} <= WRITE_OPERATIONS


def test_keys_from_names_and_arns_agree():
    assert kinesis_key("Readings") == kinesis_key(STREAM_ARN) == ("kinesis", "Readings")
    stream_arn = f"{TABLE_ARN}/stream/2026-01-01T00:00:00.000"
    assert dynamodb_key("Accounts") == dynamodb_key(TABLE_ARN) == dynamodb_key(stream_arn) == ("dynamodb", "Accounts")
    queue_arn = "arn:aws:sqs:us-east-1:123456789012:Orders"
    assert sqs_key("Orders") == sqs_key(QUEUE_URL) == sqs_key(queue_arn) == ("sqs", "Orders")
