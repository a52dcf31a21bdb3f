"""Print how many conformance cases each family holds: `python -m tests.conformance.count`.

A case is one collected test of tests/conformance: a documented case (its family is the case's) or a
test of a module that names its FAMILY.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).parent


class _Families:
    """A pytest plugin that counts collected conformance tests by family."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            callspec = getattr(item, "callspec", None)
            case = callspec.params.get("case") if callspec is not None else None
            family = getattr(case, "family", None) or getattr(getattr(item, "module", None), "FAMILY", None)
            self.counts[family or "unassigned"] += 1


def family_counts() -> Counter[str]:
    """The number of conformance cases per family."""
    plugin = _Families()
    code = pytest.main(
        [str(HERE), "--collect-only", "-qq", "-p", "no:xdist", "-p", "no:cacheprovider"], plugins=[plugin]
    )
    if code not in (0, 5):
        raise SystemExit(f"collecting {HERE} failed (pytest exit code {code})")
    return plugin.counts


def main() -> None:
    """Print the table."""
    counts = family_counts()
    width = max(len(name) for name in counts)
    print(f"\n{'family'.ljust(width)}  cases", file=sys.stderr)
    for name in sorted(counts):
        print(f"{name.ljust(width)}  {counts[name]:5d}", file=sys.stderr)
    print(f"{'total'.ljust(width)}  {sum(counts.values()):5d}", file=sys.stderr)


if __name__ == "__main__":
    main()
