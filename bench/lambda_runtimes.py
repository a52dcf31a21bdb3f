"""Cold and warm invocation of one handler: a plain Python call, the in-process runtime, the process runtime.

Two handlers: `echo` (returns its event) and `boto3` (creates a boto3 client at module level, as most
seed handlers do, so its cold start pays for importing boto3). Needs no backend. Prints figures; it
never fails on timing.

Run:
    .venv/bin/python -m bench.lambda_runtimes [--warm 300] [--cold 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness.functions.context import LambdaContext
from harness.functions.process_runtime import ProcessRuntime
from harness.functions.runtime import FunctionRuntime
from harness.functions.spec import FunctionSpec

HANDLERS = {
    "echo": "def lambda_handler(event, context):\n    return {'echo': event}\n",
    "boto3": (
        "import boto3\n"
        "client = boto3.client('dynamodb', region_name='us-east-1', endpoint_url='http://127.0.0.1:1',\n"
        "                      aws_access_key_id='x', aws_secret_access_key='x')\n"
        "def lambda_handler(event, context):\n"
        "    return {'echo': event, 'service': client.meta.service_model.service_name}\n"
    ),
}
EVENT = {"orderId": "o-1", "items": [{"sku": "A", "qty": 2}], "total": 19.5}
ENVIRONMENT = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1"}


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(call: Callable[[], Any]) -> float:
    """Milliseconds one call takes."""
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def plain(module_name: str, warm: int, cold: int) -> tuple[list[float], list[float]]:
    """The handler called directly: cold is import + call, warm is the call alone."""
    context = LambdaContext("Bench", "arn", "id", 128, 3)
    colds = []
    for _ in range(cold):
        sys.modules.pop(module_name, None)
        sys.modules.pop("boto3", None)  # boto3's own submodules stay cached, as they would in-process
        colds.append(timed(lambda: __import__(module_name).lambda_handler(EVENT, context)))
    handler = __import__(module_name).lambda_handler
    return colds, [timed(lambda: handler(EVENT, context)) for _ in range(warm)]


def runtime_figures(
    runtime: FunctionRuntime | ProcessRuntime, warm: int, cold: int
) -> tuple[list[float], list[float], list[float]]:
    """Cold invocations (after reset), warm ones, and the Init Durations the process runtime reported."""
    colds, inits = [], []
    for _ in range(cold):
        runtime.reset()
        began = time.perf_counter()
        result = runtime.invoke(EVENT)
        colds.append((time.perf_counter() - began) * 1000)
        assert result.ok, result.error
        if result.log.init_duration_ms is not None:
            inits.append(result.log.init_duration_ms)
    warms = [timed(lambda: runtime.invoke(EVENT)) for _ in range(warm)]
    return colds, warms, inits


def row(label: str, colds: list[float], warms: list[float], extra: str = "") -> str:
    """One line of the table."""
    cold50, cold95 = percentiles(colds)
    warm50, warm95 = percentiles(warms)
    cold = f"cold p50 {cold50:8.2f} ms  p95 {cold95:8.2f} ms"
    return f"  {label:<22} {cold}   warm p50 {warm50:7.3f} ms  p95 {warm95:7.3f} ms{extra}"


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=300, help="warm invocations per runtime (default 300)")
    parser.add_argument("--cold", type=int, default=15, help="cold starts per runtime (default 15)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-lambda-") as root:
        sys.path.insert(0, root)
        python = sys.version.split()[0]
        print(f"Lambda runtimes: {args.cold} cold starts and {args.warm} warm invocations each, Python {python}")
        for name, source in HANDLERS.items():
            module = f"bench_handler_{name}"
            Path(root, f"{module}.py").write_text(source)
            print(f"handler '{name}':")
            colds, warms = plain(module, args.warm, args.cold)
            print(row("plain Python call", colds, warms))
            spec = FunctionSpec("Bench", f"{module}.lambda_handler")
            in_process = FunctionRuntime(
                spec, "arn:aws:lambda:us-east-1:123456789012:function:Bench", dict(ENVIRONMENT)
            )
            colds, warms, _ = runtime_figures(in_process, args.warm, args.cold)
            print(row("in-process runtime", colds, warms))
            spec = FunctionSpec("Bench", f"{module}.lambda_handler", runtime_mode="process", code_path=root)
            process = ProcessRuntime(spec, "arn:aws:lambda:us-east-1:123456789012:function:Bench", dict(ENVIRONMENT))
            try:
                colds, warms, inits = runtime_figures(process, args.warm, args.cold)
                memory = process.logs.invocations[-1].max_memory_used_mb
                extra = f"   Init Duration p50 {statistics.median(inits):.1f} ms, Max Memory Used {memory} MB"
                print(row("process runtime", colds, warms, extra))
            finally:
                process.close()
        sys.path.remove(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
