"""Accounts: 12-digit ids, the credentials that select them, and ARNs built from them."""

from __future__ import annotations

import re

import pytest

from harness.backends.base import Account, Credentials, random_account_id
from harness.backends.endpoint import EndpointBackend, localstack_account
from harness.backends.guard import RealAwsRefused


def account(account_id: str = "123456789012", region: str = "eu-west-1") -> Account:
    return Account(account_id, region, "http://127.0.0.1:1", Credentials("a", "b"))


def test_random_account_ids_are_twelve_digits_not_starting_with_zero() -> None:
    for _ in range(200):
        account_id = random_account_id()
        assert len(account_id) == 12
        assert account_id.isdigit()
        assert not account_id.startswith("0")


def test_random_account_ids_differ() -> None:
    assert len({random_account_id() for _ in range(50)}) > 1


def test_credentials_as_environment_without_token() -> None:
    assert Credentials("AK", "SK").as_environment() == {"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK"}


def test_credentials_as_environment_with_token() -> None:
    assert Credentials("AK", "SK", "TOKEN").as_environment()["AWS_SESSION_TOKEN"] == "TOKEN"


def test_arn_carries_service_region_and_account() -> None:
    assert account().arn("kinesis", "stream/S") == "arn:aws:kinesis:eu-west-1:123456789012:stream/S"


def test_iam_arn_has_no_region() -> None:
    assert account().iam_arn("role/LambdaLabRole") == "arn:aws:iam::123456789012:role/LambdaLabRole"


def test_account_session_is_bound_to_its_credentials_and_region() -> None:
    session = account().session()
    frozen = session.get_credentials().get_frozen_credentials()

    assert (frozen.access_key, frozen.secret_key) == ("a", "b")
    assert session.region_name == "eu-west-1"


def test_account_session_is_created_once() -> None:
    acct = account()

    assert acct.session() is acct.session()


def test_account_client_points_at_the_backend() -> None:
    client = account().client("sqs")

    assert client.meta.endpoint_url == "http://127.0.0.1:1"
    assert client.meta.region_name == "eu-west-1"


def test_localstack_account_uses_the_account_id_as_access_key() -> None:
    acct = localstack_account("111122223333", "us-east-1", "http://127.0.0.1:4566")

    assert acct.credentials == Credentials("111122223333", "test")
    assert acct.arn("sqs", "Q") == "arn:aws:sqs:us-east-1:111122223333:Q"


def test_endpoint_backend_new_account_with_given_id() -> None:
    acct = EndpointBackend("http://127.0.0.1:4566").new_account("000000000000")

    assert acct.account_id == "000000000000"
    assert acct.credentials.access_key_id == "000000000000"
    assert acct.endpoint_url == "http://127.0.0.1:4566"
    assert acct.region == "us-east-1"


def test_endpoint_backend_new_account_without_id_is_random_and_twelve_digits() -> None:
    backend = EndpointBackend("http://127.0.0.1:4566", region="eu-central-1")
    acct = backend.new_account()

    assert len(acct.account_id) == 12 and acct.account_id.isdigit()
    assert acct.credentials.access_key_id == acct.account_id
    assert acct.region == "eu-central-1"


def test_endpoint_backend_strips_a_trailing_slash_and_describes_itself() -> None:
    backend = EndpointBackend("http://localstack:4566/")

    assert backend.endpoint_url == "http://localstack:4566"
    assert backend.describe() == "endpoint (http://localstack:4566)"
    backend.stop()  # nothing to stop; must not fail


def test_endpoint_backend_refuses_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARNESS_ALLOW_REAL_AWS", raising=False)

    with pytest.raises(RealAwsRefused):
        EndpointBackend("https://sqs.us-east-1.amazonaws.com")


def test_endpoint_backend_refuses_a_url_without_scheme() -> None:
    with pytest.raises(ValueError, match=re.escape("'127.0.0.1:4566'")):
        EndpointBackend("127.0.0.1:4566")
