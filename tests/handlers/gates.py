"""Gates a test opens to release handlers that wait on them (shared by every function in the process)."""

from __future__ import annotations

import threading

_gates: dict[str, threading.Event] = {}
_lock = threading.Lock()


def gate(name: str) -> threading.Event:
    """The gate called `name`, created closed on first use."""
    with _lock:
        return _gates.setdefault(name, threading.Event())


def release(name: str) -> None:
    """Open a gate: every handler waiting on it goes on."""
    gate(name).set()
