"""Pattern 8 benchmark: OrderPipeline executions in the harness against its three handlers called directly.

Runs, in one process and one run:
- the baseline: CheckInventory, ProcessPayment and ShipOrder's `lambda_handler` called in sequence;
- the same three functions through the harness's in-process Lambda runtime (`harness.invoke`);
- OrderPipeline executions one after another (`harness.states.run`), the in-stock path;
- OrderPipeline executions started together through boto3 (`StartExecution`) and drained.
Prints milliseconds per execution and the ratios; it never fails on timing.

Run:
    .venv/bin/python -m bench.orchestration [--executions 1000]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from harness.backends.embedded import EmbeddedBackend
from harness.core import Harness
from provisioning.stacks.orchestration import STATE_MACHINE, orchestration_stack

ORDER = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007", "inStock": True}
HANDLERS = ("check_inventory", "process_payment", "ship_order")
FUNCTIONS = ("CheckInventory", "ProcessPayment", "ShipOrder")


class _Context:
    function_name = "bench"
    aws_request_id = "bench"


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def per_run_ms(runs: int, action: Callable[[], Any]) -> float:
    """Run `action` `runs` times; milliseconds per run."""
    began = time.perf_counter()
    for _ in range(runs):
        action()
    return (time.perf_counter() - began) * 1000 / runs


def direct_pipeline() -> Callable[[], Any]:
    """The three handlers in sequence, each getting the previous one's result, as plain Python calls.

    Their prints go to a buffer, as the harness captures a function's prints into its log.
    """
    handlers = [importlib.import_module(f"handlers.orchestration.{name}").lambda_handler for name in HANDLERS]

    def run() -> Any:
        event: Any = dict(ORDER)
        with contextlib.redirect_stdout(io.StringIO()):
            for handler in handlers:
                event = handler(event, _Context())
        return event

    return run


def invoked_pipeline(harness: Harness) -> Callable[[], Any]:
    """The three functions in sequence through the harness's in-process Lambda runtime."""

    def run() -> Any:
        event: Any = dict(ORDER)
        for name in FUNCTIONS:
            event = harness.invoke(name, event).value()
        return event

    return run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.orchestration", description=__doc__.splitlines()[0])
    parser.add_argument("--executions", type=int, default=1000, help="executions per path (default 1000)")
    args = parser.parse_args(argv)
    if args.executions < 1:
        parser.error(f"--executions must be at least 1, got {args.executions}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 only when an execution did not succeed."""
    n = parse_args(argv).executions
    problems: list[str] = []
    say("backend: starting the embedded moto server...")
    backend = EmbeddedBackend().start()
    try:
        with Harness(backend) as harness:
            say("harness: deploying the orchestration stack...")
            machine = harness.deploy(orchestration_stack()).arn(STATE_MACHINE)
            expected = direct_pipeline()()
            for _ in range(20):  # warm up: cold starts, clients, the definition cache
                harness.states.run(machine, ORDER)
                invoked_pipeline(harness)()

            say(f"direct: {n} x three handlers called in sequence...")
            direct_ms = per_run_ms(n, direct_pipeline())
            say(f"invoke: {n} x three functions through harness.invoke...")
            invoke_ms = per_run_ms(n, invoked_pipeline(harness))

            say(f"backend: {n} x DescribeStateMachine (a machine's first start makes one)...")
            # A start describes its machine on the backend once; forgetting it measures that first describe.
            describe_ms = per_run_ms(
                n, lambda: (harness.states.forget(machine), harness.states.describe_state_machine(machine))
            )
            say(f"states: {n} OrderPipeline executions, one after another...")
            finished = []
            sequential_ms = per_run_ms(n, lambda: finished.append(harness.states.run(machine, ORDER)))
            wrong = [e for e in finished if e.status != "SUCCEEDED" or e.output != expected]
            if wrong:
                problems.append(f"{len(wrong)} sequential executions did not succeed with the direct path's output")

            say(f"states: {n} OrderPipeline executions started together through boto3, then drained...")
            sfn = harness.client("stepfunctions")
            began = time.perf_counter()
            arns = [
                sfn.start_execution(stateMachineArn=machine, input=json.dumps(ORDER))["executionArn"] for _ in range(n)
            ]
            harness.drain(timeout=max(60.0, n * 0.1))
            together_ms = (time.perf_counter() - began) * 1000 / n
            statuses = {harness.states.get(arn).status for arn in arns}
            if statuses != {"SUCCEEDED"}:
                problems.append(f"concurrent executions ended as {sorted(statuses)}")
    finally:
        backend.stop()

    rows = [
        ("handlers called directly (baseline)", f"{direct_ms:.3f} ms", ""),
        ("functions via harness.invoke", f"{invoke_ms:.3f} ms", f"{invoke_ms / direct_ms:,.0f}x baseline"),
        ("executions, one after another", f"{sequential_ms:.3f} ms", f"{sequential_ms / direct_ms:,.0f}x baseline"),
        ("", "", f"{sequential_ms / invoke_ms:.2f}x harness.invoke"),
        ("DescribeStateMachine", f"{describe_ms:.3f} ms", "at a machine's first start only"),
        ("executions started together + drain", f"{together_ms:.3f} ms", f"{together_ms / direct_ms:,.0f}x baseline"),
    ]
    print(f"\n== orchestration benchmark: {n} OrderPipeline executions (in-stock path, embedded backend) ==")
    print("per execution (three tasks):")
    for label, value, note in rows:
        print(f"  {label:<38} {value:>10}  {note}".rstrip())
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
