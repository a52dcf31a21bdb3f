"""What the timeline costs: pattern 7's producer with the recorder attached and detached, and a snapshot's size.

In the same run and on the same harness: M invocations of SensorProducer (each puts N readings, every
`put_record` noted as a write), first with the timeline attached, then detached (the baseline); then the
time to build the console's snapshot of a full timeline and its size in bytes. Prints figures; never fails
on timing.

Run:
    .venv/bin/python -m bench.timeline [--invocations 40] [--readings 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from provisioning.stacks import stream_processing_stack


def timed_invocations(harness: Harness, count: int, readings: int) -> list[float]:
    """Milliseconds of each SensorProducer invocation."""
    samples = []
    for seed in range(count):
        began = time.perf_counter()
        harness.invoke("SensorProducer", {"count": readings, "seed": seed}).value()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invocations", type=int, default=40)
    parser.add_argument("--readings", type=int, default=10)
    args = parser.parse_args()
    backend = EmbeddedBackend().start()
    try:
        with Harness(backend) as harness:
            harness.deploy(stream_processing_stack())
            with harness.paused():  # the producer alone: the processor waits
                timed_invocations(harness, 3, args.readings)  # warm: cold start, clients
                recorded = timed_invocations(harness, args.invocations, args.readings)
                happenings = len(harness.timeline)
                harness.timeline.detach()
                baseline = timed_invocations(harness, args.invocations, args.readings)
                harness.timeline.attach()
            harness.drain(timeout=300)
            began = time.perf_counter()
            harness.snapshot()  # the first one also makes the backend's first calls of this process
            first_ms = (time.perf_counter() - began) * 1000
            began = time.perf_counter()
            snapshot = harness.snapshot()
            build_ms = (time.perf_counter() - began) * 1000
            size = len(json.dumps(snapshot))
            total = len(snapshot["timeline"])
    finally:
        backend.stop()
    median_recorded, median_baseline = statistics.median(recorded), statistics.median(baseline)
    print(f"SensorProducer x{args.invocations}, {args.readings} put_record each")
    print(f"  with the timeline:    median {median_recorded:7.2f} ms per invocation ({happenings} happenings)")
    print(f"  without (baseline):   median {median_baseline:7.2f} ms per invocation")
    print(f"  difference:           {median_recorded - median_baseline:+7.2f} ms per invocation")
    print(f"snapshot of {total} happenings: built in {build_ms:.1f} ms ({first_ms:.0f} ms the first time), ", end="")
    print(f"{size / 1024:.0f} KiB of JSON")


if __name__ == "__main__":
    main()
