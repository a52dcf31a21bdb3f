"""A process-wide signal that something was written to the backend, so idle pollers look again at once.

Every boto3 session the harness makes (its own and each function's) reports its write calls here, with
the streams, tables and queues they wrote to (`harness.write_keys`); the gateway reports the writes it
passes on to the backend for callers outside the harness. Each poller listens to the resources it reads
(a `Listener`) and is woken only by writes to them, by a wake-all (`notify()`), or by its own `wake()`;
otherwise it waits a quarter of a second for writers outside the harness instead of polling an idle
source many times a second.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from harness.write_keys import ANY_QUEUE, WRITE_OPERATIONS, Key, write_keys

# Calls after which an EventBridge rule's state or pattern may have changed.
RULE_OPERATIONS = frozenset({"PutRule", "EnableRule", "DisableRule", "DeleteRule"})

ANY_WRITE: Key = ("*", "*")  # what a listener that names no resource listens to: every write
_EVERYTHING: Key = ("*", "everything")  # a wake-all, in a thread's record of its signals

_lock = threading.Lock()
_listeners: dict[Key, set[Listener]] = {}  # key -> the open listeners that listen to it
_everyone: set[Listener] = set()
_generation = 0
_rules_generation = 0
_keyed = True
_exact_queue_signals = False  # the backend signals each delivery it makes to a queue
_thread = threading.local()  # per thread: signals it made (`count`) and the count at each key's last (`last`)


class Listener:
    """What one poller waits for: writes to its keys (every write when it names none), or a wake-up.

    `arm()` before looking at the source, `wait()` after finding it empty: a write in between makes
    `wait()` return at once, so nothing written after the look is missed.
    """

    def __init__(self, keys: Iterable[Key] | None = None) -> None:
        self.keys = frozenset(keys) if keys is not None else frozenset({ANY_WRITE})
        self._condition = threading.Condition(_lock)
        self._signalled = False
        self._open = False

    def open(self) -> Listener:
        """Start receiving signals."""
        with _lock:
            if not self._open:
                self._open = True
                _everyone.add(self)
                for key in self.keys:
                    _listeners.setdefault(key, set()).add(self)
        return self

    def close(self) -> None:
        """Stop receiving signals."""
        with _lock:
            self._open = False
            _everyone.discard(self)
            for key in self.keys:
                listening = _listeners.get(key)
                if listening is not None:
                    listening.discard(self)
                    if not listening:
                        del _listeners[key]

    @property
    def signalled(self) -> bool:
        """True when a write this listener listens to (or a wake-up) came after the last `arm()`."""
        return self._signalled

    def arm(self) -> None:
        """Forget earlier signals: call just before looking at the source."""
        self._signalled = False

    def wait(self, timeout: float) -> bool:
        """Return when signalled since `arm()`, or after `timeout` seconds; True when signalled."""
        with _lock:
            return self._condition.wait_for(lambda: self._signalled, timeout)

    def wake(self) -> None:
        """Signal this listener alone."""
        with _lock:
            self._signal()

    def _signal(self) -> None:  # with _lock held
        self._signalled = True
        self._condition.notify()


def generation() -> int:
    """A counter that moves on each signal (a write, a wake-all)."""
    return _generation


def notify(*keys: Key) -> None:
    """Wake the listeners of `keys` and those listening to every write; with no keys, every listener.

    Where the backend signals each of its own queue deliveries (`queue_deliveries_signalled`), a write that
    only concerns `ANY_QUEUE` wakes nobody: the delivery it causes wakes its queue's consumers itself.
    """
    global _generation
    if keys and _exact_queue_signals and ANY_QUEUE in keys:
        _remember_signal(keys)
        keys = tuple(key for key in keys if key != ANY_QUEUE)
        if not keys:
            return
    with _lock:
        _generation += 1
        if not keys or not _keyed:
            for listener in _everyone:
                listener._signal()
        else:
            for key in (ANY_WRITE, *keys):
                for listener in _listeners.get(key, ()):
                    listener._signal()
    _remember_signal(keys or (_EVERYTHING,))


def _remember_signal(keys: tuple[Key, ...]) -> None:
    count = _thread.__dict__.get("count", 0) + 1
    _thread.count = count
    last = _thread.__dict__.setdefault("last", {})
    for key in keys:
        last[key] = count


def _not_signalled_since(count: int, keys: tuple[Key, ...]) -> tuple[Key, ...]:
    """Those of `keys` this thread has not signalled after its `count`-th signal (none after a wake-all)."""
    last: dict[Key, int] = _thread.__dict__.get("last", {})
    if last.get(_EVERYTHING, 0) > count:
        return ()
    return tuple(key for key in keys if last.get(key, 0) <= count)


def queue_deliveries_signalled(on: bool) -> None:
    """Say whether the backend signals every delivery it makes to a queue (the embedded one does)."""
    global _exact_queue_signals
    _exact_queue_signals = on


def keyed_waking(on: bool) -> None:
    """Switch keyed waking on (the default) or off (every write wakes every listener: for comparisons)."""
    global _keyed
    _keyed = on


def rules_generation() -> int:
    """A counter that moves whenever an EventBridge rule may have changed (cached rule states are stale)."""
    return _rules_generation


def rules_changed() -> None:
    """Mark every cached rule state stale."""
    global _rules_generation
    with _lock:
        _rules_generation += 1


# -- botocore hooks on every harness session -------------------------------------------------------
_PARAMS = "harness_activity_params"
_SINCE = "harness_activity_signals_before"
SIGNALS_HEADER = "X-Harness-Signals-Writes"  # on requests whose writes the caller signals itself


def remember_params(
    params: dict[str, Any] | None = None, model: Any = None, context: dict[str, Any] | None = None, **_: Any
) -> None:
    """botocore `before-parameter-build` hook: keep a write's parameters and the thread's signal count."""
    if context is not None and model is not None and model.name in WRITE_OPERATIONS:
        context[_PARAMS] = params
        context[_SINCE] = _thread.__dict__.get("count", 0)


def mark_request(request: Any = None, **_: Any) -> None:
    """botocore `before-send` hook: tell the gateway that this caller signals its own writes."""
    if request is not None:
        request.headers[SIGNALS_HEADER] = "1"


def after_call(model: Any = None, parsed: Any = None, context: dict[str, Any] | None = None, **_: Any) -> None:
    """botocore `after-call` hook: signal writes (to the resources they touched) and rule changes."""
    if model is None:
        return
    name = model.name
    if name in WRITE_OPERATIONS:
        if isinstance(parsed, dict) and isinstance(parsed.get("Error"), dict) and parsed["Error"].get("Code"):
            return  # a write the service refused changed nothing
        context = context or {}
        keys = write_keys(model.service_model.service_name, name, context.get(_PARAMS) or {}) or ()
        if _keyed and keys and _SINCE in context:
            # An operation the gateway answered itself, in this thread, wrote with harness clients of its own,
            # which signalled their writes already: signal only what they did not.
            keys = _not_signalled_since(context[_SINCE], keys)
            if not keys:
                return
        notify(*keys)  # a write of another service, or one naming nothing: wake everyone
    elif name in RULE_OPERATIONS:
        rules_changed()
