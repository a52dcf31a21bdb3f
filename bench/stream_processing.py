"""Pattern 7 benchmark: SensorProducer -> SensorStream -> SensorStreamProcessor -> SensorMetrics.

Compares the harness (in-process functions, background Kinesis poller, `drain()`) with the same Kinesis
and DynamoDB calls made directly on the same embedded backend, in the same run. Prints figures; it
never fails on timing.

Run:
    .venv/bin/python -m bench.stream_processing [--readings 5000] [--rounds 5] [--latency-samples 200]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from harness.backends.base import Account
from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from harness.waiting import WaitTimeout
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.kinesis import KinesisStream
from provisioning.stack import DeployedStack
from provisioning.stacks.stream_processing import STREAM, TABLE, stream_processing_stack

START_TARGET_SECONDS = 1.0
RATIO_TARGET = 1.25
SEED = 1
PRODUCER_CHUNK = 500  # readings per SensorProducer invocation (about 2 s of put_record calls)
# Each latency sample starts after a random pause, so samples land at random points of the pollers'
# cycle instead of all just after a poll.
LATENCY_JITTER_SECONDS = 0.025


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


# -- what the seed's functions send and write ----------------------------------------------------
def producer_calls(readings: int) -> list[tuple[int, int]]:
    """(count, seed) of each SensorProducer invocation: chunks a Lambda finishes well within its timeout."""
    return [
        (min(PRODUCER_CHUNK, readings - start), SEED + index)
        for index, start in enumerate(range(0, readings, PRODUCER_CHUNK))
    ]


def sensor_readings(count: int, seed: int) -> Iterator[dict[str, Any]]:
    """The readings SensorProducer publishes for {"count": count, "seed": seed}, in the same order."""
    rng = random.Random(seed)
    for i in range(count):
        yield {
            "sensorId": f"sensor-{(i % 3) + 1:02d}",
            "temperature": round(rng.uniform(60, 95), 1),
            "humidity": round(rng.uniform(30, 90), 1),
        }


def processor_item(data: dict[str, Any], sequence: str, event_id: str) -> dict[str, str]:
    """The row SensorStreamProcessor writes for one reading."""
    ts = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return {
        "sensorId": data.get("sensorId", "unknown"),
        "timestamp": f"{ts}#{sequence}",
        "temperature": str(data.get("temperature", 0)),
        "humidity": str(data.get("humidity", 0)),
        "shardId": event_id,
    }


def count_rows(dynamodb: Any, table: str) -> int:
    """How many items `table` holds, with a paginated Select=COUNT scan."""
    request: dict[str, Any] = {"TableName": table, "Select": "COUNT"}
    total = 0
    while True:
        page = dynamodb.scan(**request)
        total += page["Count"]
        if "LastEvaluatedKey" not in page:
            return total
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def stack_builders() -> tuple[KinesisStream, DynamoTable]:
    """The stream and table builders exactly as the stream-processing stack declares them."""
    resources = stream_processing_stack().resources
    streams = [r for r in resources if isinstance(r, KinesisStream)]
    tables = [r for r in resources if isinstance(r, DynamoTable)]
    if len(streams) != 1 or len(tables) != 1:
        raise TypeError(f"stream-processing stack declares {resources!r}; expected one stream and one table")
    return streams[0], tables[0]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run `action`; return its value and the seconds it took."""
    began = time.perf_counter()
    value = action()
    return value, time.perf_counter() - began


# -- figures ----------------------------------------------------------------------------------------
@dataclass
class LatencyRun:
    """put_record -> row readable, for single readings, with the table holding `rows_before` items."""

    label: str
    rows_before: int
    latencies_ms: list[float] = field(default_factory=list)
    probe_ms: list[float] = field(default_factory=list)  # duration of the query that found the row
    misses: int = 0


@dataclass
class Figures:
    """Everything the summary prints."""

    readings: int
    start_seconds: float = 0.0
    first_account_seconds: float = 0.0
    harness_setup_seconds: float = 0.0
    deploy_seconds: float = 0.0
    producer_seconds: float = 0.0
    producer_error: str | None = None
    harness_seconds: float = 0.0
    harness_rows: int = 0
    harness_batches: int = 0
    telemetry: str = "both"  # which harness paths ran: with logs and metrics in CloudWatch, without, or both
    without_telemetry_seconds: float = 0.0  # the harness path again, logs and metrics off
    without_telemetry_rows: int = 0
    # CPU seconds of the whole process (client, harness, functions, moto) over each path: less swayed by
    # other work on the machine than wall time.
    harness_cpu_seconds: float = 0.0
    without_telemetry_cpu_seconds: float = 0.0
    direct_cpu_seconds: float = 0.0
    direct_setup_seconds: float = 0.0
    direct_produce_seconds: float = 0.0
    direct_seconds: float = 0.0
    direct_rows: int = 0
    latency_runs: list[LatencyRun] = field(default_factory=list)
    # (harness, direct) wall seconds and (harness, direct) CPU seconds of each round
    rounds: list[tuple[float, float, float, float]] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0
    problems: list[str] = field(default_factory=list)


