"""drain() never returns while a record is unread, a batch is in hand or a retry is due, poller on or off.

Lambda's stream semantics (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html): a failed
batch blocks its shard and is retried; the harness spaces the retries on its clock, so after drain()
the only work left may be a retry due later, which advance() delivers.
"""

from __future__ import annotations

import json
import os

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.kinesis import KinesisStream
from provisioning.stack import Stack, Trigger

# 50 rounds of 2,000 records cost about a minute on two cores; HARNESS_DRAIN_ROUNDS / _RECORDS raise it.
ROUNDS = int(os.environ.get("HARNESS_DRAIN_ROUNDS", "50"))
RECORDS = int(os.environ.get("HARNESS_DRAIN_RECORDS", "400"))


def flaky_stack() -> Stack:
    return Stack(
        "flaky-stream",
        resources=[KinesisStream("Flaky", shards=2)],
        functions=[FunctionSpec("FlakyConsumer", "tests.handlers.flaky.one_in_ten", timeout=30)],
        triggers=[Trigger("FlakyConsumer", "Flaky", MappingSettings(batch_size=100, starting_position="LATEST"))],
    )


def put_round(harness, number: int) -> None:
    kinesis = harness.client("kinesis")
    records = [
        {"Data": json.dumps({"round": number, "n": n}).encode(), "PartitionKey": f"key-{n % 7}"} for n in range(RECORDS)
    ]
    for start in range(0, len(records), 500):
        answer = kinesis.put_records(StreamName="Flaky", Records=records[start : start + 500])
        assert answer["FailedRecordCount"] == 0


def accepted(harness, number: int) -> set[int]:
    prefix = f"ok {number} "
    return {int(line.split()[2]) for line in harness.logs("FlakyConsumer").lines if line.startswith(prefix)}


def assert_idle_after_drain(harness, mapping, number: int) -> None:
    """What drain() promises: nothing due now; every record is accepted or behind a retry due later."""
    progress = mapping.progress()
    assert mapping.pump() == 0, f"round {number}: drain() returned with deliverable records"
    assert mapping.progress() == progress, f"round {number}: drain() returned with unread records"
    retry = mapping.next_retry()
    if retry is None:
        assert accepted(harness, number) == set(range(RECORDS)), f"round {number}: records missing, no retry"
    else:
        assert retry > harness.clock.time(), f"round {number}: drain() returned before a due retry"


def test_drain_never_returns_early_with_failing_batches_and_the_background_poller_on(harness):
    stack = harness.deploy(flaky_stack())
    mapping = stack.mapping("FlakyConsumer")
    assert harness.event_sources.background
    failures = 0

    for number in range(ROUNDS):
        put_round(harness, number)
        harness.drain()
        assert_idle_after_drain(harness, mapping, number)
        while (retry := mapping.next_retry()) is not None:
            failures += 1
            harness.advance(seconds=retry - harness.clock.time())
            assert_idle_after_drain(harness, mapping, number)
        assert accepted(harness, number) == set(range(RECORDS))

    assert failures > 0  # the scenario did fail batches
    assert mapping.describe()["LastProcessingResult"] == "OK"


def test_drain_with_the_poller_paused_delivers_the_same(harness):
    stack = harness.deploy(flaky_stack())
    mapping = stack.mapping("FlakyConsumer")

    with harness.paused():
        for number in range(3):
            put_round(harness, number)
            harness.drain()
            assert_idle_after_drain(harness, mapping, number)
            while (retry := mapping.next_retry()) is not None:
                harness.advance(seconds=retry - harness.clock.time())
            assert accepted(harness, number) == set(range(RECORDS))
