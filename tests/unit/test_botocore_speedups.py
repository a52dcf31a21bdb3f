"""botocore's session shortcuts are in place for the installed botocore and answer as botocore's own code does."""

from __future__ import annotations

import functools
import inspect

import pytest
from botocore import compat, hooks
from botocore.handlers import BUILTIN_HANDLERS
from botocore.utils import EVENT_ALIASES

from harness.backends import botocore_speedups


@pytest.fixture(autouse=True)
def applied() -> None:
    botocore_speedups.apply_all()


@pytest.mark.parametrize("name", ["handlers_check_kwargs_quickly", "default_aliases_share_one_cache"])
def test_each_shortcut_is_installed(name):
    assert botocore_speedups.installed(name), f"{name} is missing: botocore changed the code it replaces"


def plain(a, b): ...


def keywords(a, **kwargs): ...


class Handler:
    def method(self, **kwargs): ...

    def strict(self, x): ...

    def __call__(self, **kwargs): ...


@functools.wraps(plain)
def wrapped(*args, **kwargs): ...


CALLABLES = [
    plain,
    keywords,
    lambda **kw: None,
    lambda x: None,
    Handler().method,
    Handler().strict,
    Handler(),
    functools.partial(keywords, 1),
    functools.partial(plain, 1),
    wrapped,
    len,
]


@pytest.mark.parametrize("func", CALLABLES, ids=lambda f: getattr(f, "__name__", type(f).__name__))
def test_kwargs_are_detected_as_inspect_detects_them(func):
    assert bool(hooks.accepts_kwargs(func)) == bool(inspect.getfullargspec(func)[2])


def test_every_handler_botocore_registers_gets_inspect_s_answer():
    fast = botocore_speedups.fast_accepts_kwargs(compat.accepts_kwargs)
    handlers = [entry[1] for entry in BUILTIN_HANDLERS]
    assert len(handlers) > 100
    for handler in handlers:
        assert bool(fast(handler)) == bool(inspect.getfullargspec(handler)[2]), handler


def test_aliased_names_are_botocore_s_with_a_shared_cache():
    shared = hooks.EventAliaser(hooks.HierarchicalEmitter())
    own = hooks.EventAliaser(hooks.HierarchicalEmitter(), event_aliases=dict(EVENT_ALIASES))
    names = [
        "before-call.autoscaling.DescribeTags",
        "before-call.runtime.sagemaker.InvokeEndpoint",
        "after-call.s3.PutObject",
        "before-parameter-build.apigateway.GetExport",
        "needs-retry.cloudsearchdomain.Search",
    ]
    assert [shared._alias_event_name(n) for n in names] == [own._alias_event_name(n) for n in names]
    assert own._alias_name_cache is not shared._alias_name_cache
