"""The whole test suite's wall time now, next to an earlier commit's, run alternately on this machine.

The earlier commit is checked out into a temporary git worktree and its suite runs with this project's
virtual environment (its code first on the path), so both runs share the same dependencies; rounds
alternate before / now so that a change in the machine's load touches both. Prints each run and the
ratio of the medians; never fails on timing.

Run:
    .venv/bin/python -m bench.suite_wall_time [--before daff150] [--rounds 1] [-- extra pytest arguments]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The last commit before direct event routes, keyed wake-ups, shared clients and cheaper botocore sessions
# (the moto speed-ups and the kept state machines came before it; bench.backend_calls measures those).
DEFAULT_BEFORE = "daff150"


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def run_suite(tree: Path, extra: list[str]) -> tuple[float, str]:
    """Run the suite of `tree` with this interpreter; return the wall time and pytest's summary line."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CI": os.environ.get("CI", "true")}
    command = [sys.executable, "-m", "pytest", "-q", "-n", "auto", "-p", "no:cacheprovider", *extra]
    began = time.perf_counter()
    finished = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    summary = next(
        (line for line in reversed(finished.stdout.splitlines()) if re.search(r"\d+ (passed|failed)", line)),
        f"pytest exited with {finished.returncode}",
    )
    return elapsed, summary.strip("= ")


def main(argv: list[str] | None = None) -> int:
    """Alternate the earlier commit's suite and today's, and print both wall times."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=DEFAULT_BEFORE, help=f"the earlier commit (default {DEFAULT_BEFORE})")
    parser.add_argument("--rounds", type=int, default=1, help="before/now pairs to run (default 1)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments, after --")
    args = parser.parse_args(argv)
    if shutil.which("git") is None:
        print("git is needed to check out the earlier commit", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="suite-before-"))
    tree = scratch / "tree"
    made = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.before],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        print(f"cannot check out {args.before}: {made.stderr.strip()}", file=sys.stderr)
        return 2
    rows: dict[str, list[float]] = {"before": [], "now": []}
    try:
        for round_number in range(1, args.rounds + 1):
            for label, where in (("before", tree), ("now", ROOT)):
                say(f"round {round_number}/{args.rounds}: the suite {label} ({where})...")
                elapsed, summary = run_suite(where, args.pytest_args)
                rows[label].append(elapsed)
                say(f"  {elapsed:7.1f} s  {summary}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    before, now = statistics.median(rows["before"]), statistics.median(rows["now"])
    load = os.getloadavg()[0]
    print(f"\n== whole suite, wall time (median of {args.rounds}; load average {load:.1f} at the end) ==")
    print(f"before ({args.before})  {before:7.1f} s")
    print(f"now              {now:7.1f} s   {now / before:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
