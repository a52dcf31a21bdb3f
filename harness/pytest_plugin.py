"""pytest plugin: backend options and header, and factory fixtures that clean up after themselves.

Installed with the package (the `pytest11` entry point), so any project that installs it gets the fixtures.
Loading it changes nothing in a session whose tests do not use them: the backend is chosen, the environment
checked and isolated from ~/.aws, only when a test first asks for `aws_backend` (or `harness`).

Fixtures:
- `aws_backend` (session, one per xdist worker): the started data-plane backend.
- `harness` (function): a fresh account, in-process functions, background pollers and a virtual clock;
  everything it deployed is destroyed after the test.
- `deploy` (function): `deploy(stack)` on that harness.

`--harness-report PATH` writes one self-contained HTML file with the console's views of every test that used
the `harness` fixture (functions, sources, rules, schedules, executions and the timeline of what happened, each
happening linked to its cause), failed tests first; under xdist each worker sends its part to the controller.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness.attachments import Deployable, Destroyable
from harness.backends import network_guard
from harness.backends.base import Backend
from harness.backends.guard import check_ambient_credentials, isolate_from_user_config, opt_in
from harness.backends.pool import AccountPool
from harness.backends.select import BACKEND_VARIABLE, CHOICES, Selection, create_backend, select_backend
from harness.core import Harness
from harness.served.console import write_report

_SELECTION = pytest.StashKey[Selection]()
_REPORT_RUNS = pytest.StashKey[list[dict[str, Any]]]()
_PHASES = pytest.StashKey[dict[str, pytest.TestReport]]()
_WORKER_KEY = "harness_report_runs"


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
    group.addoption(
        "--harness-report",
        metavar="PATH",
        default=None,
        help="write a timeline report (one HTML file) of every test that used the harness",
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
    config.addinivalue_line("markers", "localstack: needs a Docker engine to run LocalStack")
    if config.getoption("--allow-real-aws"):
        opt_in()


def guard_the_whole_run(config: pytest.Config) -> None:
    """Hold the network guard for the whole run (a project's conftest calls it from pytest_configure).

    Any connection beyond loopback, the backend and a remote Docker engine then fails the test that
    made it, even outside a harness; --allow-real-aws or HARNESS_ALLOW_REAL_AWS=yes lifts it.
    """
    # boto3's last credential source is the instance metadata service (169.254.169.254): never ask it.
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    docker = os.environ.get("DOCKER_HOST", "")
    config.add_cleanup(network_guard.activate(urlsplit(docker).hostname if "://" in docker else None))


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
    requested = config.getoption("--aws-backend") or os.environ.get(BACKEND_VARIABLE)
    if config.getoption("--aws-endpoint"):
        requested = f"endpoint {config.getoption('--aws-endpoint')}"
    if requested:
        return f"aws backend: {requested} (requested; started when a test first uses it)"
    return "aws backend: auto (embedded without a Docker engine, localstack with one; chosen when first used)"


@pytest.fixture(scope="session")
def aws_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The data-plane backend for this worker: started once, stopped at the end of the session."""
    try:
        check_ambient_credentials(allow_real_aws=request.config.getoption("--allow-real-aws"))
        selection = _selection(request.config)
    except (ValueError, RuntimeError) as exc:
        raise pytest.UsageError(str(exc)) from exc
    isolate_from_user_config()
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
def harness(request: pytest.FixtureRequest, aws_backend: Backend, aws_accounts: AccountPool) -> Iterator[Harness]:
    """A harness on an account of its own; all it deployed is destroyed afterwards."""
    account = aws_accounts.acquire()
    # Every answer the harness serves in a test is checked against botocore's shape for its operation.
    instance = Harness(aws_backend, account=account, check_shapes=True)
    clean = False
    began = time.perf_counter()
    try:
        yield instance
    finally:
        try:
            if request.config.getoption("--harness-report"):
                _record_run(request, instance, time.perf_counter() - began)
            instance.close()
            clean = True
        finally:
            aws_accounts.release(account, clean=clean)


@pytest.fixture
def deploy(harness: Harness) -> Callable[..., Destroyable]:
    """Factory: `deploy(stack)` creates a stack that the harness removes after the test."""

    def factory(stack: Deployable[Destroyable], **kwargs: Any) -> Destroyable:
        return harness.deploy(stack, **kwargs)

    return factory


# -- the timeline report ---------------------------------------------------------------------------
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    item.stash.setdefault(_PHASES, {})[report.when] = report


def _record_run(request: pytest.FixtureRequest, harness: Harness, seconds: float) -> None:
    """Keep what the test's harness shows, with the test's outcome so far (setup and call)."""
    phases = request.node.stash.get(_PHASES, {})
    failed = next((r for r in phases.values() if r.failed), None)
    skipped = any(r.skipped for r in phases.values())
    try:
        snapshot = harness.snapshot()
    except Exception as exc:  # the report must not turn a passing test into an error
        snapshot = {"problems": [f"the harness could not be read: {exc}"], "timeline": []}
    request.config.stash.setdefault(_REPORT_RUNS, []).append(
        {
            "name": request.node.nodeid,
            "outcome": "failed" if failed else "skipped" if skipped else "passed",
            "duration": seconds,
            "longrepr": str(failed.longrepr) if failed else None,
            "snapshot": snapshot,
        }
    )


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: take a worker's part of the report."""
    text = getattr(node, "workeroutput", {}).get(_WORKER_KEY)
    if text:
        node.config.stash.setdefault(_REPORT_RUNS, []).extend(json.loads(text))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    path = config.getoption("--harness-report")
    if not path:
        return
    runs = config.stash.get(_REPORT_RUNS, [])
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller writes the file
        config.workeroutput[_WORKER_KEY] = json.dumps(runs, default=str)
        return
    order = {"failed": 0, "skipped": 2}
    runs = sorted(runs, key=lambda run: (order.get(run["outcome"], 1), run["name"]))
    written = write_report(path, runs, "Test session: timeline report")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(f"harness timeline report: {written} ({len(runs)} test(s))")
