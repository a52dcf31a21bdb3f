"""Backend selection: explicit choice, HARNESS_BACKEND, AWS_ENDPOINT_URL, then Docker's presence."""

from __future__ import annotations

import pytest

import harness.backends.select as select_module
from harness.backends.guard import RealAwsRefused
from harness.backends.select import BACKEND_VARIABLE, Selection, select_backend


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BACKEND_VARIABLE, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("HARNESS_ALLOW_REAL_AWS", raising=False)


def docker_says(monkeypatch: pytest.MonkeyPatch, available: bool, why: str) -> list[int]:
    calls: list[int] = []

    def probe() -> tuple[bool, str]:
        calls.append(1)
        return available, why

    monkeypatch.setattr(select_module, "docker_engine_available", probe)
    return calls


def test_explicit_embedded_does_not_probe_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = docker_says(monkeypatch, True, "yes")

    assert select_backend("embedded") == Selection("embedded", "requested")
    assert calls == []


def test_explicit_localstack_is_taken_even_without_docker(monkeypatch: pytest.MonkeyPatch) -> None:
    docker_says(monkeypatch, False, "no engine")

    assert select_backend("localstack") == Selection("localstack", "requested")


def test_choice_is_case_insensitive() -> None:
    assert select_backend("Embedded").name == "embedded"


def test_explicit_endpoint_uses_the_given_url() -> None:
    selection = select_backend("endpoint", "http://127.0.0.1:4566")

    assert selection == Selection("endpoint", "requested", "http://127.0.0.1:4566")


def test_explicit_endpoint_takes_the_url_from_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://localstack:4566")

    assert select_backend("endpoint").endpoint_url == "http://localstack:4566"


def test_harness_backend_variable_is_used_when_nothing_is_requested(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_VARIABLE, "embedded")

    assert select_backend().name == "embedded"


def test_explicit_request_wins_over_harness_backend_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_VARIABLE, "localstack")

    assert select_backend("embedded").name == "embedded"


def test_aws_endpoint_url_implies_the_endpoint_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = docker_says(monkeypatch, True, "yes")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")

    selection = select_backend()

    assert selection.name == "endpoint"
    assert selection.endpoint_url == "http://127.0.0.1:4566"
    assert "AWS_ENDPOINT_URL" in selection.reason
    assert calls == []


def test_endpoint_argument_implies_the_endpoint_backend_under_auto() -> None:
    selection = select_backend("auto", "http://localhost:4566")

    assert (selection.name, selection.endpoint_url) == ("endpoint", "http://localhost:4566")


def test_explicit_embedded_ignores_aws_endpoint_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")

    assert select_backend("embedded") == Selection("embedded", "requested")


def test_unknown_backend_is_refused_naming_it_and_the_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown backend 'moto'; choose one of auto, embedded, localstack, endpoint"):
        select_backend("moto")


def test_unknown_backend_from_the_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_VARIABLE, "docker")

    with pytest.raises(ValueError, match="'docker'"):
        select_backend()


def test_endpoint_without_url_is_refused() -> None:
    with pytest.raises(ValueError, match="backend 'endpoint' needs --aws-endpoint URL or AWS_ENDPOINT_URL"):
        select_backend("endpoint")


def test_endpoint_pointing_at_real_aws_is_refused() -> None:
    with pytest.raises(RealAwsRefused):
        select_backend("endpoint", "https://dynamodb.us-east-1.amazonaws.com")


def test_endpoint_pointing_at_real_aws_is_allowed_when_asked() -> None:
    url = "https://dynamodb.us-east-1.amazonaws.com"

    assert select_backend("endpoint", url, allow_real_aws=True).endpoint_url == url


def test_auto_without_docker_falls_back_to_embedded_with_the_probe_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    docker_says(monkeypatch, False, "why: no socket at /var/run/docker.sock")

    assert select_backend() == Selection("embedded", "why: no socket at /var/run/docker.sock")


def test_auto_with_docker_picks_localstack_with_the_probe_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    docker_says(monkeypatch, True, "yes")

    assert select_backend("auto") == Selection("localstack", "yes")
