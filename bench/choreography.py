"""Pattern 9 benchmark: OrderPublisher -> PaymentService -> FulfillmentService -> NotificationService.

Measures the chain's latency (publish to the notification's log line) through the harness, order by
order, and compares it with the raw cost of the same hops on the same embedded backend in the same run:
three put_events calls, each followed by receiving the event from an SQS queue the rule targets, with
no functions at all. Also times a burst of orders drained at once. Prints figures; never fails on timing.

Run:
    .venv/bin/python -m bench.choreography [--orders 200] [--burst 200]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.backends.base import Account
from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from provisioning.builders.events import EventBus
from provisioning.builders.sqs import Queue
from provisioning.stacks.choreography import BUS, RULES, choreography_stack

# What each service publishes next, as (source, detail-type); the last service publishes nothing.
HOPS = [
    ("ecommerce.orders", "OrderPlaced"),
    ("ecommerce.payments", "PaymentProcessed"),
    ("ecommerce.fulfillment", "OrderShipped"),
]


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` every half millisecond; False on timeout."""
    pause = threading.Event()
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            return False
        pause.wait(0.0005)
    return True


@dataclass
class Figures:
    """Everything the summary prints."""

    orders: int
    burst: int
    start_seconds: float = 0.0
    deploy_seconds: float = 0.0
    harness_ms: list[float] = field(default_factory=list)
    drained_ms: list[float] = field(default_factory=list)
    raw_ms: list[float] = field(default_factory=list)
    burst_seconds: float = 0.0
    burst_notified: int = 0
    problems: list[str] = field(default_factory=list)


def measure_harness(harness: Harness, figures: Figures, timeout: float) -> None:
    """Publish orders one at a time; each ends when NotificationService has logged it."""
    notifications = harness.logs("NotificationService")
    say(f"harness: {figures.orders} orders, background delivery, publish -> [NOTIFY] line...")
    for _ in range(figures.orders):
        seen = len(notifications.lines)
        began = time.perf_counter()
        harness.invoke("OrderPublisher", {"amount": 75.00, "customerId": "cust-042"}).value()
        if wait_until(lambda seen=seen: len(notifications.lines) > seen, timeout):
            figures.harness_ms.append((time.perf_counter() - began) * 1000)
        else:
            figures.problems.append(f"harness: an order was not notified within {timeout} s")
    say(f"harness: {figures.orders} orders, publish then harness.drain()...")
    for _ in range(figures.orders):
        seen = len(notifications.lines)
        began = time.perf_counter()
        harness.invoke("OrderPublisher", {"amount": 75.00, "customerId": "cust-042"}).value()
        harness.drain(timeout=timeout)
        figures.drained_ms.append((time.perf_counter() - began) * 1000)
        if len(notifications.lines) != seen + 1:
            figures.problems.append("harness: drain returned before the notification")


def measure_burst(harness: Harness, figures: Figures, timeout: float) -> None:
    """Publish a burst of orders, then drain until every one is notified."""
    notifications = harness.logs("NotificationService")
    seen = len(notifications.lines)
    say(f"burst: {figures.burst} orders published back to back, then drain...")
    began = time.perf_counter()
    for _ in range(figures.burst):
        harness.invoke("OrderPublisher", {"amount": 1.00}).value()
    harness.drain(timeout=timeout)
    figures.burst_seconds = time.perf_counter() - began
    figures.burst_notified = len(notifications.lines) - seen
    if figures.burst_notified != figures.burst:
        figures.problems.append(f"burst: {figures.burst_notified} of {figures.burst} orders notified")


