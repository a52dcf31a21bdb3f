"""The timeline: happenings with ids and causes, the cause carried across threads, writes found again by key."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from harness import timeline
from harness.clock import VirtualClock
from harness.timeline import Timeline

ACCOUNT = "111122223333"
FUNCTION_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:Consumer"


def attached(limit: int = 100) -> Timeline:
    return Timeline(ACCOUNT, VirtualClock(), limit=limit).attach()


def model(name: str, service: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, service_model=SimpleNamespace(service_name=service))


def write(name: str, service: str, params: dict, parsed: dict) -> None:
    """What botocore's hooks see for one call."""
    context: dict = {}
    timeline.remember_params(params=params, context=context)
    timeline.after_call(model=model(name, service), parsed=parsed, context=context)


def test_a_happening_started_while_working_for_another_is_caused_by_it():
    line = attached()
    try:
        root = line.record("invocation", "Producer")
        with timeline.working_for(line, root):
            child = line.record("write", "kinesis PutRecord SensorStream")
        outside = line.record("invocation", "Other")

        assert (child.cause, outside.cause) == (root.id, None)
        assert [e["id"] for e in line.entries()] == [root.id, child.id, outside.id]
    finally:
        line.detach()


def test_the_cause_travels_to_another_thread_with_carry():
    line = attached()
    try:
        root = line.record("execution", "OrderPipeline: run-1")
        seen = []
        worker = threading.Thread(target=timeline.carry(lambda: seen.append(line.record("invocation", "Task")), root))
        worker.start()
        worker.join()

        assert seen[0].cause == root.id
    finally:
        line.detach()


def test_a_kinesis_batch_is_caused_by_the_write_that_put_its_records():
    line = attached()
    try:
        producer = line.record("invocation", "Producer")
        with timeline.working_for(line, producer):
            write("PutRecord", "kinesis", {"StreamName": "SensorStream"}, {"SequenceNumber": "495", "ShardId": "s-0"})
        event = {
            "Records": [
                {
                    "eventSource": "aws:kinesis",
                    "eventSourceARN": f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/SensorStream",
                    "kinesis": {"sequenceNumber": "495"},
                }
            ]
        }

        invocation = timeline.invocation_started(FUNCTION_ARN, "Consumer", event, "req-1")
        timeline.invocation_finished(invocation, None, ["Processed 1 record"], 12.5)

        entries = {e["id"]: e for e in line.entries()}
        batch = entries[invocation.cause]
        put = entries[batch["cause"]]
        assert batch["title"] == "SensorStream → Consumer (1 record)"
        assert (put["title"], put["cause"]) == ("kinesis PutRecord SensorStream", producer.id)
        assert entries[invocation.id]["logs"] == ["Processed 1 record"]
        assert entries[invocation.id]["status"] == "ok"
    finally:
        line.detach()


def test_a_table_stream_record_finds_the_write_of_its_key():
    line = attached()
    try:
        command = line.record("invocation", "AccountCommand")
        item = {"aggregateId": {"S": "A-1"}, "version": {"N": "2"}, "amount": {"N": "5"}}
        with timeline.working_for(line, command):
            write("PutItem", "dynamodb", {"TableName": "EventStore", "Item": item}, {})
        stream = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/EventStore/stream/2026-01-01T00:00:00.000"
        record = {
            "eventSource": "aws:dynamodb",
            "eventSourceARN": stream,
            "dynamodb": {"Keys": {"aggregateId": {"S": "A-1"}, "version": {"N": "2"}}},
        }

        invocation = timeline.invocation_started(FUNCTION_ARN, "Projection", {"Records": [record]}, "req-2")

        batch = line.get(invocation.cause)
        assert batch.title == "EventStore → Projection (1 record)"
        assert line.get(batch.cause).title == "dynamodb PutItem EventStore"
    finally:
        line.detach()


def test_a_rule_delivery_is_caused_by_the_put_events_entry_and_causes_the_target():
    line = attached()
    try:
        publisher = line.record("invocation", "OrderPublisher")
        with timeline.working_for(line, publisher):
            write(
                "PutEvents",
                "events",
                {"Entries": [{"DetailType": "OrderPlaced"}]},
                {"Entries": [{"EventId": "ev-1"}], "FailedEntryCount": 0},
            )
        with timeline.delivering(ACCOUNT, "rule", "PayOnOrder → PaymentService", cause_key=("events", "ev-1")) as rule:
            invocation = timeline.invocation_started(FUNCTION_ARN, "PaymentService", {"orderId": "1"}, "req-3")

        assert line.get(rule.cause).title == "events PutEvents OrderPlaced"
        assert invocation.cause == rule.id
    finally:
        line.detach()


def test_the_oldest_happenings_go_first_past_the_limit():
    line = attached(limit=3)
    try:
        for n in range(5):
            line.record("invocation", f"call {n}")

        assert [e["title"] for e in line.entries()] == ["call 2", "call 3", "call 4"]
        assert [e["title"] for e in line.entries(limit=1)] == ["call 4"]
    finally:
        line.detach()


def test_nothing_is_recorded_for_an_account_without_a_timeline_and_odd_input_never_raises():
    assert timeline.invocation_started(FUNCTION_ARN, "Consumer", {"Records": [{}]}, "req") is None
    line = attached()
    try:
        invocation = timeline.invocation_started(FUNCTION_ARN, "Consumer", {"Records": [{"eventSource": 7}]}, "r")
        with timeline.working_for(line, invocation):
            timeline.after_call(model=model("PutRecords", "kinesis"), parsed="not a dict", context=None)
        assert [e["kind"] for e in line.entries()] == ["invocation", "write"]
    finally:
        line.detach()


def test_carry_takes_only_the_cause_along():
    import contextvars

    other = contextvars.ContextVar("other", default="unset")
    line = attached()
    try:
        root = line.record("invocation", "Caller")
        other.set("the caller's")
        seen = []
        with timeline.working_for(line, root):
            carried = timeline.carry(lambda: seen.append((other.get(), timeline.current_cause(line))))
        worker = threading.Thread(target=carried)
        worker.start()
        worker.join()

        assert seen == [("unset", root.id)]
    finally:
        line.detach()


def test_a_model_call_shows_in_the_flow_of_the_function_that_made_it():
    line = attached()
    try:
        query = line.record("invocation", "RAGQuery")
        with timeline.working_for(line, query):
            write("InvokeModel", "bedrock-runtime", {"modelId": "amazon.titan-embed-text-v2:0"}, {"body": b"{}"})
            write("GetItem", "dynamodb", {"TableName": "KnowledgeBase"}, {})  # a read: not shown

        assert [(e["kind"], e["title"], e["cause"]) for e in line.entries()][1:] == [
            ("call", "bedrock-runtime InvokeModel amazon.titan-embed-text-v2:0", query.id)
        ]
    finally:
        line.detach()
