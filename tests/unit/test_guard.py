"""The real-AWS guard: emulator endpoints only, no ambient credentials, no ~/.aws."""

from __future__ import annotations

import os

import pytest

from harness.backends.guard import (
    ALLOW_REAL_AWS_VARIABLE,
    RealAwsRefused,
    ambient_real_credentials,
    check_ambient_credentials,
    check_endpoint,
    is_loopback,
    isolate_from_user_config,
)

REAL_KEY = "AKIAIOSFODNN7EXAMPLE"


@pytest.fixture(autouse=True)
def _no_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_REAL_AWS_VARIABLE, raising=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:4566",
        "http://localhost:4566",
        "http://[::1]:5000",
        "http://localstack:4566",
        "https://localstack.internal:4566/",
        "http://host.docker.internal:4566",
    ],
)
def test_check_endpoint_accepts_loopback_and_compose_hosts(url: str) -> None:
    assert check_endpoint(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://dynamodb.us-east-1.amazonaws.com",
        "https://DYNAMODB.US-EAST-1.AMAZONAWS.COM",
        "https://sqs.us-east-1.amazonaws.com.",
        "https://lambda.us-east-1.api.aws",
        "https://s3.cn-north-1.amazonaws.com.cn",
    ],
)
def test_check_endpoint_refuses_real_aws_hosts(url: str) -> None:
    with pytest.raises(RealAwsRefused) as info:
        check_endpoint(url)

    message = str(info.value)
    assert repr(url) in message
    assert ALLOW_REAL_AWS_VARIABLE in message


def test_check_endpoint_allows_real_aws_when_asked_by_argument() -> None:
    url = "https://dynamodb.us-east-1.amazonaws.com"

    assert check_endpoint(url, allow_real_aws=True) == url


@pytest.mark.parametrize("value", ["yes", "YES", "1", "true"])
def test_check_endpoint_allows_real_aws_when_opted_in_by_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(ALLOW_REAL_AWS_VARIABLE, value)

    assert check_endpoint("https://lambda.us-east-1.api.aws") == "https://lambda.us-east-1.api.aws"


def test_check_endpoint_opt_in_variable_other_values_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_REAL_AWS_VARIABLE, "no")

    with pytest.raises(RealAwsRefused):
        check_endpoint("https://dynamodb.us-east-1.amazonaws.com")


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1:4566", "127.0.0.1:4566", "localhost:4566", "http://", "", "file:///x"]
)
def test_check_endpoint_refuses_non_http_urls_naming_the_url(url: str) -> None:
    with pytest.raises(ValueError, match="is not an http") as info:
        check_endpoint(url)

    assert repr(url) in str(info.value)
    assert not isinstance(info.value, RealAwsRefused)


@pytest.mark.parametrize(("host", "expected"), [("localhost", True), ("127.0.0.1", True), ("::1", True)])
def test_is_loopback_recognises_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize("host", ["10.0.0.1", "localstack", "example.org"])
def test_is_loopback_refuses_other_hosts(host: str) -> None:
    assert is_loopback(host) is False


def test_ambient_real_credentials_detects_an_akia_key() -> None:
    assert ambient_real_credentials({"AWS_ACCESS_KEY_ID": REAL_KEY, "AWS_SECRET_ACCESS_KEY": "x"}) == [
        "AWS_ACCESS_KEY_ID"
    ]


def test_ambient_real_credentials_detects_a_temporary_asia_key() -> None:
    assert ambient_real_credentials({"AWS_ACCESS_KEY_ID": "ASIAIOSFODNN7EXAMPLE"}) == ["AWS_ACCESS_KEY_ID"]


def test_ambient_real_credentials_detects_a_profile() -> None:
    assert ambient_real_credentials({"AWS_PROFILE": "prod"}) == ["AWS_PROFILE"]


def test_ambient_real_credentials_names_key_and_profile_together() -> None:
    assert ambient_real_credentials({"AWS_ACCESS_KEY_ID": REAL_KEY, "AWS_PROFILE": "prod"}) == [
        "AWS_ACCESS_KEY_ID",
        "AWS_PROFILE",
    ]


@pytest.mark.parametrize("key", ["test", "123456789012", "AKIA", "akiaiosfodnn7example"])
def test_ambient_real_credentials_ignores_dummy_keys(key: str) -> None:
    assert ambient_real_credentials({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": "test"}) == []


def test_ambient_real_credentials_of_an_empty_environment_is_empty() -> None:
    assert ambient_real_credentials({}) == []


def test_ambient_real_credentials_detects_aws_default_profile() -> None:
    assert ambient_real_credentials({"AWS_DEFAULT_PROFILE": "prod"}) == ["AWS_DEFAULT_PROFILE"]


def test_check_ambient_credentials_refuses_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY)

    with pytest.raises(RealAwsRefused, match="AWS_ACCESS_KEY_ID"):
        check_ambient_credentials()


def test_check_ambient_credentials_passes_when_opted_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "prod")

    check_ambient_credentials(allow_real_aws=True)
    monkeypatch.setenv(ALLOW_REAL_AWS_VARIABLE, "yes")
    check_ambient_credentials()


def test_isolate_from_user_config_removes_credentials_and_hides_config_files() -> None:
    environ = {
        "AWS_ACCESS_KEY_ID": REAL_KEY,
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_SESSION_TOKEN": "token",
        "AWS_PROFILE": "prod",
        "AWS_CONFIG_FILE": "/home/someone/.aws/config",
        "PATH": "/usr/bin",
    }

    isolate_from_user_config(environ)

    assert environ == {
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
        "PATH": "/usr/bin",
    }


def test_isolate_from_user_config_on_an_empty_dict_only_adds_the_file_variables() -> None:
    environ: dict[str, str] = {}

    isolate_from_user_config(environ)

    assert environ["AWS_CONFIG_FILE"] == os.devnull
    assert environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull


def test_isolate_from_user_config_removes_aws_default_profile() -> None:
    environ = {"AWS_DEFAULT_PROFILE": "prod"}

    isolate_from_user_config(environ)

    assert "AWS_DEFAULT_PROFILE" not in environ
