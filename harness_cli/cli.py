"""Command line: `demo` runs every pattern's verify steps; `serve` keeps the stacks up for exploration."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from harness.backends.base import Backend
from harness.backends.errors import BackendUnavailable
from harness.backends.guard import RealAwsRefused, check_ambient_credentials, isolate_from_user_config, opt_in
from harness.backends.select import BACKEND_VARIABLE, CHOICES, create_backend, select_backend
from harness.clock import WallClock
from harness.core import Harness
from harness.served.console import CONSOLE_PATH, write_report
from harness_cli.demos import DEMOS, Report, resolve_pattern
from harness_cli.demos.registry import in_pattern_order
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
    demo.add_argument("patterns", nargs="*", type=_pattern_key, metavar="PATTERN", help=f"any of: {', '.join(DEMOS)}")
    demo.add_argument(
        "--pattern",
        action="append",
        type=_pattern_key,
        default=[],
        metavar="N",
        help="run one pattern, by number (7) or name (stream-processing); repeat for more",
    )
    demo.add_argument("--report", metavar="PATH", help="write a timeline report (one HTML file) of every pattern run")
    _backend_options(demo)
    serve = commands.add_parser("serve", help="deploy the stacks and serve every AWS API on one endpoint")
    serve.add_argument("--stack", action="append", choices=list(STACKS), help="stacks to deploy (default: all)")
    serve.add_argument("--no-stacks", action="store_true", help="deploy nothing: an empty account to build in")
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4566, help="port of the one endpoint (default 4566; 0 picks one)")
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


def _pattern_key(text: str) -> str:
    try:
        return resolve_pattern(text, DEMOS)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_demo(args: argparse.Namespace) -> int:
    """Run the chosen demos (all by default) with a summary table; exit status 1 if any check failed."""
    began = time.perf_counter()
    keys = in_pattern_order([*args.patterns, *args.pattern] or list(DEMOS), DEMOS)
    backend = _start_backend(args, default="embedded")
    report = Report()
    runs: list[dict[str, Any]] = []
    try:
        for number, key in enumerate(keys, 1):
            title, demo = DEMOS[key]
            report.section(title, f"{number}/{len(keys)}")
            started = time.perf_counter()
            with Harness(backend) as harness:
                try:
                    demo(harness, report)
                except Exception as exc:  # a crashed demo is a failed check, and the others still run
                    report.check(f"{title} ran to the end", False, f"{type(exc).__name__}: {exc}")
                if args.report:
                    runs.append(_demo_run(title, report, harness, time.perf_counter() - started))
    finally:
        backend.stop()
    elapsed = time.perf_counter() - began
    print(f"\n{report.summary()}")
    if args.report:
        print(f"\ntimeline report: {write_report(args.report, runs, 'Harness demo: timeline report')}")
    if report.failed:
        print(f"\n{len(report.failed)} of {report.passed + len(report.failed)} checks FAILED in {elapsed:.1f} s:")
        for failure in report.failed:
            print(f"  ✗ {failure}")
        return 1
    print(f"\nall {report.passed} checks passed in {elapsed:.1f} s; every resource was removed")
    return 0


def _demo_run(title: str, report: Report, harness: Harness, seconds: float) -> dict[str, Any]:
    """One pattern's part of the timeline report: its checks and everything that happened."""
    checks = report.checks_of(title)
    return {
        "name": title,
        "outcome": "passed" if checks and all(c.ok for c in checks) else "failed",
        "duration": seconds,
        "checks": [{"description": c.step, "ok": c.ok, "detail": c.detail} for c in checks],
        "snapshot": harness.snapshot(),
    }


def checked_account_id(requested: str | None) -> str | None:
    """The --account given, if it is a 12-digit account id (ValueError naming it otherwise)."""
    if requested is not None and not (requested.isdigit() and len(requested) == 12):
        raise ValueError(f"--account {requested!r} is not a 12-digit AWS account id")
    return requested


def default_account_id(backend: Backend) -> str:
    """The account that any credentials reach on a backend: moto's default, or LocalStack's."""
    return "123456789012" if backend.name == "embedded" else "000000000000"


def run_serve(args: argparse.Namespace) -> int:
    """Deploy stacks against the backend and answer every AWS API on one endpoint, in real time, until stopped."""
    requested = checked_account_id(args.account)
    backend = _start_backend(args)
    clock = WallClock()
    account = backend.new_account(requested or default_account_id(backend))
    try:
        harness = Harness(backend, account=account, clock=clock, host=args.bind, port=args.port)
    except OSError as exc:
        backend.stop()
        raise BackendUnavailable(f"{exc}; pick another with --port") from None
    harness.observability.console()  # every invocation's log lines, and failing mappings, as they happen
    stopped = threading.Event()
    # Both signals only ask to stop, so a second Ctrl-C cannot interrupt the clean-up.
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    try:
        stacks = [] if args.no_stacks else (args.stack or list(STACKS))
        for name in stacks:
            harness.deploy(STACKS[name](), progress=lambda text: print(f"  {text}"))
            print(f"deployed {name}")
        url = harness.endpoint_url
        print(f"endpoint: {url} (bound to {args.bind}:{harness.server.port}), account {account.account_id}")
        print("  every service answers here; in a shell:")
        print(
            f"  export AWS_ENDPOINT_URL={url} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test "
            f"AWS_DEFAULT_REGION={account.region}"
        )
        print("  aws lambda list-functions")
        print(f"  health: {url}/_harness/health")
        print(f"  console: {url}{CONSOLE_PATH} (open it in a browser: it follows the run as it goes)")
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
