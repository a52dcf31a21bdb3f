"""What a call to the embedded backend costs, what an execution costs, and how fast events reach functions.

In one run, on the embedded backend (moto in this process), each figure next to its baseline:
1. a DynamoDB `put_item` and a Kinesis `put_record` through the harness's client, with the moto speed-ups of
   `harness/backends/moto_fixes.py` (`SPEEDUPS`) applied and removed, in alternating rounds;
2. an OrderPipeline (pattern 8) execution with the described state machine kept, and with it forgotten
   before each start (a DescribeStateMachine on the backend each time, as before), alternating;
3. event -> function latency, p50 / p95, for EventBridge (put_events -> rule -> function), SNS, S3, Kinesis,
   DynamoDB Streams and SQS, from just before the publishing call to the moment the handler
   (`tests.handlers.arrivals.stamp`) starts, next to the calls it is made of: the publishing call's own p50
   plus one `harness.invoke` (call to handler start, p50).
Prints figures; never fails on timing.

Run:
    .venv/bin/python -m bench.backend_calls [--calls 300] [--executions 100] [--events 50]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from harness.backends import moto_fixes
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
from provisioning.stacks.orchestration import STATE_MACHINE, orchestration_stack
from tests.handlers import arrivals

ORDER = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007", "inStock": True}
STAMP = "tests.handlers.arrivals.stamp"
ROUNDS = 6


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timed(action: Callable[[], Any]) -> float:
    """Milliseconds one call of `action` took."""
    began = time.perf_counter()
    action()
    return (time.perf_counter() - began) * 1000


def speedups(on: bool) -> None:
    """Apply or remove the moto speed-ups (the locks and corrections stay)."""
    if on:
        moto_fixes.apply_all()
    else:
        for fix in moto_fixes.SPEEDUPS:
            moto_fixes.remove(fix)


# -- 1. a backend call ---------------------------------------------------------------------------
def backend_calls(harness: Harness, calls: int) -> list[tuple[str, str, str, str]]:
    """p50 of put_item and put_record through the harness's client, speed-ups on and off."""
    harness.deploy(
        Stack(
            "bench-calls",
            resources=[KinesisStream("BenchCalls"), DynamoTable("BenchItems", partition_key=("id", "S"))],
        )
    )
    dynamodb, kinesis = harness.client("dynamodb"), harness.client("kinesis")
    actions = {
        "DynamoDB put_item": lambda: dynamodb.put_item(TableName="BenchItems", Item={"id": {"S": uuid.uuid4().hex}}),
        "Kinesis put_record": lambda: kinesis.put_record(StreamName="BenchCalls", Data=b"{}", PartitionKey="k"),
    }
    samples: dict[tuple[str, bool], list[float]] = {(name, on): [] for name in actions for on in (True, False)}
    per_round = max(1, calls // ROUNDS)
    for round_ in range(ROUNDS):
        for on in (True, False) if round_ % 2 == 0 else (False, True):
            speedups(on)
            for name, action in actions.items():
                action()  # the first call after a switch fills what the fixes keep
                samples[(name, on)].extend(timed(action) for _ in range(per_round))
    speedups(True)
    rows = []
    for name in actions:
        fixed, plain = statistics.median(samples[(name, True)]), statistics.median(samples[(name, False)])
        rows.append((name, f"{plain:.2f} ms", f"{fixed:.2f} ms", f"{fixed / plain:.2f}x"))
    return rows


# -- 2. P8 per execution ---------------------------------------------------------------------------
def executions(harness: Harness, count: int) -> tuple[float, float]:
    """Milliseconds per OrderPipeline execution: described once (kept), and described at every start."""
    machine = harness.deploy(orchestration_stack()).arn(STATE_MACHINE)
    for _ in range(10):
        harness.states.run(machine, ORDER)
    kept: list[float] = []
    described: list[float] = []
    per_round = max(1, count // ROUNDS)
    for round_ in range(ROUNDS):
        for keep in (True, False) if round_ % 2 == 0 else (False, True):
            for _ in range(per_round):
                if not keep:
                    harness.states.forget(machine)
                (kept if keep else described).append(timed(lambda: harness.states.run(machine, ORDER)))
    return statistics.median(described), statistics.median(kept)


# -- 3. event -> function ----------------------------------------------------------------------------
def routes_stack(bucket: str) -> Stack:
    """One stamping function per route, each with its source."""
    names = ("OnRule", "OnTopic", "OnObject", "OnStream", "OnTableStream", "OnQueue")
    return Stack(
        "bench-routes",
        resources=[
            EventBus("bench-bus"),
            Topic("BenchTopic"),
            Bucket(bucket),
            KinesisStream("BenchEvents"),
            DynamoTable("BenchRows", partition_key=("id", "S"), stream_view_type="NEW_IMAGE"),
            Queue("BenchQueue"),
        ],
        functions=[FunctionSpec(name, STAMP) for name in names],
        triggers=[
            Rule("ToStamp", bus="bench-bus", event_pattern={"source": ["bench"]}, targets=[Target("OnRule")]),
            TopicSubscription("BenchTopic", "OnTopic"),
            BucketNotification(bucket, "OnObject"),
            Trigger("OnStream", "BenchEvents", MappingSettings(batch_size=1, starting_position="TRIM_HORIZON")),
            Trigger("OnTableStream", "BenchRows", MappingSettings(batch_size=1, starting_position="TRIM_HORIZON")),
            Trigger("OnQueue", "BenchQueue", MappingSettings(batch_size=1)),
        ],
    )


def publishers(harness: Harness, topic_arn: str, bucket: str) -> dict[str, Callable[[str], Any]]:
    """Each route's publishing call, through the harness's client, for one event id."""
    events, sns, s3 = harness.client("events"), harness.client("sns"), harness.client("s3")
    kinesis, dynamodb, sqs = harness.client("kinesis"), harness.client("dynamodb"), harness.client("sqs")
    queue_url = sqs.get_queue_url(QueueName="BenchQueue")["QueueUrl"]
    body = json.dumps
    return {
        "EventBridge put_events": lambda i: events.put_events(
            Entries=[{"EventBusName": "bench-bus", "Source": "bench", "DetailType": "Ping", "Detail": body({"i": i})}]
        ),
        "SNS publish": lambda i: sns.publish(TopicArn=topic_arn, Message=body({"i": i})),
        "S3 put_object": lambda i: s3.put_object(Bucket=bucket, Key=f"in/{i}.json", Body=b"{}"),
        "Kinesis put_record": lambda i: kinesis.put_record(
            StreamName="BenchEvents", Data=body({"i": i}).encode(), PartitionKey=i
        ),
        "DynamoDB Streams put_item": lambda i: dynamodb.put_item(TableName="BenchRows", Item={"id": {"S": i}}),
        "SQS send_message": lambda i: sqs.send_message(QueueUrl=queue_url, MessageBody=body({"i": i})),
    }


def route_latency(
    harness: Harness, publish: Callable[[str], Any], samples: int
) -> tuple[list[float], list[float], int]:
    """Per event: milliseconds to the handler's start and of the publishing call; and events that never came."""
    latencies: list[float] = []
    calls: list[float] = []
    lost = 0
    for _ in range(samples):
        harness.drain()
        expected = len(arrivals.ARRIVALS) + 1
        began = time.perf_counter()
        publish(uuid.uuid4().hex)
        calls.append((time.perf_counter() - began) * 1000)
        arrived = arrivals.wait_for(expected, timeout=10)
        if arrived is None:
            lost += 1
            continue
        latencies.append((arrived - began) * 1000)
    return latencies, calls, lost


def invoke_ms(harness: Harness, samples: int) -> list[float]:
    """Milliseconds from calling `harness.invoke` to the handler's start."""
    found = []
    for _ in range(samples):
        began = time.perf_counter()
        arrived = harness.invoke("OnQueue", {}).value()["arrived"]
        found.append((arrived - began) * 1000)
    return found


def event_routes(harness: Harness, samples: int) -> tuple[list[tuple[str, ...]], int]:
    """A row per route: latency p50 / p95 next to the publishing call and one harness.invoke."""
    bucket = f"bench-{uuid.uuid4().hex[:12]}"
    stack = harness.deploy(routes_stack(bucket))
    calls = publishers(harness, stack.arn("BenchTopic"), bucket)
    for publish in calls.values():  # warm up every route: cold starts, iterators, clients
        publish("warm-up")
    harness.drain()
    invoke = statistics.median(invoke_ms(harness, samples))
    rows: list[tuple[str, ...]] = []
    lost = 0
    for name, publish in calls.items():
        say(f"events: {samples} x {name} -> function...")
        latencies, call_ms, missing = route_latency(harness, publish, samples)
        lost += missing
        if not latencies:
            rows.append((name, "-", "-", "-", "-", "-"))
            continue
        parts = statistics.median(call_ms) + invoke
        p50 = percentile(latencies, 50)
        rows.append(
            (
                name,
                f"{p50:.1f}",
                f"{percentile(latencies, 95):.1f}",
                f"{statistics.median(call_ms):.1f} + {invoke:.1f}",
                f"{parts:.1f}",
                f"{p50 - parts:+.1f}",
            )
        )
    speedups(False)
    latencies, call_ms, missing = route_latency(harness, calls["EventBridge put_events"], samples)
    speedups(True)
    lost += missing
    if latencies:
        parts = statistics.median(call_ms) + invoke
        p50 = percentile(latencies, 50)
        rows.append(
            (
                "  same, moto speed-ups off",
                f"{p50:.1f}",
                f"{percentile(latencies, 95):.1f}",
                f"{statistics.median(call_ms):.1f} + {invoke:.1f}",
                f"{parts:.1f}",
                f"{p50 - parts:+.1f}",
            )
        )
    return rows, lost


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Print aligned columns."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        print(
            "  ".join(
                str(cell).ljust(width) if i == 0 else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.backend_calls", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="backend calls per kind and setting (default 300)")
    parser.add_argument("--executions", type=int, default=100, help="executions per setting (default 100)")
    parser.add_argument("--events", type=int, default=50, help="events per route (default 50)")
    args = parser.parse_args(argv)
    for name in ("calls", "executions", "events"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when events never reached their function."""
    args = parse_args(argv)
    load = os.getloadavg()[0]
    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    try:
        with Harness(backend) as harness:
            say(f"calls: {args.calls} x put_item and put_record, speed-ups on and off...")
            call_rows = backend_calls(harness, args.calls)
            say(f"states: {args.executions} OrderPipeline executions, described once and at every start...")
            described, kept = executions(harness, args.executions)
            route_rows, lost = event_routes(harness, args.events)
    finally:
        backend.stop()

    print(f"\n== backend calls (embedded backend, moto; load average {load:.1f} at start) ==")
    table(("call through harness.client, p50", "speed-ups off", "on", "on / off"), call_rows)
    print("\n== P8 OrderPipeline, per execution (p50) ==")
    table(
        ("start describes the machine", "ms", "ratio"),
        [
            ("every time (before)", f"{described:.2f}", "1.00x"),
            ("once, kept (now)", f"{kept:.2f}", f"{kept / described:.2f}x"),
        ],
    )
    print("\n== event -> function (handler start), ms ==")
    table(("route", "p50", "p95", "call p50 + invoke p50", "parts", "p50 - parts"), route_rows)
    if lost:
        print(f"\n{lost} events never reached their function within 10 s")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
