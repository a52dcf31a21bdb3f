"""A running tally of demo checks: printed as they happen, timed, and summed up in a table at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass(frozen=True)
class CheckResult:
    """One verify step of one pattern and how it went."""

    pattern: str
    step: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class Report:
    """Prints one line per check, remembers each result, and prints the summary table."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    results: list[CheckResult] = field(default_factory=list)
    pattern: str = ""
    _mark: float = field(default_factory=time.perf_counter)

    def section(self, title: str, progress: str = "") -> None:
        """Start a pattern's block of checks (`progress` such as `2/9` is shown before it)."""
        self.pattern = title
        self._mark = time.perf_counter()
        print(f"\n{f'[{progress}] ' if progress else ''}{title}", file=self.out, flush=True)

    def note(self, text: str) -> None:
        """Progress that is not a check."""
        print(f"  · {text}", file=self.out, flush=True)

    def check(self, description: str, ok: bool, detail: str = "") -> bool:
        """Record one verification; print it with its outcome and the time it took."""
        now = time.perf_counter()
        seconds, self._mark = now - self._mark, now
        mark = "✓" if ok else "✗"
        suffix = f" — {detail}" if detail else ""
        print(f"  {mark} {description}{suffix} ({seconds:.2f} s)", file=self.out, flush=True)
        self.results.append(CheckResult(self.pattern, description, ok, detail, seconds))
        if ok:
            self.passed += 1
        else:
            self.failed.append(f"{self.pattern}: {description}{suffix}")
        return ok

    def checks_of(self, pattern: str) -> list[CheckResult]:
        """The results of one pattern's checks."""
        return [result for result in self.results if result.pattern == pattern]

    def summary(self) -> str:
        """The table of every check: pattern, verify step, result, time."""
        rows = [("Pattern", "Verify step", "Result", "Time")]
        rows += [(r.pattern, r.step, "pass" if r.ok else "FAIL", f"{r.seconds:.2f} s") for r in self.results]
        widths = [min(max(len(row[i]) for row in rows), 70) for i in range(4)]
        lines = []
        for n, row in enumerate(rows):
            cells = [_fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row)]
            lines.append("  ".join(cells).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
