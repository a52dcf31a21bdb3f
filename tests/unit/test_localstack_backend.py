"""The localstack backend's configuration and container sharing, with a fake container runtime."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from harness.backends.docker_probe import docker_engine_available
from harness.backends.localstack import (
    DEFAULT_IMAGE,
    LocalStackBackend,
    LocalStackStartError,
    LocalStackStateError,
)

TOKEN = "ls-FAKE-token-1234"


class FakeDocker:
    """Stands in for testcontainers and the docker SDK: records what was started and removed."""

    def __init__(self) -> None:
        self.started: list[tuple[str, dict[str, str]]] = []
        self.removed: list[str] = []

    def start(self, image: str, environment: Mapping[str, str]) -> tuple[str, str]:
        self.started.append((image, dict(environment)))
        return "http://127.0.0.1:4566", f"container-{len(self.started)}"

    def remove(self, container_id: str) -> None:
        self.removed.append(container_id)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCALSTACK_IMAGE", raising=False)
    monkeypatch.delenv("LOCALSTACK_AUTH_TOKEN", raising=False)


@pytest.fixture
def docker() -> FakeDocker:
    return FakeDocker()


def backend_for(state_dir: Path, docker: FakeDocker) -> LocalStackBackend:
    return LocalStackBackend(state_dir=state_dir).with_starter(docker.start).with_stopper(docker.remove)


def read_state(state_dir: Path) -> dict:
    return json.loads((state_dir / "localstack.json").read_text())


def exited_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_default_image_is_the_last_release_without_auth_token() -> None:
    assert DEFAULT_IMAGE == "localstack/localstack:4.14.0"
    assert LocalStackBackend().image == DEFAULT_IMAGE


def test_localstack_image_variable_overrides_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALSTACK_IMAGE", "localstack/localstack-pro:4.15.0")

    assert LocalStackBackend().image == "localstack/localstack-pro:4.15.0"
    assert LocalStackBackend().with_image("my/mirror:1").image == "my/mirror:1"


def test_starter_gets_image_and_region(tmp_path: Path, docker: FakeDocker) -> None:
    backend = LocalStackBackend("eu-west-1", state_dir=tmp_path, starter=docker.start, stopper=docker.remove)
    backend.with_image("my/mirror:1").start()
    backend.stop()

    image, environment = docker.started[0]
    assert image == "my/mirror:1"
    assert environment["AWS_DEFAULT_REGION"] == "eu-west-1"


def test_auth_token_from_environment_reaches_container_but_not_describe(
    tmp_path: Path, docker: FakeDocker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCALSTACK_AUTH_TOKEN", TOKEN)
    backend = backend_for(tmp_path, docker).start()

    assert docker.started[0][1]["LOCALSTACK_AUTH_TOKEN"] == TOKEN
    assert TOKEN not in backend.describe()
    assert TOKEN not in (tmp_path / "localstack.json").read_text()
    backend.stop()


def test_explicit_auth_token_wins_and_no_token_means_no_variable(tmp_path: Path, docker: FakeDocker) -> None:
    with_token = backend_for(tmp_path / "a", docker).with_auth_token(TOKEN).start()
    without = backend_for(tmp_path / "b", docker).start()
    with_token.stop()
    without.stop()

    assert docker.started[0][1]["LOCALSTACK_AUTH_TOKEN"] == TOKEN
    assert "LOCALSTACK_AUTH_TOKEN" not in docker.started[1][1]


def test_backends_sharing_a_state_dir_share_one_container(tmp_path: Path, docker: FakeDocker) -> None:
    first = backend_for(tmp_path, docker).start()
    assert read_state(tmp_path)["users"] == 1

    second = backend_for(tmp_path, docker).start()
    assert read_state(tmp_path)["users"] == 2
    assert len(docker.started) == 1
    assert first.started_container and not second.started_container
    assert second.endpoint_url == first.endpoint_url == "http://127.0.0.1:4566"
    assert second.container_id == first.container_id == "container-1"
    assert read_state(tmp_path)["image"] == DEFAULT_IMAGE

    first.stop()
    assert read_state(tmp_path)["users"] == 1
    assert docker.removed == []

    second.stop()
    assert docker.removed == ["container-1"]
    assert not (tmp_path / "localstack.json").exists()


def test_start_and_stop_are_idempotent(tmp_path: Path, docker: FakeDocker) -> None:
    backend = backend_for(tmp_path, docker)
    assert backend.start() is backend.start()
    assert read_state(tmp_path)["users"] == 1

    backend.stop()
    backend.stop()
    assert docker.removed == ["container-1"]


def test_start_is_timed(tmp_path: Path, docker: FakeDocker) -> None:
    backend = backend_for(tmp_path, docker)
    assert backend.start_seconds == 0.0
    assert "not started" in backend.describe()

    backend.start()
    assert backend.start_seconds > 0.0
    assert "http://127.0.0.1:4566" in backend.describe()
    backend.stop()


def test_users_that_died_without_stopping_are_not_counted(tmp_path: Path, docker: FakeDocker) -> None:
    stale = {
        "endpoint_url": "http://127.0.0.1:4999",
        "container_id": "old-container",
        "image": DEFAULT_IMAGE,
        "users": 1,
        "pids": [exited_pid()],
    }
    (tmp_path / "localstack.json").write_text(json.dumps(stale))

    backend = backend_for(tmp_path, docker).start()

    assert docker.removed == ["old-container"]
    assert backend.container_id == "container-1"
    assert read_state(tmp_path)["users"] == 1
    backend.stop()


def test_corrupt_state_file_error_names_the_file(tmp_path: Path, docker: FakeDocker) -> None:
    state_file = tmp_path / "localstack.json"
    state_file.write_text("{not json")

    with pytest.raises(LocalStackStateError, match="not JSON") as raised:
        backend_for(tmp_path, docker).start()

    assert str(state_file) in str(raised.value)
    assert docker.started == []


def test_state_file_with_missing_fields_error_names_the_file_and_field(tmp_path: Path, docker: FakeDocker) -> None:
    state_file = tmp_path / "localstack.json"
    state_file.write_text(json.dumps({"endpoint_url": "http://127.0.0.1:4566"}))

    with pytest.raises(LocalStackStateError, match="container_id") as raised:
        backend_for(tmp_path, docker).start()

    assert str(state_file) in str(raised.value)


def test_a_running_container_of_another_image_is_not_joined(tmp_path: Path, docker: FakeDocker) -> None:
    first = backend_for(tmp_path, docker).start()

    with pytest.raises(LocalStackStateError, match="other/image:2"):
        backend_for(tmp_path, docker).with_image("other/image:2").start()

    assert read_state(tmp_path)["users"] == 1
    first.stop()


def test_start_failure_names_the_image_and_suggests_embedded(tmp_path: Path) -> None:
    def failing_starter(image: str, environment: Mapping[str, str]) -> tuple[str, str]:
        raise ConnectionError("no Docker engine")

    backend = LocalStackBackend(state_dir=tmp_path, starter=failing_starter).with_auth_token(TOKEN)

    with pytest.raises(LocalStackStartError) as raised:
        backend.start()

    message = str(raised.value)
    assert DEFAULT_IMAGE in message
    assert "--aws-backend embedded" in message
    assert "no Docker engine" in message
    assert TOKEN not in message
    assert not (tmp_path / "localstack.json").exists()


def test_new_account_gives_distinct_twelve_digit_accounts(tmp_path: Path, docker: FakeDocker) -> None:
    backend = backend_for(tmp_path, docker).start()

    accounts = [backend.new_account() for _ in range(5)]

    ids = [account.account_id for account in accounts]
    assert len(set(ids)) == 5
    for account in accounts:
        assert len(account.account_id) == 12 and account.account_id.isdigit()
        assert account.credentials.access_key_id == account.account_id
        assert account.endpoint_url == backend.endpoint_url
    assert backend.new_account("123456789012").account_id == "123456789012"
    backend.stop()


def test_new_account_rejects_ids_localstack_would_not_isolate(tmp_path: Path, docker: FakeDocker) -> None:
    backend = backend_for(tmp_path, docker)
    with pytest.raises(RuntimeError, match="not started"):
        backend.new_account()

    backend.start()
    with pytest.raises(ValueError, match="'12345'"):
        backend.new_account("12345")
    backend.stop()


def test_docker_probe_reports_the_host_it_tried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = f"unix://{tmp_path / 'no-such-docker.sock'}"
    monkeypatch.setenv("DOCKER_HOST", host)

    available, reason = docker_engine_available(timeout=0.5)

    assert available is False
    assert host in reason
    assert "\n" not in reason
