"""The network guard: while a harness runs, nothing in the process connects beyond loopback and the backend.

The harness must never reach real AWS (README, "Backends"); Python's audit events `socket.getaddrinfo`
and `socket.connect` (https://docs.python.org/3/library/audit_events.html) let it refuse every
connection, whoever makes it, and boto3's `before-send` event names the endpoint a client was given.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from harness.backends import network_guard
from harness.backends.guard import ALLOW_REAL_AWS_VARIABLE
from harness.backends.network_guard import ConnectionRefusedByGuard
from harness.functions.spec import FunctionSpec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_REAL_AWS_VARIABLE, raising=False)


@pytest.mark.parametrize(
    "endpoint", ["https://dynamodb.us-east-1.amazonaws.com", "http://10.255.255.1", "http://52.94.0.1:443"]
)
def test_a_handler_cannot_reach_an_endpoint_outside_the_harness(harness, endpoint: str) -> None:
    harness.register(FunctionSpec("ReachOut", "tests.handlers.reach_out.lambda_handler", timeout=10))

    result = harness.invoke("ReachOut", {"endpoint": endpoint})

    assert result.error is not None
    assert result.error["errorType"] == "ConnectionRefusedByGuard"
    assert endpoint in result.error["errorMessage"]
    assert ALLOW_REAL_AWS_VARIABLE in result.error["errorMessage"]
    refused = network_guard.take_refusals()
    assert len(refused) == 1 and endpoint in refused[0]


def test_a_raw_socket_to_an_outside_address_is_refused_naming_it(harness) -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedByGuard, match=r"10\.255\.255\.1:80"):
        sock.connect(("10.255.255.1", 80))

    with pytest.raises(ConnectionRefusedByGuard, match=r"example\.org:443"):
        socket.getaddrinfo("example.org", 443)
    assert len(network_guard.take_refusals()) == 2


def test_loopback_stays_reachable(harness) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert socket.getaddrinfo("localhost", 80)
    assert network_guard.take_refusals() == []


def test_the_harness_still_reaches_its_backend(harness) -> None:
    harness.client("sqs").list_queues()
    assert network_guard.take_refusals() == []


def test_opting_into_real_aws_lifts_the_guard(harness, monkeypatch: pytest.MonkeyPatch) -> None:
    assert network_guard.active()
    monkeypatch.setenv(ALLOW_REAL_AWS_VARIABLE, "yes")

    assert not network_guard.active()
    network_guard.check_url("https://dynamodb.us-east-1.amazonaws.com")  # no refusal


def test_an_activation_allows_the_backend_host_until_released() -> None:
    release = network_guard.activate("10.1.2.3")
    try:
        network_guard.check_host("10.1.2.3", 4566, "connection")
        with pytest.raises(ConnectionRefusedByGuard):
            network_guard.check_host("10.1.2.4", 4566, "connection")
    finally:
        release()
        release()  # idempotent
    assert not network_guard.host_allowed("10.1.2.3")
    network_guard.take_refusals()


def _run(script: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {"HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def trapped_home(tmp_path: Path) -> Path:
    """A home whose ~/.aws holds unparsable files; the scripts below also fail on any open() under it."""
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text("[[[ not ini\n")
    (aws / "credentials").write_text("[[[ not ini\n")
    return tmp_path


TRAP = """
    import os, sys
    AWS_DIR = os.path.join(os.environ["HOME"], ".aws")
    def trap(event, args):
        if event == "open" and isinstance(args[0], str) and args[0].startswith(AWS_DIR):
            raise RuntimeError(f"~/.aws was read: {args[0]}")
    sys.addaudithook(trap)
"""


def test_the_harness_never_reads_the_users_aws_directory(trapped_home: Path) -> None:
    script = (
        TRAP
        + """
    from harness.backends.embedded import EmbeddedBackend
    from harness.core import Harness
    from harness.functions.spec import FunctionSpec
    import boto3

    backend = EmbeddedBackend().start()
    with Harness(backend) as h:
        h.register(FunctionSpec("Tables", "tests.handlers.reach_out.lambda_handler"))
        assert h.invoke("Tables", {"endpoint": backend.endpoint_url}).value() == []
        h.client("sqs").list_queues()
        boto3.client("sqs", endpoint_url=backend.endpoint_url, region_name="us-east-1",
                     aws_access_key_id="x", aws_secret_access_key="x").list_queues()
    backend.stop()
    print("clean")
    """
    )
    done = _run(script, trapped_home)

    assert done.returncode == 0, done.stderr[-2000:]
    assert "clean" in done.stdout


def test_a_profile_in_the_environment_is_refused_by_the_guard_not_by_a_botocore_traceback(trapped_home: Path) -> None:
    script = (
        TRAP
        + """
    from harness_cli.cli import main
    sys.exit(main(["demo", "--aws-backend", "embedded"]))
    """
    )
    done = _run(script, trapped_home, AWS_PROFILE="prod")

    assert done.returncode == 2, done.stderr[-2000:]
    assert "AWS_PROFILE" in done.stderr and ALLOW_REAL_AWS_VARIABLE in done.stderr
    assert "ProfileNotFound" not in done.stderr and "Traceback" not in done.stderr


def test_the_test_run_fails_a_test_that_connected_outside_even_if_it_swallowed_the_error(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text((ROOT / "conftest.py").read_text())
    (tmp_path / "test_outside.py").write_text(
        textwrap.dedent(
            """
            import socket

            def test_swallows_the_refusal():
                try:
                    socket.create_connection(("10.255.255.1", 80), timeout=1)
                except Exception:
                    pass

            def test_stays_home():
                socket.getaddrinfo("127.0.0.1", 80)
            """
        )
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "--aws-backend",
            "embedded",
            "-q",
            "test_outside.py",
        ],
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert "1 failed, 1 passed" in done.stdout, done.stdout[-3000:]
    assert "10.255.255.1:80" in done.stdout
