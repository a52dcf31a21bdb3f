"""pytest plugin: backend options and header, and factory fixtures that clean up after themselves.

Fixtures:
- `aws_backend` (session, one per xdist worker): the started data-plane backend.
- `harness` (function): a fresh account, in-process functions, background pollers and a virtual clock;
  everything it deployed is destroyed after the test.
- `deploy` (function): `deploy(stack)` on that harness.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness.backends import network_guard
from harness.backends.base import Backend
from harness.backends.guard import check_ambient_credentials, isolate_from_user_config, opt_in
from harness.backends.pool import AccountPool
from harness.backends.select import CHOICES, Selection, create_backend, select_backend
from harness.core import Harness
from provisioning.stack import DeployedStack, Stack

_SELECTION = pytest.StashKey[Selection]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("serverless-harness")
    group.addoption(
        "--aws-backend",
        choices=CHOICES,
        default=None,
        help="data plane: auto (default), embedded, localstack or endpoint",
    )
    group.addoption("--aws-endpoint", default=None, help="URL of a running emulator (implies --aws-backend endpoint)")
    group.addoption(
        "--allow-real-aws", action="store_true", default=False, help="allow an AWS endpoint or real credentials"
    )


def _selection(config: pytest.Config) -> Selection:
    if _SELECTION not in config.stash:
        config.stash[_SELECTION] = select_backend(
            config.getoption("--aws-backend"),
            config.getoption("--aws-endpoint"),
            allow_real_aws=config.getoption("--allow-real-aws"),
        )
    return config.stash[_SELECTION]


def pytest_configure(config: pytest.Config) -> None:
    allow = config.getoption("--allow-real-aws")
    if allow:
        opt_in()
    try:
        check_ambient_credentials(allow_real_aws=allow)
        _selection(config)
    except (ValueError, RuntimeError) as exc:
        raise pytest.UsageError(str(exc)) from exc
    isolate_from_user_config()
    # The socket guard holds for the whole run: a connection beyond loopback (and the backend, and a
    # remote Docker engine) fails the test that made it; --allow-real-aws lifts it.
    docker_host = (
        urlsplit(os.environ.get("DOCKER_HOST", "")).hostname if "://" in os.environ.get("DOCKER_HOST", "") else None
    )
    config.add_cleanup(network_guard.activate(docker_host))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test that tried to connect beyond loopback and its backend, even from a handler's thread."""
    network_guard.take_refusals()
    result = yield
    refused = network_guard.take_refusals()
    if refused:
        pytest.fail("connections outside the harness were refused:\n" + "\n".join(refused), pytrace=False)
    return result


def pytest_report_header(config: pytest.Config) -> str:
    selection = _selection(config)
    return f"aws backend: {selection.name} ({selection.reason})"


@pytest.fixture(scope="session")
def aws_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The data-plane backend for this worker: started once, stopped at the end of the session."""
    selection = _selection(request.config)
    state_dir = tmp_path_factory.getbasetemp().parent
    backend = create_backend(
        selection, state_dir=state_dir, allow_real_aws=request.config.getoption("--allow-real-aws")
    )
    release = network_guard.activate(urlsplit(backend.endpoint_url).hostname)
    yield backend
    backend.stop()
    release()


@pytest.fixture(scope="session")
def aws_accounts(aws_backend: Backend) -> Iterator[AccountPool]:
    """Prepared accounts (LambdaLabRole in place), reused by tests that left nothing behind."""
    pool = AccountPool(aws_backend)
    yield pool
    pool.close()


@pytest.fixture
def harness(aws_backend: Backend, aws_accounts: AccountPool) -> Iterator[Harness]:
    """A harness on an account of its own; all it deployed is destroyed afterwards."""
    account = aws_accounts.acquire()
    instance = Harness(aws_backend, account=account)
    clean = False
    try:
        yield instance
    finally:
        try:
            instance.close()
            clean = True
        finally:
            aws_accounts.release(account, clean=clean)


@pytest.fixture
def deploy(harness: Harness) -> Callable[..., DeployedStack]:
    """Factory: `deploy(stack)` creates a stack that the harness removes after the test."""

    def factory(stack: Stack, **kwargs: Any) -> DeployedStack:
        return harness.deploy(stack, **kwargs)

    return factory
