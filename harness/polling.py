"""The background loop shared by every poller: deliver what is there, else wait for the next write."""

from __future__ import annotations

import threading

from harness import activity

IDLE_WAIT = 0.25  # for writers outside the harness; its own writes wake pollers at once (harness.activity)


class BackgroundPoller:
    """Runs `pump()` on a thread until `stop()`; subclasses implement `pump()` and set `thread_label`."""

    thread_label = "poller"
    join_timeout = 10.0
    last_error: str | None = None

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def pump(self) -> int:
        """Deliver what the source holds now; return how many items were handled."""
        raise NotImplementedError

    def start(self) -> None:
        """Poll in a background thread until stop()."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_label, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            seen = activity.generation()
            try:
                handled = self.pump()
            except Exception as exc:  # a vanished source or a backend hiccup: note it and keep polling
                self.last_error = f"{type(exc).__name__}: {exc}"
                handled = 0
            if handled == 0 and not self._stop.is_set():
                activity.wait_for_write(seen, IDLE_WAIT)

    def stop(self) -> None:
        """Stop the background thread and wait for the item in hand."""
        self._stop.set()
        activity.notify()
        if self._thread is not None:
            self._thread.join(timeout=self.join_timeout)
            self._thread = None
