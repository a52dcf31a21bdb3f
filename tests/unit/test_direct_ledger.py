"""The ledger that keeps the queue route from delivering an event the harness already delivered."""

from __future__ import annotations

import threading

from harness.routing.direct_ledger import DirectLedger


def test_a_key_seen_while_publishing_is_taken_by_the_harness():
    ledger = DirectLedger()
    with ledger.publishing("events:orders") as seen:
        seen("id-1")

    assert ledger.taken_by_harness("events:orders", "id-1")
    assert not ledger.taken_by_harness("events:orders", "id-2")
    assert not ledger.taken_by_harness("events:other", "id-1")


def test_a_queue_route_waits_for_a_call_in_flight_in_its_scope():
    ledger = DirectLedger(wait_limit=5)
    entered, answers = threading.Event(), []
    release = threading.Event()

    def publisher():
        with ledger.publishing("sns:topic") as seen:
            entered.set()
            release.wait(5)
            seen("message-1")

    thread = threading.Thread(target=publisher)
    thread.start()
    entered.wait(5)
    reader = threading.Thread(target=lambda: answers.append(ledger.taken_by_harness("sns:topic", "message-1")))
    reader.start()
    release.set()
    reader.join(5)
    thread.join(5)

    assert answers == [True]


def test_a_call_in_another_scope_does_not_hold_a_queue_route_up():
    ledger = DirectLedger(wait_limit=5)
    with ledger.publishing("s3:bucket-a"):
        assert not ledger.taken_by_harness("s3:bucket-b", "key")


def test_a_failed_call_leaves_nothing_in_flight():
    ledger = DirectLedger(wait_limit=5)
    try:
        with ledger.publishing("events:orders"):
            raise RuntimeError("the backend refused")
    except RuntimeError:
        pass

    assert not ledger.taken_by_harness("events:orders", "id")  # answers at once, nothing in flight


def test_the_oldest_keys_are_forgotten_beyond_the_limit():
    ledger = DirectLedger(limit=3)
    with ledger.publishing("events:b") as seen:
        for key in ("a", "b", "c", "d"):
            seen(key)

    assert len(ledger) == 3
    assert not ledger.taken_by_harness("events:b", "a")
    assert ledger.taken_by_harness("events:b", "d")
