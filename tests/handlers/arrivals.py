"""A handler that stamps when each event reached it (`time.perf_counter()`), for the event-latency benchmark.

Each function runs its own copy of this module; the stamps go to the shared module everyone imports.
"""

import threading
import time

ARRIVALS: list[float] = []
_arrived = threading.Condition()


def stamp(event, context):
    """Records the arrival time of the event, first thing."""
    arrived = time.perf_counter()
    import tests.handlers.arrivals as shared

    shared.record(arrived)
    return {"arrived": arrived}


def record(arrived: float) -> None:
    """Keep one arrival time and wake whoever waits for it."""
    with _arrived:
        ARRIVALS.append(arrived)
        _arrived.notify_all()


def wait_for(count: int, timeout: float) -> float | None:
    """The time of the `count`-th arrival (1-based), once there; None after `timeout` seconds."""
    with _arrived:
        if not _arrived.wait_for(lambda: len(ARRIVALS) >= count, timeout):
            return None
        return ARRIVALS[count - 1]
