"""Pollers wake for writes to what they read: a write to one stream leaves the poller of another asleep."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from botocore.stub import Stubber

from harness import activity, polling
from harness.backends.base import new_boto3_session
from harness.polling import BackgroundPoller
from harness.write_keys import ANY_QUEUE, Key, dynamodb_key, kinesis_key, sqs_key

STREAM_A, STREAM_B = kinesis_key("StreamA"), kinesis_key("StreamB")
QUEUE = sqs_key("Orders")
QUEUE_URL = "http://127.0.0.1:9/123456789012/Orders"


@pytest.fixture
def listeners() -> Iterator[list[activity.Listener]]:
    """Listeners opened by the test, closed afterwards."""
    opened: list[activity.Listener] = []
    yield opened
    for listener in opened:
        listener.close()


def listen(opened: list[activity.Listener], keys: tuple[Key, ...] | None) -> activity.Listener:
    listener = activity.Listener(keys).open()
    listener.arm()
    opened.append(listener)
    return listener


# -- listeners -----------------------------------------------------------------------------------
def test_a_write_signals_the_listeners_of_what_it_wrote_and_no_other(listeners):
    a, b, queue = listen(listeners, (STREAM_A,)), listen(listeners, (STREAM_B,)), listen(listeners, (QUEUE, ANY_QUEUE))
    activity.notify(STREAM_A)
    assert a.signalled
    assert not b.signalled
    assert not queue.signalled


def test_a_delivery_to_any_queue_signals_queue_consumers_and_no_stream_poller(listeners, monkeypatch):
    monkeypatch.setattr(activity, "_exact_queue_signals", False)  # a backend that does not signal its deliveries
    stream, queue, other_queue = (
        listen(listeners, (STREAM_A,)),
        listen(listeners, (QUEUE, ANY_QUEUE)),
        listen(listeners, (sqs_key("Other"), ANY_QUEUE)),
    )
    activity.notify(ANY_QUEUE)
    assert queue.signalled and other_queue.signalled
    assert not stream.signalled


def test_where_the_backend_signals_its_queue_deliveries_any_queue_wakes_nobody(listeners, monkeypatch):
    monkeypatch.setattr(activity, "_exact_queue_signals", False)
    activity.queue_deliveries_signalled(True)
    queue, stream = listen(listeners, (QUEUE, ANY_QUEUE)), listen(listeners, (STREAM_A,))
    activity.notify(ANY_QUEUE)
    assert not queue.signalled and not stream.signalled
    activity.notify(ANY_QUEUE, STREAM_A)
    assert stream.signalled and not queue.signalled


def test_the_embedded_backend_signals_each_delivery_moto_makes_to_a_queue(listeners):
    from moto.sqs.models import sqs_backends

    from harness.backends import moto_fixes

    moto_fixes.internal_queue_deliveries_can_be_skipped()
    sqs = sqs_backends["123456789012"]["us-east-1"]
    sqs.create_queue("signalled-delivery")
    try:
        queue = listen(listeners, (sqs_key("signalled-delivery"), ANY_QUEUE))
        other = listen(listeners, (sqs_key("another-queue"), ANY_QUEUE))
        sqs.send_message("signalled-delivery", "from an EventBridge rule")
        assert queue.signalled and not other.signalled
    finally:
        sqs.delete_queue("signalled-delivery")


def test_notify_without_keys_signals_everyone(listeners):
    everyone = [listen(listeners, (STREAM_A,)), listen(listeners, (QUEUE, ANY_QUEUE)), listen(listeners, None)]
    activity.notify()
    assert all(listener.signalled for listener in everyone)


def test_a_listener_that_names_nothing_hears_every_write(listeners):
    anything = listen(listeners, None)
    activity.notify(STREAM_B)
    assert anything.signalled


def test_wake_signals_one_listener_alone(listeners):
    a, b = listen(listeners, (STREAM_A,)), listen(listeners, (STREAM_A,))
    a.wake()
    assert a.signalled and not b.signalled


def test_arm_forgets_earlier_signals_and_wait_returns_at_once_after_a_signal(listeners):
    a = listen(listeners, (STREAM_A,))
    activity.notify(STREAM_A)
    a.arm()
    assert not a.signalled
    activity.notify(STREAM_A)
    assert a.wait(timeout=5.0)


def test_a_closed_listener_is_no_longer_signalled(listeners):
    a = listen(listeners, (STREAM_A,))
    a.close()
    activity.notify(STREAM_A)
    activity.notify()
    assert not a.signalled


def test_with_keyed_waking_off_every_write_signals_everyone(listeners):
    a, b = listen(listeners, (STREAM_A,)), listen(listeners, (STREAM_B,))
    activity.keyed_waking(False)
    try:
        activity.notify(STREAM_A)
    finally:
        activity.keyed_waking(True)
    assert a.signalled and b.signalled


# -- the botocore hooks on a harness session ---------------------------------------------------------
def stubbed(service: str) -> tuple[object, Stubber]:
    session = new_boto3_session(region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
    client = session.client(service, endpoint_url="http://127.0.0.1:9")
    return client, Stubber(client)


def test_a_harness_session_write_signals_the_stream_it_wrote_to(listeners):
    a, b = listen(listeners, (STREAM_A,)), listen(listeners, (STREAM_B,))
    client, stub = stubbed("kinesis")
    stub.add_response("put_record", {"ShardId": "shardId-000000000000", "SequenceNumber": "1"})
    with stub:
        client.put_record(StreamName="StreamA", Data=b"{}", PartitionKey="p")
    assert a.signalled
    assert not b.signalled


def test_a_harness_session_send_message_signals_its_queue(listeners):
    queue, stream = listen(listeners, (QUEUE, ANY_QUEUE)), listen(listeners, (STREAM_A,))
    client, stub = stubbed("sqs")
    stub.add_response("send_message", {"MessageId": "m", "MD5OfMessageBody": "d41d8cd98f00b204e9800998ecf8427e"})
    with stub:
        client.send_message(QueueUrl=QUEUE_URL, MessageBody="")
    assert queue.signalled
    assert not stream.signalled


def test_a_partiql_insert_signals_its_table_and_a_select_no_table(listeners):
    orders, ledger = listen(listeners, (dynamodb_key("Orders"),)), listen(listeners, (dynamodb_key("Ledger"),))
    client, stub = stubbed("dynamodb")
    stub.add_response("execute_statement", {"Items": []})
    stub.add_response("execute_statement", {"Items": []})
    with stub:
        client.execute_statement(Statement='SELECT * FROM "Orders" WHERE id = 1')
        assert not orders.signalled
        client.execute_statement(Statement="INSERT INTO \"Orders\" VALUE {'id': ?}", Parameters=[{"S": "1"}])
    assert orders.signalled
    assert not ledger.signalled


def test_a_refused_write_signals_nobody(listeners):
    a = listen(listeners, (STREAM_A,))
    client, stub = stubbed("kinesis")
    stub.add_client_error("put_record", service_error_code="ResourceNotFoundException", http_status_code=400)
    with stub, pytest.raises(client.exceptions.ResourceNotFoundException):
        client.put_record(StreamName="StreamA", Data=b"{}", PartitionKey="p")
    assert not a.signalled


def test_a_rule_change_marks_cached_rule_states_stale():
    client, stub = stubbed("events")
    before = activity.rules_generation()
    stub.add_response("disable_rule", {})
    with stub:
        client.disable_rule(Name="r")
    assert activity.rules_generation() == before + 1


# -- pollers ---------------------------------------------------------------------------------------
class CountingPoller(BackgroundPoller):
    """Counts its pumps; finds nothing, so it waits between them."""

    def __init__(self, keys: tuple[Key, ...] | None) -> None:
        super().__init__()
        self.keys = keys
        self.pumps = 0
        self._pumped = threading.Condition()

    def wake_keys(self) -> tuple[Key, ...] | None:
        return self.keys

    def pump(self) -> int:
        with self._pumped:
            self.pumps += 1
            self._pumped.notify_all()
        return 0

    def wait_for_pumps(self, count: int) -> None:
        with self._pumped:
            assert self._pumped.wait_for(lambda: self.pumps >= count, timeout=10.0), f"{self.pumps} pumps"


@pytest.fixture
def pollers(monkeypatch) -> Iterator[list[CountingPoller]]:
    """Pollers started by the test, stopped afterwards; writes alone wake them (no idle wake-ups)."""
    monkeypatch.setattr(polling, "IDLE_WAIT", 600.0)
    started: list[CountingPoller] = []
    yield started
    for poller in started:
        poller.stop()


def start(started: list[CountingPoller], keys: tuple[Key, ...] | None) -> CountingPoller:
    poller = CountingPoller(keys)
    started.append(poller)
    poller.start()
    poller.wait_for_pumps(1)  # the first look, then it waits
    return poller


def test_a_write_to_stream_a_wakes_its_poller_at_once_and_not_the_poller_of_stream_b(pollers):
    a, b = start(pollers, (STREAM_A,)), start(pollers, (STREAM_B,))
    for round_ in range(2, 5):
        activity.notify(STREAM_A)
        a.wait_for_pumps(round_)
    assert b.pumps == 1
    activity.notify(STREAM_B)
    b.wait_for_pumps(2)


def test_wake_all_wakes_every_poller(pollers):
    started = [start(pollers, (STREAM_A,)), start(pollers, (QUEUE, ANY_QUEUE)), start(pollers, None)]
    activity.notify()
    for poller in started:
        poller.wait_for_pumps(2)


def test_stop_wakes_the_stopping_poller_alone(pollers):
    a, b = start(pollers, (STREAM_A,)), start(pollers, (STREAM_A,))
    a.stop()  # returns once its thread has left its wait
    assert b.pumps == 1
    activity.notify(STREAM_A)
    b.wait_for_pumps(2)
    assert a.pumps == 1


@pytest.fixture
def signals(monkeypatch) -> list[tuple[Key, ...]]:
    """The keys of every signal, in order."""
    found: list[tuple[Key, ...]] = []
    notify = activity.notify

    def recording(*keys: Key) -> None:
        found.append(keys)
        notify(*keys)

    monkeypatch.setattr(activity, "notify", recording)
    return found


ENTRY = {"Source": "s", "DetailType": "d", "Detail": "{}"}
PUT_EVENTS_ANSWER = {"FailedEntryCount": 0, "Entries": [{"EventId": "e"}]}


def put_events_served_by(inner: object, inner_stub: Stubber, nested: Callable[[], object]) -> None:
    """A PutEvents whose handler (run in this thread, as the gateway's are) does `nested` with `inner` first."""
    outer, outer_stub = stubbed("events")
    outer_stub.add_response("put_events", PUT_EVENTS_ANSWER)
    with outer_stub, inner_stub:

        def handler(**_: object) -> None:
            nested()

        # as specific as the stub's own hook, and first: it runs before the stubbed answer
        outer.meta.events.register_first("before-call.*.*", handler)
        outer.put_events(Entries=[ENTRY])
        outer_stub.assert_no_pending_responses()
        inner_stub.assert_no_pending_responses()


def test_a_served_write_whose_handler_signalled_its_own_writes_is_not_signalled_twice(signals):
    inner, inner_stub = stubbed("events")
    inner_stub.add_response("put_events", PUT_EVENTS_ANSWER)
    put_events_served_by(inner, inner_stub, lambda: inner.put_events(Entries=[ENTRY]))
    assert signals == [(ANY_QUEUE,)]


def test_a_served_write_signals_what_its_handler_did_not(signals):
    inner, inner_stub = stubbed("sqs")
    inner_stub.add_response("send_message", {"MessageId": "m", "MD5OfMessageBody": "d41d8cd98f00b204e9800998ecf8427e"})
    put_events_served_by(inner, inner_stub, lambda: inner.send_message(QueueUrl=QUEUE_URL, MessageBody=""))
    assert signals == [(QUEUE,), (ANY_QUEUE,)]
