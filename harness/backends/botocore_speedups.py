"""Two shortcuts that make a botocore session cheap to create, with the same answers as botocore's own code.

Every in-process function gets its own boto3 session at its cold start, and a new session registers about
140 handlers. For each, botocore asks `inspect.getfullargspec` whether the handler takes `**kwargs`, and
works out each event name's alias in a cache of its own. Together that is most of a session's cost
(about 20 ms). Here the first answer is read straight from the handler's code flags where it has code (the
same answer), and sessions with botocore's default aliases share one cache of aliased names (the aliasing
depends only on the name and those aliases).

Each shortcut checks that botocore's code still has the shape it replaces and is left out otherwise;
`installed()` reports it and tests/unit/test_botocore_speedups.py fails when one is missing.
"""

from __future__ import annotations

import inspect
import logging
import types
from collections.abc import Callable
from typing import Any

_log = logging.getLogger(__name__)
_installed: set[str] = set()
_SHARED_ALIASES: dict[str, str] = {}


def _has_shape(name: str, code: Any, fragment: str) -> bool:
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        source = ""
    if fragment not in source:
        _log.warning("botocore: %s left out (its %s no longer has %r)", name, code.__qualname__, fragment)
        return False
    return True


def fast_accepts_kwargs(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`accepts_kwargs` answered from a function's code flags; anything without code asks `original`."""

    def accepts_kwargs(func: Any) -> Any:
        code = getattr(getattr(func, "__func__", func), "__code__", None)
        if code is None or not isinstance(func, _PLAIN_CALLABLES):
            return original(func)
        return bool(code.co_flags & inspect.CO_VARKEYWORDS)

    return accepts_kwargs


# A function or a bound method: getfullargspec reads their own code (it does not follow __wrapped__).
_PLAIN_CALLABLES = (types.FunctionType, types.MethodType)


def handlers_check_kwargs_quickly() -> None:
    """botocore's hooks ask the code flags instead of `inspect.getfullargspec` for each handler."""
    from botocore import compat, hooks

    name = "handlers_check_kwargs_quickly"
    if name in _installed or not _has_shape(name, compat.accepts_kwargs, "getfullargspec(func)[2]"):
        return
    hooks.accepts_kwargs = fast_accepts_kwargs(compat.accepts_kwargs)
    _installed.add(name)


def default_aliases_share_one_cache() -> None:
    """Sessions with botocore's default event aliases share one cache of aliased event names."""
    from botocore.hooks import EventAliaser

    name = "default_aliases_share_one_cache"
    if name in _installed or not _has_shape(name, EventAliaser.__init__, "self._alias_name_cache = {}"):
        return
    original = EventAliaser.__init__

    def __init__(self: Any, event_emitter: Any, event_aliases: Any = None) -> None:
        original(self, event_emitter, event_aliases)
        if event_aliases is None:
            self._alias_name_cache = _SHARED_ALIASES

    EventAliaser.__init__ = __init__  # type: ignore[method-assign]
    _installed.add(name)


def installed(name: str) -> bool:
    """Whether the shortcut named `name` is in place."""
    return name in _installed


def apply_all() -> None:
    """Install both shortcuts (idempotent)."""
    handlers_check_kwargs_quickly()
    default_aliases_share_one_cache()
