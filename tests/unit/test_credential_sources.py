"""Every credential source boto3 knows counts as real credentials; endpoints at AWS are refused.

boto3's credential chain (https://boto3.amazonaws.com/v1/documentation/api/latest/guide/credentials.html):
environment keys, profiles, container credentials, web identity, shared files. Any of them in the
environment means the process could reach a real account, so the harness refuses to start.
"""

from __future__ import annotations

import pytest

from harness.backends.guard import (
    ALLOW_REAL_AWS_VARIABLE,
    RealAwsRefused,
    ambient_real_credentials,
    ambient_real_endpoints,
    check_ambient_credentials,
    check_endpoint,
    isolate_from_user_config,
)


@pytest.fixture(autouse=True)
def _no_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ALLOW_REAL_AWS_VARIABLE, raising=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials"),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/secrets/pods.eks.amazonaws.com/token"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/token"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"),
        ("AWS_PROFILE", "prod"),
    ],
)
def test_each_credential_source_counts_as_real(name: str, value: str) -> None:
    assert ambient_real_credentials({name: value}) == [name]


def test_credential_files_do_not_count_because_the_harness_never_reads_them() -> None:
    assert ambient_real_credentials({"AWS_CONFIG_FILE": "/home/someone/.aws/config"}) == []


@pytest.mark.parametrize("name", ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3"])
def test_an_endpoint_variable_at_aws_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "https://dynamodb.us-east-1.amazonaws.com")

    assert name in ambient_real_endpoints()
    with pytest.raises(RealAwsRefused, match=name):
        check_ambient_credentials()


def test_emulator_endpoint_variables_are_fine() -> None:
    assert ambient_real_endpoints({"AWS_ENDPOINT_URL": "http://localstack:4566"}) == []


def test_a_container_credentials_variable_stops_the_harness(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")

    with pytest.raises(RealAwsRefused, match="AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        check_ambient_credentials()


@pytest.mark.parametrize("url", ["http://52.94.0.1:443", "https://[2600:1f18::1]:443"])
def test_a_public_ip_address_is_not_an_emulator_endpoint(url: str) -> None:
    with pytest.raises(RealAwsRefused, match="public address"):
        check_endpoint(url)


@pytest.mark.parametrize("url", ["http://10.0.0.5:4566", "http://172.18.0.2:4566", "http://192.168.1.9:4566"])
def test_a_private_address_is_an_emulator_endpoint(url: str) -> None:
    assert check_endpoint(url) == url


def test_isolation_removes_container_and_web_identity_variables() -> None:
    environ = {"AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "arn", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "u"}

    isolate_from_user_config(environ)

    assert not {"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} & environ.keys()
