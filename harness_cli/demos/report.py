"""A running tally of demo checks, printed as they happen."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Report:
    """Prints one line per check and remembers which failed."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    passed: int = 0
    failed: list[str] = field(default_factory=list)

    def section(self, title: str) -> None:
        """Start a pattern's block of checks."""
        print(f"\n{title}", file=self.out, flush=True)

    def note(self, text: str) -> None:
        """Progress that is not a check."""
        print(f"  · {text}", file=self.out, flush=True)

    def check(self, description: str, ok: bool, detail: str = "") -> bool:
        """Record one verification; print it with its outcome."""
        mark = "✓" if ok else "✗"
        suffix = f" — {detail}" if detail else ""
        print(f"  {mark} {description}{suffix}", file=self.out, flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(description)
        return ok
