"""The background loop shared by every poller: deliver what is there, else wait for the next write to its source."""

from __future__ import annotations

import threading

from harness import activity
from harness.write_keys import Key

IDLE_WAIT = 0.25  # for writers outside the harness; its own writes wake pollers at once (harness.activity)


class BackgroundPoller:
    """Runs `pump()` on a thread until `stop()`; subclasses implement `pump()` and set `thread_label`.

    A subclass names the resources it reads in `wake_keys()`: the thread then wakes early only for
    writes to them (any write, when it names none).
    """

    thread_label = "poller"
    join_timeout = 10.0
    last_error: str | None = None

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: activity.Listener | None = None

    def pump(self) -> int:
        """Deliver what the source holds now; return how many items were handled."""
        raise NotImplementedError

    def wake_keys(self) -> tuple[Key, ...] | None:
        """The streams, tables or queues (`harness.write_keys`) whose writes wake this poller; None for all."""
        return None

    def start(self) -> None:
        """Poll in a background thread until stop()."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._listener = activity.Listener(self.wake_keys()).open()
        self._thread = threading.Thread(target=self._run, args=(self._listener,), name=self.thread_label, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Make the background thread look at the source now (no effect when it is not running)."""
        listener = self._listener
        if listener is not None:
            listener.wake()

    def _run(self, listener: activity.Listener) -> None:
        while not self._stop.is_set():
            listener.arm()
            try:
                handled = self.pump()
            except Exception as exc:  # a vanished source or a backend hiccup: note it and keep polling
                self.last_error = f"{type(exc).__name__}: {exc}"
                handled = 0
            if handled == 0 and not self._stop.is_set():
                listener.wait(IDLE_WAIT)

    def stop(self) -> None:
        """Stop the background thread and wait for the item in hand."""
        self._stop.set()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.wake()
        if self._thread is not None:
            self._thread.join(timeout=self.join_timeout)
            self._thread = None
        if listener is not None:
            listener.close()
