"""Per-invocation process state: each function sees only its own environment and boto3 session.

Lambda gives every function its own process. Here many functions share one, so `os.environ` and
boto3's default session are replaced by routers that consult a context variable set for the
duration of an invocation (including the function's cold start). Outside an invocation they
behave exactly like the originals.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import os
import threading
from collections.abc import Iterator, MutableMapping
from typing import Any

import boto3

from harness.backends.base import new_boto3_session


class FunctionScope:
    """What one function sees while it runs: its environment and its own boto3 session."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.environment = dict(environment)
        self._session: boto3.Session | None = None
        self._lock = threading.Lock()

    def session(self) -> boto3.Session:
        """The function's default boto3 session, created on first use inside its scope."""
        with self._lock:
            if self._session is None:
                self._session = new_boto3_session()
            return self._session

    def forget_session(self) -> None:
        """Drop the session and its clients; a later call to `session()` makes a new one."""
        with self._lock:
            self._session = None


_current: contextvars.ContextVar[FunctionScope | None] = contextvars.ContextVar("harness_scope", default=None)


def current_scope() -> FunctionScope | None:
    """The scope of the invocation running in this thread, if any."""
    return _current.get()


class _EnvironmentRouter(MutableMapping[str, str]):
    """`os.environ` that shows the running function's environment inside an invocation."""

    def __init__(self, real: MutableMapping[str, str]) -> None:
        self._real = real

    def _target(self) -> MutableMapping[str, str]:
        scope = _current.get()
        return self._real if scope is None else scope.environment

    def __getitem__(self, key: str) -> str:
        return self._target()[key]

    def __setitem__(self, key: str, value: str) -> None:
        self._target()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._target()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._target()))

    def __len__(self) -> int:
        return len(self._target())

    def __contains__(self, key: object) -> bool:
        return key in self._target()

    def copy(self) -> dict[str, str]:
        """A plain dict of what the current caller sees."""
        return dict(self._target())

    def __repr__(self) -> str:
        return f"environ({dict(self._target())!r})"

    def __getattr__(self, name: str) -> Any:
        # encodekey, decodevalue and friends of os._Environ, used by a few stdlib helpers.
        return getattr(self._real, name)


class _DefaultSessionRouter:
    """Stands in for `boto3.DEFAULT_SESSION` and forwards to the running function's session."""

    def __init__(self) -> None:
        self._fallback: boto3.Session | None = None

    def _target(self) -> boto3.Session:
        scope = _current.get()
        if scope is not None:
            return scope.session()
        if self._fallback is None:
            self._fallback = new_boto3_session()  # like the harness's own: never reads ~/.aws
        return self._fallback

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)


_install_lock = threading.Lock()
_original_thread_start = threading.Thread.start
_original_submit = concurrent.futures.ThreadPoolExecutor.submit


def _thread_start(self: threading.Thread) -> None:
    # A thread started by a handler runs in a copy of the handler's context, so it keeps its scope
    # (and log capture), as threads of a Lambda process share that process's environment.
    if _current.get() is not None:
        context = contextvars.copy_context()
        run = self.run
        self.run = lambda: context.run(run)  # type: ignore[method-assign]
    _original_thread_start(self)


def _executor_submit(self: Any, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
    # Pool workers outlive one submission, so the scope travels with each task instead.
    if _current.get() is not None:
        context = contextvars.copy_context()
        return _original_submit(self, context.run, fn, *args, **kwargs)
    return _original_submit(self, fn, *args, **kwargs)


def install() -> None:
    """Put the routers in place (idempotent; re-installs if something replaced them)."""
    with _install_lock:
        threading.Thread.start = _thread_start  # type: ignore[method-assign]
        concurrent.futures.ThreadPoolExecutor.submit = _executor_submit  # type: ignore[method-assign]
        if not isinstance(os.environ, _EnvironmentRouter):
            os.environ = _EnvironmentRouter(os.environ)  # type: ignore[assignment]  # noqa: B003
        if not isinstance(boto3.DEFAULT_SESSION, _DefaultSessionRouter):
            boto3.DEFAULT_SESSION = _DefaultSessionRouter()  # type: ignore[assignment]


@contextlib.contextmanager
def entered(scope: FunctionScope) -> Iterator[FunctionScope]:
    """Run the body as the function of `scope`."""
    install()
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)