# -- the harness path -------------------------------------------------------------------------------
def deploy_stack(harness: Harness, figures: Figures) -> DeployedStack:
    """Deploy the stream-processing stack as tests do."""
    say("harness: deploying stream-processing stack...")
    deployed, figures.deploy_seconds = timed(lambda: harness.deploy(stream_processing_stack()))
    return deployed


def run_harness(harness: Harness, deployed: DeployedStack, figures: Figures, drain_timeout: float) -> None:
    """Invoke SensorProducer for N readings, in chunks, and drain until every reading is a row."""
    batches_before = len(deployed.mapping("SensorStreamProcessor").batches)
    n = figures.readings
    dynamodb = harness.client("dynamodb")
    baseline = count_rows(dynamodb, TABLE)  # rows the first latency run left behind

    calls = producer_calls(n)
    say(f"harness: producing {n} readings ({len(calls)} SensorProducer invocations, {n} put_record calls)...")
    began = time.perf_counter()
    cpu_began = time.process_time()
    for count, seed in calls:
        result = harness.invoke("SensorProducer", {"count": count, "seed": seed})
        if not result.ok:
            error = result.error or {}
            figures.producer_error = f"{error.get('errorType')}: {error.get('errorMessage')}"
            say(f"harness: SensorProducer failed: {figures.producer_error}")
    figures.producer_seconds = time.perf_counter() - began
    say(f"harness: producers returned after {figures.producer_seconds:.2f} s; draining...")

    deadline = began + drain_timeout
    while True:
        try:
            harness.drain(timeout=max(1.0, deadline - time.perf_counter()))
        except WaitTimeout as exc:
            figures.problems.append(f"harness path: {exc}")
        finished = time.perf_counter()
        figures.harness_cpu_seconds = time.process_time() - cpu_began
        figures.harness_rows = count_rows(dynamodb, TABLE) - baseline
        if figures.harness_rows >= n or time.perf_counter() > deadline:
            break
        say(f"harness: {figures.harness_rows}/{n} rows after drain; draining again...")
    figures.harness_seconds = finished - began
    figures.harness_batches = len(deployed.mapping("SensorStreamProcessor").batches) - batches_before
    if figures.harness_rows != n:
        figures.problems.append(f"harness path: {figures.harness_rows} new rows in {TABLE}, expected {n}")
    say(f"harness: {figures.harness_rows} new rows in {TABLE} after {figures.harness_seconds:.2f} s")


# -- the direct path --------------------------------------------------------------------------------
def run_direct(account: Account, figures: Figures) -> None:
    """The same puts, shard reads and row writes as the pattern, made directly with boto3."""
    n = figures.readings
    stream_builder, table_builder = stack_builders()
    say(f"direct: creating {STREAM} and {TABLE} in account {account.account_id}...")
    _, figures.direct_setup_seconds = timed(lambda: (stream_builder.create(account), table_builder.create(account)))
    shard_id = account.client("kinesis").list_shards(StreamName=STREAM)["Shards"][0]["ShardId"]

    say(f"direct: producing {n} readings with put_record...")
    began = time.perf_counter()
    cpu_began = time.process_time()
    # Created inside the timed part, as the functions' clients are created at their cold start.
    kinesis = account.client("kinesis")
    table = account.resource("dynamodb").Table(TABLE)  # the processor writes through a Table resource too
    for data in (reading for count, seed in producer_calls(n) for reading in sensor_readings(count, seed)):
        kinesis.put_record(StreamName=STREAM, Data=json.dumps(data), PartitionKey=data["sensorId"])
    figures.direct_produce_seconds = time.perf_counter() - began

    say("direct: reading the shard from TRIM_HORIZON in batches of 10 and writing rows...")
    iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    processed = 0
    while iterator and processed < n:
        response = kinesis.get_records(ShardIterator=iterator, Limit=10)
        if not response["Records"]:
            break  # nothing more to read: the count check below reports the shortfall
        for raw in response["Records"]:
            sequence = raw["SequenceNumber"]
            table.put_item(Item=processor_item(json.loads(raw["Data"]), sequence, f"{shard_id}:{sequence}"))
            processed += 1
        iterator = response.get("NextShardIterator")
    figures.direct_seconds = time.perf_counter() - began
    figures.direct_cpu_seconds = time.process_time() - cpu_began

    figures.direct_rows = count_rows(account.client("dynamodb"), TABLE)
    if figures.direct_rows != n:
        figures.problems.append(f"direct path: {figures.direct_rows} rows in {TABLE}, expected {n}")
    say(f"direct: {figures.direct_rows} rows in {TABLE} after {figures.direct_seconds:.2f} s")