def measure_raw(account: Account, figures: Figures, timeout: float) -> None:
    """The same three put_events and three receives on the backend, with SQS queues as the rule targets."""
    say(f"raw: creating {BUS} with the seed's three rules targeting SQS queues in account {account.account_id}...")
    EventBus(BUS).create(account)
    events = account.client("events")
    sqs = account.client("sqs")
    urls = []
    for name, source, detail_type, _ in RULES:
        queue = Queue(f"raw-{name}").create(account)
        urls.append(queue["url"])
        pattern = json.dumps({"source": [source], "detail-type": [detail_type]})
        events.put_rule(Name=name, EventBusName=BUS, EventPattern=pattern)
        events.put_targets(Rule=name, EventBusName=BUS, Targets=[{"Id": "queue", "Arn": queue["arn"]}])
    say(f"raw: {figures.orders} orders, put_events -> receive_message, three hops each...")
    for _ in range(figures.orders):
        order_id = f"ORD-{uuid.uuid4().hex[:6].upper()}"
        began = time.perf_counter()
        for (source, detail_type), url in zip(HOPS, urls, strict=True):
            events.put_events(
                Entries=[
                    {
                        "Source": source,
                        "DetailType": detail_type,
                        "Detail": json.dumps({"orderId": order_id}),
                        "EventBusName": BUS,
                    }
                ]
            )
            messages: list[dict[str, Any]] = []

            def received(url: str = url, messages: list[dict[str, Any]] = messages) -> bool:
                messages.extend(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", []))
                return bool(messages)

            if not wait_until(received, timeout):
                figures.problems.append(f"raw: {detail_type} never reached its queue")
                break
            sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        figures.raw_ms.append((time.perf_counter() - began) * 1000)
    for name, *_ in RULES:
        events.remove_targets(Rule=name, EventBusName=BUS, Ids=["queue"])
        events.delete_rule(Name=name, EventBusName=BUS)
        Queue(f"raw-{name}").delete(account)
    EventBus(BUS).delete(account)


def summary(figures: Figures) -> list[str]:
    """The final block of aligned figures."""
    rows: list[tuple[str, str, str]] = [
        ("backend start", f"{figures.start_seconds:.3f} s", ""),
        ("deploy choreography stack", f"{figures.deploy_seconds:.3f} s", "bus, 4 functions, 3 rules + plumbing"),
    ]
    for label, values in (
        ("harness, background delivery", figures.harness_ms),
        ("harness, publish + drain()", figures.drained_ms),
        ("raw backend, no functions", figures.raw_ms),
    ):
        if values:
            rows.append((f"{label}: p50", f"{percentile(values, 50):.1f} ms", f"{len(values)} orders"))
            rows.append((f"{label}: p95", f"{percentile(values, 95):.1f} ms", f"max {max(values):.1f} ms"))
    if figures.harness_ms and figures.raw_ms:
        ratio = percentile(figures.harness_ms, 50) / percentile(figures.raw_ms, 50)
        rows.append(("harness p50 / raw p50", f"{ratio:.2f}", "the harness's cost over the emulator's own"))
    if figures.burst:
        rate = figures.burst_notified / figures.burst_seconds if figures.burst_seconds else 0.0
        rows.append(
            (
                "burst: publish + drain",
                f"{figures.burst_seconds:.2f} s",
                f"{figures.burst_notified}/{figures.burst} notified, {rate:,.0f} chains/s",
            )
        )
    width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    lines = ["", "== choreography benchmark (embedded backend) =="]
    lines += [f"{label:<{width}}  {value:>{value_width}}  {note}".rstrip() for label, value, note in rows]
    lines += [f"PROBLEM: {problem}" for problem in figures.problems]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.choreography", description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200, help="orders timed one by one per path (default 200)")
    parser.add_argument("--burst", type=int, default=200, help="orders published at once, then drained (default 200)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one chain may take (default 30)")
    args = parser.parse_args(argv)
    if args.orders < 1:
        parser.error(f"--orders must be at least 1, got {args.orders}")
    if args.burst < 0:
        parser.error(f"--burst must not be negative, got {args.burst}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when a chain went missing, never for timing."""
    args = parse_args(argv)
    figures = Figures(orders=args.orders, burst=args.burst)
    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    figures.start_seconds = backend.start_seconds
    harness: Harness | None = None
    try:
        raw_account = backend.new_account()
        harness = Harness(backend)
        say("harness: deploying the choreography stack...")
        began = time.perf_counter()
        harness.deploy(choreography_stack())
        figures.deploy_seconds = time.perf_counter() - began
        measure_harness(harness, figures, args.timeout)
        if args.burst:
            measure_burst(harness, figures, args.timeout * 10)
        measure_raw(raw_account, figures, args.timeout)
    finally:
        say("cleanup: closing the harness and stopping the backend...")
        try:
            if harness is not None:
                harness.close()
        finally:
            backend.stop()
    for line in summary(figures):
        print(line)
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
