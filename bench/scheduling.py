"""Pattern 10 benchmark: 24 simulated hours of HealthCheckEvery5Min (rate(5 minutes), 288 runs).

Advances the harness's virtual clock by 24 hours and times it, then, in the same run and on the same
function, times the same number of invocations made directly: synchronously, and asynchronously (Event,
as a schedule invokes) each followed by a drain. Prints figures; it never fails on timing.

Run:
    .venv/bin/python -m bench.scheduling [--hours 24]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from provisioning.stacks.scheduled_automation import FUNCTION, SCHEDULE, scheduled_automation_stack

RUNS_PER_HOUR = 12  # rate(5 minutes)


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run `action`; return its value and the seconds it took."""
    began = time.perf_counter()
    value = action()
    return value, time.perf_counter() - began


def simulate(harness: Harness, hours: int) -> tuple[int, int, float]:
    """Advance the clock by `hours`; return the runs, the invocations and the wall seconds it took."""
    invocations_before = len(harness.logs(FUNCTION).invocations)
    runs_before = len(harness.scheduler.runs(SCHEDULE))
    _, seconds = timed(lambda: harness.advance(hours=hours))
    runs = harness.scheduler.runs(SCHEDULE)[runs_before:]
    problems = [run for run in runs if run.status != "delivered"]
    if problems:
        say(f"PROBLEM: {len(problems)} runs were not delivered, e.g. {problems[0]}")
    return len(runs), len(harness.logs(FUNCTION).invocations) - invocations_before, seconds


def direct_invocations(harness: Harness, count: int) -> float:
    """Seconds for `count` synchronous invocations of the same function."""
    began = time.perf_counter()
    for _ in range(count):
        harness.invoke(FUNCTION).value()
    return time.perf_counter() - began


def async_invocations(harness: Harness, count: int) -> float:
    """Seconds for `count` asynchronous invocations, each drained before the next (as the clock does)."""
    began = time.perf_counter()
    for _ in range(count):
        harness.invoke_async(FUNCTION)
        harness.drain()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when a run went missing, never for timing."""
    parser = argparse.ArgumentParser(prog="python -m bench.scheduling", description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=24, help="simulated hours (default 24)")
    args = parser.parse_args(argv)
    if args.hours < 1:
        parser.error(f"--hours must be at least 1, got {args.hours}")
    expected = args.hours * RUNS_PER_HOUR

    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    try:
        with Harness(backend) as harness:
            _, deploy_seconds = timed(lambda: harness.deploy(scheduled_automation_stack()))
            harness.invoke(FUNCTION).value()  # the cold start, outside every measurement
            say(f"harness: simulating {args.hours} hours of {SCHEDULE} on the virtual clock...")
            runs, invocations, simulated = simulate(harness, args.hours)
            say(f"baseline: {expected} direct synchronous invocations of {FUNCTION}...")
            direct = direct_invocations(harness, expected)
            say(f"baseline: {expected} asynchronous invocations, each drained...")
            drained = async_invocations(harness, expected)
    finally:
        backend.stop()

    rows = [
        ("deploy scheduled-automation", f"{deploy_seconds:.3f} s", ""),
        (f"simulated {args.hours} h of rate(5 minutes)", f"{simulated:.3f} s", f"{runs} runs, {invocations} calls"),
        ("  per run", f"{simulated / max(runs, 1) * 1000:.2f} ms", ""),
        (f"baseline: {expected} direct invocations", f"{direct:.3f} s", "synchronous, in-process"),
        ("  per invocation", f"{direct / expected * 1000:.2f} ms", ""),
        (f"baseline: {expected} async invocations + drain", f"{drained:.3f} s", "invoke_async, then drain()"),
        ("  per invocation", f"{drained / expected * 1000:.2f} ms", ""),
        ("simulated time / direct time", f"{simulated / direct:.2f}", ""),
        ("simulated hours per wall second", f"{args.hours / simulated:,.0f}", ""),
    ]
    label_width = max(len(label) for label, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    print(f"\n== scheduling benchmark (embedded backend, {args.hours} simulated hours) ==")
    for label, value, note in rows:
        print(f"{label:<{label_width}}  {value:>{value_width}}  {note}".rstrip())
    if runs != expected or invocations != expected:
        print(f"PROBLEM: expected {expected} runs and invocations, got {runs} runs and {invocations} invocations")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
