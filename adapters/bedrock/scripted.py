"""Replies a test scripts in advance, handed out in order (optionally repeating the last one forever)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from adapters.bedrock.conversation import Reply

ScriptedValue = Reply | str | dict[str, Any] | list[dict[str, Any]] | Callable[[dict[str, Any]], Any]


class ScriptedReplies:
    """A queue of replies for the messages model; each is text, content blocks, a dict or a callable(body)."""

    def __init__(self) -> None:
        self._queue: deque[ScriptedValue] = deque()
        self._forever: ScriptedValue | None = None
        self._lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []

    def add(self, *replies: ScriptedValue, repeat: bool = False) -> None:
        """Queue replies; with `repeat`, the last one answers every request after the queue runs out."""
        with self._lock:
            self._queue.extend(replies)
            if repeat and replies:
                self._forever = replies[-1]

    def clear(self) -> None:
        """Forget every queued reply and the repeating one."""
        with self._lock:
            self._queue.clear()
            self._forever = None

    def __bool__(self) -> bool:
        return bool(self._queue) or self._forever is not None

    def next(self, body: dict[str, Any]) -> Reply | None:
        """The next scripted reply for a request, or None when nothing is scripted."""
        with self._lock:
            if self._queue:
                value = self._queue.popleft()
            elif self._forever is not None:
                value = self._forever
            else:
                return None
            self.requests.append(body)
        if callable(value):
            value = value(body)
        return Reply.from_value(value)
