"""How many backend reads idle pollers make per published event, with keyed waking on and off.

One harness on the embedded backend holds several consumers that sit idle most of the time: three Kinesis
mappings, two DynamoDB stream mappings, two SQS mappings, three EventBridge rules, an SNS subscription
and an S3 notification (the last five each a routing queue poller). Each route publishes events one at a
time; for each event the benchmark counts the ReceiveMessage and GetRecords calls that reached the backend
from the publishing call until the pollers are quiet again, then the event -> handler latency.

Rounds alternate between keyed waking (a write wakes only the pollers of what it wrote to; the default)
and the earlier behaviour (`activity.keyed_waking(False)`: every write wakes every poller). The pollers'
idle wait is lengthened for the run, so that the counts hold what writes caused and not the idle timer.
Prints figures; never fails on timing.

Run:
    .venv/bin/python -m bench.poller_wakeups [--events 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from harness import activity, polling
from harness.backends import in_process
from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.events import EventBus
from provisioning.builders.kinesis import KinesisStream
from provisioning.builders.rules import Rule, Target
from provisioning.builders.s3 import Bucket
from provisioning.builders.sns import Topic
from provisioning.builders.sqs import Queue
from provisioning.builders.topic_subscriptions import TopicSubscription
from provisioning.stack import Stack, Trigger
from tests.handlers import arrivals

STAMP = "tests.handlers.arrivals.stamp"
READS = {
    "Kinesis_20131202.GetRecords": "GetRecords",
    "DynamoDBStreams_20120810.GetRecords": "GetRecords",
    "AmazonSQS.ReceiveMessage": "ReceiveMessage",
}
QUIET_SECONDS = 0.08  # no read for this long: every woken poller has looked and gone back to waiting
ROUNDS = 4


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


class ReadCounter:
    """Counts the poll calls that reach the backend's app (in process), by operation."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.counts: Counter[str] = Counter()
        self.last = time.perf_counter()
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        read = READS.get(environ.get("HTTP_X_AMZ_TARGET", ""))
        if read is not None:
            with self._lock:
                self.counts[read] += 1
                self.last = time.perf_counter()
        return self._app(environ, start_response)

    def snapshot(self) -> Counter[str]:
        """The counts so far."""
        with self._lock:
            return Counter(self.counts)

    def wait_quiet(self, timeout: float = 5.0) -> None:
        """Return once no read came for QUIET_SECONDS."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            idle = time.perf_counter() - self.last
            if idle >= QUIET_SECONDS:
                return
            time.sleep(QUIET_SECONDS - idle)


def wakeups_stack(bucket: str) -> Stack:
    """Several idle consumers next to one consumer per route."""
    streams = [f"Stream{n}" for n in range(3)]
    tables = [f"Rows{n}" for n in range(2)]
    queues = [f"Jobs{n}" for n in range(2)]
    rules = [f"Rule{n}" for n in range(3)]
    sources = [*streams, *tables, *queues]
    functions = [f"On{source}" for source in [*sources, *rules, "Topic", "Object"]]
    start = MappingSettings(batch_size=1, starting_position="TRIM_HORIZON")
    return Stack(
        "bench-wakeups",
        resources=[
            *(KinesisStream(s) for s in streams),
            *(DynamoTable(t, partition_key=("id", "S"), stream_view_type="NEW_IMAGE") for t in tables),
            *(Queue(q) for q in queues),
            EventBus("bench-wakeups-bus"),
            Topic("BenchWakeups"),
            Bucket(bucket),
        ],
        functions=[FunctionSpec(name, STAMP) for name in functions],
        triggers=[
            *(Trigger(f"On{s}", s, start) for s in [*streams, *tables]),
            *(Trigger(f"On{q}", q, MappingSettings(batch_size=1)) for q in queues),
            *(
                Rule(r, bus="bench-wakeups-bus", event_pattern={"source": [f"bench.{r}"]}, targets=[Target(f"On{r}")])
                for r in rules
            ),
            TopicSubscription("BenchWakeups", "OnTopic"),
            BucketNotification(bucket, "OnObject"),
        ],
    )


def publishers(harness: Harness, topic_arn: str, bucket: str) -> dict[str, Callable[[str], Any]]:
    """Each route's publishing call, through the harness's client, for one event id."""
    events, sns, s3 = harness.client("events"), harness.client("sns"), harness.client("s3")
    kinesis, dynamodb, sqs = harness.client("kinesis"), harness.client("dynamodb"), harness.client("sqs")
    queue_url = sqs.get_queue_url(QueueName="Jobs0")["QueueUrl"]
    return {
        "Kinesis put_record": lambda i: kinesis.put_record(StreamName="Stream0", Data=b"{}", PartitionKey=i),
        "DynamoDB Streams put_item": lambda i: dynamodb.put_item(TableName="Rows0", Item={"id": {"S": i}}),
        "SQS send_message": lambda i: sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"i": i})),
        "EventBridge put_events": lambda i: events.put_events(
            Entries=[
                {"EventBusName": "bench-wakeups-bus", "Source": "bench.Rule0", "DetailType": "Ping", "Detail": "{}"}
            ]
        ),
        "SNS publish": lambda i: sns.publish(TopicArn=topic_arn, Message=i),
        "S3 put_object": lambda i: s3.put_object(Bucket=bucket, Key=f"in/{i}.json", Body=b"{}"),
    }


def one_event(counter: ReadCounter, publish: Callable[[str], Any]) -> tuple[Counter[str], float | None]:
    """Backend reads from the publishing call until all is quiet again, and the latency to the handler (ms)."""
    counter.wait_quiet()
    before = counter.snapshot()
    expected = len(arrivals.ARRIVALS) + 1
    began = time.perf_counter()
    publish(uuid.uuid4().hex)
    arrived = arrivals.wait_for(expected, timeout=10)
    counter.wait_quiet()
    return counter.snapshot() - before, None if arrived is None else (arrived - began) * 1000


def measure(
    counter: ReadCounter, routes: dict[str, Callable[[str], Any]], events: int
) -> dict[tuple[str, bool], tuple[Counter[str], list[float], int]]:
    """Per route and setting: reads in all, latencies, events lost; the settings alternate by round."""
    found: dict[tuple[str, bool], tuple[Counter[str], list[float], int]] = {
        (name, keyed): (Counter(), [], 0) for name in routes for keyed in (True, False)
    }
    per_round = -(-events // ROUNDS)  # each setting runs in every round
    for round_ in range(ROUNDS):
        for keyed in (True, False) if round_ % 2 == 0 else (False, True):
            activity.keyed_waking(keyed)
            for name, publish in routes.items():
                reads, latencies, lost = found[(name, keyed)]
                for _ in range(per_round):
                    counted, latency = one_event(counter, publish)
                    reads.update(counted)
                    if latency is None:
                        lost += 1
                    else:
                        latencies.append(latency)
                found[(name, keyed)] = (reads, latencies, lost)
    activity.keyed_waking(True)
    return found


def rows(
    found: dict[tuple[str, bool], tuple[Counter[str], list[float], int]], names: Iterable[str]
) -> list[tuple[str, ...]]:
    """A row per route: reads per event and latency p50, every write waking every poller (before) and keyed."""
    table = []
    for name in names:
        cells = [name]
        for keyed in (False, True):
            reads, latencies, lost = found[(name, keyed)]
            count = len(latencies) + lost
            cells += [
                f"{reads['ReceiveMessage'] / count:.1f}",
                f"{reads['GetRecords'] / count:.1f}",
                f"{statistics.median(latencies):.1f}" if latencies else "-",
            ]
        table.append(tuple(cells))
    return table


def print_table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> None:
    """Print aligned columns."""
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]
    for row in (header, *body):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when events never reached their function."""
    parser = argparse.ArgumentParser(prog="python -m bench.poller_wakeups", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events",
        type=int,
        default=30,
        help="events per route and setting, rounded up to a multiple of 4 (default 30)",
    )
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error(f"--events must be at least 1, got {args.events}")
    polling.IDLE_WAIT = 60.0
    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    counter = ReadCounter(in_process.app_for(backend.endpoint_url))
    in_process.register(backend.endpoint_url, counter)
    try:
        with Harness(backend) as harness:
            bucket = f"bench-{uuid.uuid4().hex[:12]}"
            say("deploying 7 mappings, 3 rules, a subscription and a bucket notification...")
            stack = harness.deploy(wakeups_stack(bucket))
            routes = publishers(harness, stack.arn("BenchWakeups"), bucket)
            for publish in routes.values():  # cold starts, iterators, clients
                one_event(counter, publish)
            say(f"events: {args.events} per route, every write waking every poller and keyed, alternating...")
            found = measure(counter, routes, args.events)
            pollers = len(harness.event_sources.all())
    finally:
        backend.stop()
    lost = sum(entry[2] for entry in found.values())
    print(
        f"\n== backend reads per published event ({pollers} mappings and the routing queue pollers; no idle timer) =="
    )
    print_table(
        ("route", "before: Receive", "GetRecords", "p50 ms", "keyed: Receive", "GetRecords", "p50 ms"),
        rows(found, routes),
    )
    if lost:
        print(f"\n{lost} events never reached their function within 10 s")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
