"""Command line: `demo` runs every pattern's verify steps; `serve` keeps the stacks up for exploration."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence

from harness.backends.base import Backend
from harness.backends.errors import BackendUnavailable
from harness.backends.guard import RealAwsRefused, check_ambient_credentials, isolate_from_user_config, opt_in
from harness.backends.select import BACKEND_VARIABLE, CHOICES, create_backend, select_backend
from harness.clock import WallClock
from harness.core import Harness
from harness.demos import DEMOS, Report
from provisioning.stacks import STACKS


def _backend_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--aws-backend", choices=CHOICES, default=None, help="data plane (default: auto)")
    parser.add_argument("--aws-endpoint", default=None, help="URL of a running emulator, e.g. http://127.0.0.1:4566")
    parser.add_argument("--allow-real-aws", action="store_true", help="allow an AWS endpoint or real credentials")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for `python -m harness`."""
    parser = argparse.ArgumentParser(prog="harness", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="provision and verify every pattern, then clean up")
    demo.add_argument(
        "patterns", nargs="*", choices=[[], *DEMOS], metavar="PATTERN", help=f"any of: {', '.join(DEMOS)}"
    )
    _backend_options(demo)
    serve = commands.add_parser("serve", help="deploy the stacks and serve the Lambda API until interrupted")
    serve.add_argument("--stack", action="append", choices=list(STACKS), help="stacks to deploy (default: all)")
    serve.add_argument("--bind", default="127.0.0.1", help="address of the Lambda API (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=int, default=9001, help="port of the Lambda API; Step Functions and Scheduler take the next two"
    )
    serve.add_argument(
        "--account", default=None, help="12-digit account to deploy into (default: the one any credentials reach)"
    )
    _backend_options(serve)
    return parser


def _start_backend(args: argparse.Namespace, default: str | None = None) -> Backend:
    if args.allow_real_aws:
        opt_in()
    check_ambient_credentials(allow_real_aws=args.allow_real_aws)
    # The user's choice (flag, HARNESS_BACKEND, an endpoint) wins over the command's own default.
    chosen = any(
        (args.aws_backend, os.environ.get(BACKEND_VARIABLE), args.aws_endpoint, os.environ.get("AWS_ENDPOINT_URL"))
    )
    requested = args.aws_backend if chosen else default
    selection = select_backend(requested, args.aws_endpoint, allow_real_aws=args.allow_real_aws)
    isolate_from_user_config()
    began = time.perf_counter()
    backend = create_backend(selection, allow_real_aws=args.allow_real_aws)
    reason = selection.reason if chosen or not default else f"{default} by default"
    print(f"backend: {backend.describe()} [{reason}], ready in {time.perf_counter() - began:.2f} s")
    return backend


def run_demo(args: argparse.Namespace) -> int:
    """Run the chosen demos (all by default); exit status 1 if any check failed."""
    began = time.perf_counter()
    backend = _start_backend(args, default="embedded")
    report = Report()
    try:
        for key in args.patterns or list(DEMOS):
            title, demo = DEMOS[key]
            report.section(title)
            with Harness(backend) as harness:
                try:
                    demo(harness, report)
                except Exception as exc:  # a crashed demo is a failed check, and the others still run
                    report.check(f"{title} ran to the end", False, f"{type(exc).__name__}: {exc}")
    finally:
        backend.stop()
    elapsed = time.perf_counter() - began
    if report.failed:
        print(f"\n{len(report.failed)} of {report.passed + len(report.failed)} checks FAILED in {elapsed:.1f} s")
        return 1
    print(f"\nall {report.passed} checks passed in {elapsed:.1f} s; every resource was removed")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Deploy stacks against the backend and keep delivering events in real time until interrupted."""
    backend = _start_backend(args)
    clock = WallClock()
    # The account that plain `aws --endpoint-url ...` calls land in: moto's default, or LocalStack's.
    account_id = args.account or ("123456789012" if backend.name == "embedded" else "000000000000")
    harness = Harness(
        backend, account=backend.new_account(account_id), clock=clock, lambda_host=args.bind, lambda_port=args.port
    )
    stopped = threading.Event()
    # Both signals only ask to stop, so a second Ctrl-C cannot interrupt the clean-up.
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    try:
        for name in args.stack or list(STACKS):
            harness.deploy(STACKS[name](), progress=lambda text: print(f"  {text}"))
            print(f"deployed {name}")
        print(f"Lambda API: {harness.lambda_api.url} (bound to {args.bind}:{harness.lambda_api.port})")
        print(f"  aws --endpoint-url {harness.lambda_api.url} lambda list-functions")
        print(f"  aws --endpoint-url {backend.endpoint_url} dynamodb list-tables")
        print(f"Step Functions API: {harness.states.api.url}")
        print(f"  aws --endpoint-url {harness.states.api.url} stepfunctions list-state-machines")
        print(f"Scheduler API: {harness.scheduler.api.url} (schedules run in real time)")
        print(f"  aws --endpoint-url {harness.scheduler.api.url} scheduler list-schedules")
        print("serving; Ctrl-C to stop and remove everything", flush=True)
        # Wake up now and then: a signal another thread received only runs its handler on the main thread.
        while not stopped.wait(0.5):
            pass
    finally:
        print("removing stacks")
        harness.close()
        backend.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m harness` and the `harness` script."""
    args = build_parser().parse_args(argv)
    try:
        return run_demo(args) if args.command == "demo" else run_serve(args)
    except (RealAwsRefused, ValueError) as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 2
    except BackendUnavailable as exc:
        print(f"harness: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
