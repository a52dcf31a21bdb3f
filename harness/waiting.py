"""Explicit waiting: return as soon as work is done or a condition holds, fail clearly otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

T = TypeVar("T")

# Harness-internal polling interval: short, because emulator calls answer in about a millisecond.
POLL_INTERVAL = 0.005


class WaitTimeout(AssertionError):
    """A wait ran out of time; the message says what was still pending."""


class Drainable(Protocol):
    """Something that holds deliverable work: an event source mapping, async invocations."""

    def pump(self) -> int:
        """Deliver what is available now, synchronously; return how many items were handled."""
        ...

    def busy(self) -> str | None:
        """Why this source is not idle yet (a retrying batch, an invocation in flight), or None."""
        ...


def progress_of(sources: list[Drainable]) -> tuple[tuple[int, int], ...]:
    """Each source's identity and progress counter (0 for sources without one)."""
    return tuple((id(source), getattr(source, "progress", lambda: 0)()) for source in sources)


def drain(sources: Callable[[], Iterable[Drainable]], timeout: float = 30.0) -> int:
    """Deliver until every source is provably idle; return the number of items this call delivered.

    A round is quiet when no source delivered anything, none is busy, and no source made progress
    meanwhile (a source's optional `progress()` counter also moves for work a background poller did,
    which this call's `pump()` cannot see). Two quiet rounds in a row end the drain.
    """
    deadline = time.monotonic() + timeout
    delivered = 0
    quiet_rounds = 0
    while True:
        current = list(sources())
        before = progress_of(current)
        handled = sum(source.pump() for source in current)
        delivered += handled
        reasons = [reason for source in current if (reason := source.busy())]
        moved = progress_of(current) != before
        quiet_rounds = quiet_rounds + 1 if handled == 0 and not reasons and not moved else 0
        if quiet_rounds >= 2:
            return delivered
        if time.monotonic() > deadline:
            pending = "; ".join(reasons) or "sources kept delivering new items"
            raise WaitTimeout(f"drain did not finish within {timeout:g}s: {pending}")
        if handled == 0 and not moved:
            time.sleep(POLL_INTERVAL)


def eventually(
    probe: Callable[[], T], *, timeout: float = 10.0, message: str | Callable[[], str] = "condition never held"
) -> T:
    """Call `probe` until it returns something truthy and return that; raise WaitTimeout otherwise.

    Exceptions from the probe count as "not yet"; the last one is named in the failure.
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except Exception as exc:
            last_error = exc
        if time.monotonic() > deadline:
            text = message() if callable(message) else message
            suffix = f" (last error: {last_error!r})" if last_error else ""
            raise WaitTimeout(f"after {timeout:g}s: {text}{suffix}")
        time.sleep(POLL_INTERVAL)