# -- latency ----------------------------------------------------------------------------------------
def measure_latency(harness: Harness, label: str, samples: int, per_sample_timeout: float) -> LatencyRun:
    """put_record of one reading -> its row readable by a query, with the background poller as deployed."""
    kinesis = harness.client("kinesis")
    dynamodb = harness.client("dynamodb")
    run = LatencyRun(label, rows_before=count_rows(dynamodb, TABLE))
    say(f"latency ({label}): {samples} single readings, put_record -> row readable, {run.rows_before} rows...")
    pause = threading.Event()
    jitter = random.Random(SEED)
    prefix = uuid.uuid4().hex[:8]
    for i in range(samples):
        pause.wait(jitter.uniform(0, LATENCY_JITTER_SECONDS))
        sensor = f"latency-{prefix}-{i:05d}"
        body = json.dumps({"sensorId": sensor, "temperature": 70.0, "humidity": 50.0})
        began = time.perf_counter()
        kinesis.put_record(StreamName=STREAM, Data=body, PartitionKey=sensor)
        while True:
            asked = time.perf_counter()
            found = dynamodb.query(
                TableName=TABLE,
                KeyConditionExpression="sensorId = :s",
                ExpressionAttributeValues={":s": {"S": sensor}},
                Select="COUNT",
            )["Count"]
            answered = time.perf_counter()
            if found:
                run.latencies_ms.append((answered - began) * 1000)
                run.probe_ms.append((answered - asked) * 1000)
                break
            if answered - began > per_sample_timeout:
                run.misses += 1
                break
            pause.wait(0.001)
    return run


