"""The conformance corpus: cases written from AWS's documentation, each with its documented result.

Every case names its family and the documentation page it comes from. `python -m tests.conformance.count`
prints how many cases each family holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DocumentedCase:
    """One documented behaviour: what goes in, what AWS documents comes out, and where it is written."""

    family: str
    name: str
    source: str
    given: dict[str, Any] = field(hash=False)
    expected: Any = field(hash=False)

    def __str__(self) -> str:
        return self.name


def ids(cases: list[DocumentedCase]) -> list[str]:
    """pytest ids: the cases' names."""
    return [case.name for case in cases]
