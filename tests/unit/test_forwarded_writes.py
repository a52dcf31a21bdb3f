"""Writes the gateway forwards for callers outside the harness wake the pollers they concern.

Wire formats: X-Amz-Target JSON requests (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html,
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html)
and SQS's query protocol (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-xml.html).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from werkzeug.test import EnvironBuilder

from harness import activity
from harness.backends import in_process
from harness.served import forwarded_writes
from harness.served.gateway import Gateway
from harness.write_keys import ANY_QUEUE, dynamodb_key, kinesis_key, sqs_key

QUEUE_URL = "http://127.0.0.1:4566/123456789012/Orders"
BACKEND_URL = "http://forwarded-writes-backend:4566"


def authorization(service: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0"
    )


def json_request(service: str, target: str, params: dict, **headers: str) -> dict:
    return EnvironBuilder(
        path="/",
        method="POST",
        headers={"X-Amz-Target": target, "Authorization": authorization(service), **headers},
        content_type="application/x-amz-json-1.1",
        data=json.dumps(params).encode(),
    ).get_environ()


def query_request(params: dict) -> dict:
    return EnvironBuilder(
        path="/",
        method="POST",
        headers={"Authorization": authorization("sqs")},
        content_type="application/x-www-form-urlencoded; charset=utf-8",
        data=urlencode(params).encode(),
    ).get_environ()


@pytest.fixture
def listeners() -> Iterator[dict[str, activity.Listener]]:
    """A listener per kind of poller, armed."""
    opened = {
        "stream A": activity.Listener((kinesis_key("StreamA"),)),
        "stream B": activity.Listener((kinesis_key("StreamB"),)),
        "table": activity.Listener((dynamodb_key("Accounts"),)),
        "queue": activity.Listener((sqs_key("Orders"), ANY_QUEUE)),
    }
    for listener in opened.values():
        listener.open().arm()
    yield opened
    for listener in opened.values():
        listener.close()


def forward(environ: dict, status: str = "200 OK") -> bytes | None:
    """Run `watch` as the forwarder does and answer with `status`; the body it hands on."""
    body, start_response = forwarded_writes.watch(environ, None, lambda *args: None)
    start_response(status, [])
    return body


def signalled(listeners: dict[str, activity.Listener]) -> set[str]:
    return {name for name, listener in listeners.items() if listener.signalled}


def test_a_forwarded_kinesis_put_record_wakes_the_streams_pollers_once_the_backend_accepted_it(listeners):
    params = {"StreamName": "StreamA", "Data": "e30=", "PartitionKey": "p"}
    environ = json_request("kinesis", "Kinesis_20131202.PutRecord", params)
    body, start_response = forwarded_writes.watch(environ, None, lambda *args: None)
    assert json.loads(body) == params  # read once, handed on to the backend
    assert signalled(listeners) == set()
    start_response("200 OK", [])
    assert signalled(listeners) == {"stream A"}


def test_a_write_the_backend_refused_wakes_nobody(listeners):
    forward(json_request("kinesis", "Kinesis_20131202.PutRecord", {"StreamName": "StreamA"}), "400 Bad Request")
    assert signalled(listeners) == set()


def test_dynamodb_writes_wake_the_tables_pollers(listeners):
    params = {"RequestItems": {"Accounts": [{"PutRequest": {"Item": {"id": {"S": "1"}}}}]}}
    forward(json_request("dynamodb", "DynamoDB_20120810.BatchWriteItem", params))
    assert signalled(listeners) == {"table"}


def test_sqs_json_protocol_send_message_wakes_the_queues_pollers(listeners):
    forward(json_request("sqs", "AmazonSQS.SendMessage", {"QueueUrl": QUEUE_URL, "MessageBody": "m"}))
    assert signalled(listeners) == {"queue"}


def test_sqs_query_protocol_send_message_wakes_the_queues_pollers(listeners):
    forward(
        query_request({"Action": "SendMessage", "QueueUrl": QUEUE_URL, "MessageBody": "m", "Version": "2012-11-05"})
    )
    assert signalled(listeners) == {"queue"}


def test_eventbridge_put_events_wakes_queue_consumers_only(listeners, monkeypatch):
    monkeypatch.setattr(activity, "_exact_queue_signals", False)  # a backend that does not signal its deliveries
    forward(json_request("events", "AWSEvents.PutEvents", {"Entries": [{"Source": "s"}]}))
    assert signalled(listeners) == {"queue"}


def test_where_the_backend_signals_its_deliveries_put_events_wakes_nobody_itself(listeners, monkeypatch):
    monkeypatch.setattr(activity, "_exact_queue_signals", True)
    forward(json_request("events", "AWSEvents.PutEvents", {"Entries": [{"Source": "s"}]}))
    assert signalled(listeners) == set()


def test_a_harness_sessions_request_is_left_to_the_session_to_signal(listeners):
    environ = json_request(
        "kinesis", "Kinesis_20131202.PutRecord", {"StreamName": "StreamA"}, **{activity.SIGNALS_HEADER: "1"}
    )
    forward(environ)
    assert signalled(listeners) == set()


def test_a_read_is_passed_on_untouched(listeners):
    environ = json_request("kinesis", "Kinesis_20131202.GetRecords", {"ShardIterator": "i"})
    start_response = object()
    assert forwarded_writes.watch(environ, None, start_response) == (None, start_response)  # body still unread


def test_an_unreadable_body_wakes_nobody(listeners):
    environ = json_request("kinesis", "Kinesis_20131202.PutRecord", {})
    environ["wsgi.input"].seek(0)
    environ["wsgi.input"].write(b"\xbf\xff")  # not JSON (CBOR, say): left to the idle wait
    environ["wsgi.input"].seek(0)
    environ["CONTENT_LENGTH"] = "2"
    forward(environ)
    assert signalled(listeners) == set()


def test_the_gateway_signals_a_write_it_forwards(listeners):
    received: list[bytes] = []

    def backend(environ, start_response):
        received.append(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1")])
        return [b'{"ShardId": "shardId-000000000000", "SequenceNumber": "1"}']

    in_process.register(BACKEND_URL, backend)
    gateway = Gateway(BACKEND_URL)
    try:
        params = {"StreamName": "StreamA", "Data": "e30=", "PartitionKey": "p"}
        statuses: list[str] = []
        answer = gateway.wsgi(
            json_request("kinesis", "Kinesis_20131202.PutRecord", params), lambda s, h, *e: statuses.append(s)
        )
        assert json.loads(b"".join(answer))["SequenceNumber"] == "1"
    finally:
        in_process.unregister(BACKEND_URL)
        gateway.close()
    assert statuses == ["200 OK"]
    assert [json.loads(body) for body in received] == [params]
    assert signalled(listeners) == {"stream A"}