# -- output -----------------------------------------------------------------------------------------
def peak_rss_mib() -> float:
    """This process's peak resident set size in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def summary(figures: Figures) -> list[str]:
    """The final block of aligned figures."""
    n = figures.readings
    rows: list[tuple[str, str, str]] = []

    def add(label: str, value: str, note: str = "") -> None:
        rows.append((label, value, note))

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    add(
        "backend start (start_seconds)",
        f"{figures.start_seconds:.3f} s",
        f"target < {START_TARGET_SECONDS:g} s: {verdict(figures.start_seconds < START_TARGET_SECONDS)}",
    )
    add("first new_account()", f"{figures.first_account_seconds:.3f} s", "(the direct path's account)")
    add("Harness(backend)", f"{figures.harness_setup_seconds:.3f} s", "(its own new_account + Lambda API)")
    add("deploy stream-processing", f"{figures.deploy_seconds:.3f} s", "(LambdaLabRole, stream, table, mapping)")
    add("readings", f"{n}")
    add("harness: producer invocations", f"{figures.producer_seconds:.2f} s", figures.producer_error or "")
    add(
        "harness: produce + drain",
        f"{figures.harness_seconds:.2f} s",
        f"{figures.harness_batches} batches, {figures.harness_rows} rows",
    )
    harness_rate = n / figures.harness_seconds if figures.harness_seconds else 0.0
    add("harness: readings/s", f"{harness_rate:,.0f} /s", _telemetry_note(figures.telemetry != "off"))
    if figures.telemetry == "both":
        add(
            "harness, telemetry off",
            f"{figures.without_telemetry_seconds:.2f} s",
            f"{figures.without_telemetry_rows} rows (HARNESS_TELEMETRY=off)",
        )
    add("direct: put_record x N", f"{figures.direct_produce_seconds:.2f} s")
    add("direct: produce + read + write", f"{figures.direct_seconds:.2f} s", f"{figures.direct_rows} rows")
    direct_rate = n / figures.direct_seconds if figures.direct_seconds else 0.0
    add("direct: readings/s", f"{direct_rate:,.0f} /s")
    if len(figures.rounds) > 1:
        for number, (harness_seconds, direct_seconds, harness_cpu, direct_cpu) in enumerate(figures.rounds, 1):
            first = "harness first" if number % 2 else "direct first"
            add(
                f"round {number}: harness / direct",
                f"{harness_seconds / direct_seconds:.2f}",
                f"{harness_seconds:.2f} s / {direct_seconds:.2f} s; CPU {harness_cpu / direct_cpu:.2f} ({first})",
            )
    if figures.direct_seconds:
        ratio = figures.harness_seconds / figures.direct_seconds
        met = verdict(ratio <= RATIO_TARGET)
        label = "harness time / direct time" + (", telemetry on" if figures.telemetry != "off" else "")
        medians = f"medians of {len(figures.rounds)} rounds; " if len(figures.rounds) > 1 else ""
        add(label, f"{ratio:.2f}", f"{medians}target <= {RATIO_TARGET:g}: {met}")
        if figures.telemetry == "both" and figures.without_telemetry_seconds:
            off_ratio = figures.without_telemetry_seconds / figures.direct_seconds
            add("harness time / direct time, off", f"{off_ratio:.2f}", "logs and metrics switched off")
    if figures.direct_cpu_seconds:
        cpu = f"harness {figures.harness_cpu_seconds:.2f} s, direct {figures.direct_cpu_seconds:.2f} s"
        if figures.telemetry == "both":
            cpu += f", harness with telemetry off {figures.without_telemetry_cpu_seconds:.2f} s"
        add("CPU time / direct CPU time", f"{figures.harness_cpu_seconds / figures.direct_cpu_seconds:.2f}", cpu)
        if figures.telemetry == "both" and figures.without_telemetry_cpu_seconds:
            add(
                "CPU time / direct CPU time, off",
                f"{figures.without_telemetry_cpu_seconds / figures.direct_cpu_seconds:.2f}",
            )
    for run in figures.latency_runs:
        if not run.latencies_ms:
            continue
        lat = run.latencies_ms
        missed = f", {run.misses} missed" if run.misses else ""
        add(f"latency, {run.label}", f"{len(lat)}", f"samples, table held {run.rows_before} rows{missed}")
        add("  p50", f"{percentile(lat, 50):.1f} ms")
        add("  p95", f"{percentile(lat, 95):.1f} ms")
        add("  max", f"{max(lat):.1f} ms")
        add("  p50 of the finding query", f"{percentile(run.probe_ms, 50):.1f} ms", "(included above)")
    add("peak RSS", f"{figures.peak_rss_mib:.0f} MiB")
    add(
        "load average (1 min)",
        f"{figures.load_before:.2f}",
        f"at start; {figures.load_after:.2f} at end; {os.cpu_count()} CPUs (other work skews every figure)",
    )

    label_width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    lines = ["", "== stream processing benchmark (embedded backend) =="]
    for label, value, note in rows:
        line = f"{label:<{label_width}}  {value:>{value_width}}"
        lines.append(f"{line}  {note}".rstrip())
    lines.extend(f"PROBLEM: {problem}" for problem in figures.problems)
    return lines


def _telemetry_note(on: bool) -> str:
    return "logs and metrics to CloudWatch on" if on else "logs and metrics off"


def run_without_telemetry(backend: EmbeddedBackend, figures: Figures, drain_timeout: float) -> None:
    """The harness path once more on a harness with logs and metrics switched off."""
    say("harness (telemetry off): a second harness, logs and metrics off...")
    other = Harness(backend, telemetry=False)
    try:
        deployed = deploy_stack(other, Figures(readings=figures.readings))
        run = Figures(readings=figures.readings)
        run_harness(other, deployed, run, drain_timeout)
        figures.without_telemetry_seconds = run.harness_seconds
        figures.without_telemetry_rows = run.harness_rows
        figures.without_telemetry_cpu_seconds = run.harness_cpu_seconds
        figures.problems.extend(f"(telemetry off) {problem}" for problem in run.problems)
    finally:
        other.close()


def more_rounds(backend: EmbeddedBackend, figures: Figures, number: int, timeout: float, telemetry: bool) -> None:
    """One more round of both throughput paths, the direct one first in even rounds.

    Each path starts afresh, as in the first round: the direct path on a new account, the harness path on
    a new harness with the stack deployed anew, so neither reads a stream that earlier rounds filled.
    """
    say(f"round {number}: both throughput paths again ({'direct' if number % 2 == 0 else 'harness'} first)...")
    run = Figures(readings=figures.readings)
    account = backend.new_account()
    harness = Harness(backend, telemetry=telemetry)
    try:
        deployed = deploy_stack(harness, Figures(readings=figures.readings))

        def direct() -> None:
            with harness.paused():
                try:
                    run_direct(account, run)
                finally:
                    for builder in reversed(stack_builders()):
                        builder.delete(account)

        steps = [direct, lambda: run_harness(harness, deployed, run, timeout)]
        for step in steps if number % 2 == 0 else reversed(steps):
            step()
    finally:
        harness.close()
    figures.rounds.append((run.harness_seconds, run.direct_seconds, run.harness_cpu_seconds, run.direct_cpu_seconds))
    figures.problems.extend(f"(round {number}) {problem}" for problem in run.problems)


# -- main -------------------------------------------------------------------------------------------
def latency(harness: Harness, figures: Figures, label: str, samples: int) -> None:
    """One latency run, recorded in the figures."""
    run = measure_latency(harness, label, samples, per_sample_timeout=10.0)
    figures.latency_runs.append(run)
    if run.misses:
        figures.problems.append(f"latency ({label}): {run.misses} readings not stored within 10 s")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.stream_processing", description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=5000, help="readings per throughput path (default 5000)")
    parser.add_argument(
        "--latency-samples", type=int, default=200, help="single readings timed end to end (default 200)"
    )
    parser.add_argument(
        "--drain-timeout", type=float, default=None, help="seconds the harness path may take (default: scales with N)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="times each throughput path runs, alternating which goes first; medians compared (default 5)",
    )
    parser.add_argument(
        "--telemetry",
        choices=("on", "off", "both"),
        default="both",
        help="the harness path with logs and metrics in CloudWatch, without them, or both (default)",
    )
    args = parser.parse_args(argv)
    if args.readings < 1:
        parser.error(f"--readings must be at least 1, got {args.readings}")
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    if args.latency_samples < 0:
        parser.error(f"--latency-samples must not be negative, got {args.latency_samples}")
    return args


def cleanup(harness: Harness | None, direct_account: Account | None, backend: EmbeddedBackend) -> None:
    """Remove everything the run created; every step is tried, failures are printed, not raised."""
    steps: list[tuple[str, Callable[[], None]]] = []
    if harness is not None:
        steps.append(("closing the harness", harness.close))
    if direct_account is not None:
        for builder in reversed(stack_builders()):
            steps.append((f"deleting direct-path {builder.name}", lambda b=builder: b.delete(direct_account)))
    steps.append(("stopping the backend", backend.stop))
    for what, step in steps:
        try:
            step()
        except Exception as exc:
            say(f"cleanup: {what} failed: {type(exc).__name__}: {exc}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when rows went missing, never for timing."""
    args = parse_args(argv)
    figures = Figures(readings=args.readings, telemetry=args.telemetry)
    drain_timeout = args.drain_timeout or max(60.0, args.readings * 0.05)

    figures.load_before = os.getloadavg()[0]
    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    figures.start_seconds = backend.start_seconds
    harness: Harness | None = None
    direct_account: Account | None = None
    try:
        direct_account, figures.first_account_seconds = timed(backend.new_account)
        say(f"backend: {backend.describe()} up in {figures.start_seconds:.3f} s")

        telemetry_on = args.telemetry != "off"
        harness, figures.harness_setup_seconds = timed(lambda: Harness(backend, telemetry=telemetry_on))
        deployed = deploy_stack(harness, figures)
        if args.latency_samples:
            latency(harness, figures, "fresh table", args.latency_samples)
        run_harness(harness, deployed, figures, drain_timeout)
        # The harness's idle poller keeps calling get_records; hold it so the direct path runs alone.
        with harness.paused():
            run_direct(direct_account, figures)
        figures.rounds.append(
            (figures.harness_seconds, figures.direct_seconds, figures.harness_cpu_seconds, figures.direct_cpu_seconds)
        )
        with harness.paused():  # the first round's harness waits while the further rounds run
            for number in range(2, args.rounds + 1):
                more_rounds(backend, figures, number, drain_timeout, telemetry_on)
        if len(figures.rounds) > 1:
            medians = [statistics.median(run[i] for run in figures.rounds) for i in range(4)]
            figures.harness_seconds, figures.direct_seconds = medians[0], medians[1]
            figures.harness_cpu_seconds, figures.direct_cpu_seconds = medians[2], medians[3]
        with harness.paused():
            if args.telemetry == "both":
                run_without_telemetry(backend, figures, drain_timeout)
        if args.latency_samples:
            latency(harness, figures, "after throughput", args.latency_samples)
    finally:
        say("cleanup: closing the harness, deleting direct-path resources, stopping the backend...")
        cleanup(harness, direct_account, backend)
    figures.peak_rss_mib = peak_rss_mib()
    figures.load_after = os.getloadavg()[0]
    for line in summary(figures):
        print(line)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
