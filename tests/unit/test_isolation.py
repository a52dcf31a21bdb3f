"""Function scopes: os.environ and boto3's default session show the running function's own state."""

from __future__ import annotations

import os
import threading

import boto3
import pytest

from harness.functions.isolation import FunctionScope, current_scope, entered

REAL_ONLY = "HARNESS_UNIT_REAL_ONLY"
SCOPE_ONLY = "HARNESS_UNIT_SCOPE_ONLY"


@pytest.fixture(autouse=True)
def _real_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REAL_ONLY, "real")
    monkeypatch.delenv(SCOPE_ONLY, raising=False)


def test_inside_a_scope_os_environ_shows_only_the_scope() -> None:
    with entered(FunctionScope({"TABLE_NAME": "Orders"})):
        assert dict(os.environ) == {"TABLE_NAME": "Orders"}
        assert os.environ["TABLE_NAME"] == "Orders"
        assert "PATH" not in os.environ
        assert REAL_ONLY not in os.environ
        assert len(os.environ) == 1


def test_inside_a_scope_os_getenv_reads_the_scope() -> None:
    with entered(FunctionScope({"TABLE_NAME": "Orders"})):
        assert os.getenv("TABLE_NAME") == "Orders"
        assert os.getenv(REAL_ONLY) is None
        assert os.getenv(REAL_ONLY, "fallback") == "fallback"


def test_inside_a_scope_missing_keys_raise_key_error() -> None:
    with entered(FunctionScope({})), pytest.raises(KeyError):
        os.environ[REAL_ONLY]


def test_writes_inside_a_scope_stay_in_the_scope() -> None:
    scope = FunctionScope({"A": "1"})

    with entered(scope):
        os.environ[SCOPE_ONLY] = "written"
        os.environ.setdefault("B", "2")
        del os.environ["A"]

    assert scope.environment == {SCOPE_ONLY: "written", "B": "2"}
    assert SCOPE_ONLY not in os.environ
    assert os.getenv(SCOPE_ONLY) is None


def test_writes_persist_for_the_next_entry_of_the_same_scope() -> None:
    scope = FunctionScope({})

    with entered(scope):
        os.environ["COUNTER"] = "1"
    with entered(scope):
        assert os.environ["COUNTER"] == "1"


def test_scope_copies_the_environment_it_is_given() -> None:
    given = {"A": "1"}
    scope = FunctionScope(given)

    with entered(scope):
        os.environ["A"] = "2"

    assert given == {"A": "1"}


def test_outside_a_scope_the_real_environment_shows() -> None:
    with entered(FunctionScope({"A": "1"})):
        pass

    assert current_scope() is None
    assert os.environ[REAL_ONLY] == "real"
    assert os.getenv(REAL_ONLY) == "real"
    assert os.environ.get("A") != "1"


def test_environ_copy_inside_a_scope_is_a_plain_dict_of_the_scope() -> None:
    with entered(FunctionScope({"A": "1"})):
        copied = os.environ.copy()

    assert copied == {"A": "1"}
    assert type(copied) is dict


def test_current_scope_is_the_entered_scope_and_nests() -> None:
    outer, inner = FunctionScope({"WHO": "outer"}), FunctionScope({"WHO": "inner"})

    with entered(outer):
        assert current_scope() is outer
        with entered(inner):
            assert current_scope() is inner
            assert os.environ["WHO"] == "inner"
        assert os.environ["WHO"] == "outer"
    assert current_scope() is None


def test_scope_is_left_even_when_the_body_raises() -> None:
    with pytest.raises(RuntimeError), entered(FunctionScope({"A": "1"})):
        raise RuntimeError("boom")

    assert current_scope() is None
    assert os.getenv(REAL_ONLY) == "real"


def test_two_threads_in_two_scopes_at_once_see_their_own_values() -> None:
    barrier = threading.Barrier(2, timeout=5)
    seen: dict[str, tuple[str | None, str | None, str | None]] = {}
    errors: list[BaseException] = []

    def run(who: str) -> None:
        try:
            with entered(FunctionScope({"WHO": who})):
                barrier.wait()  # both threads are inside their scopes now
                os.environ["WROTE"] = who
                barrier.wait()  # both have written
                seen[who] = (os.environ["WHO"], os.getenv("WROTE"), os.getenv(REAL_ONLY))
                barrier.wait()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(who,)) for who in ("alpha", "beta")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert seen == {"alpha": ("alpha", "alpha", None), "beta": ("beta", "beta", None)}


def test_a_scope_in_another_thread_does_not_change_this_threads_view() -> None:
    inside = threading.Event()
    release = threading.Event()

    def run() -> None:
        with entered(FunctionScope({"WHO": "other"})):
            inside.set()
            release.wait(timeout=5)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert inside.wait(timeout=5)
        assert current_scope() is None
        assert os.getenv(REAL_ONLY) == "real"
        assert os.environ.get("WHO") != "other"
    finally:
        release.set()
        thread.join(timeout=5)


def test_default_boto3_session_routes_to_a_session_per_scope() -> None:
    east, west = FunctionScope({"AWS_DEFAULT_REGION": "us-east-2"}), FunctionScope({"AWS_DEFAULT_REGION": "eu-west-3"})

    with entered(east):
        east_router = boto3._get_default_session()
        east_region = east_router.region_name
    with entered(west):
        west_router = boto3._get_default_session()
        west_region = west_router.region_name

    assert (east_region, west_region) == ("us-east-2", "eu-west-3")
    assert east.session() is not west.session()


def test_default_boto3_session_of_a_scope_is_created_once() -> None:
    scope = FunctionScope({"AWS_DEFAULT_REGION": "ap-south-1"})

    with entered(scope):
        first = scope.session()
        assert boto3._get_default_session().region_name == "ap-south-1"
        assert scope.session() is first


def test_boto3_client_inside_a_scope_uses_the_scope_region_and_credentials() -> None:
    environment = {"AWS_DEFAULT_REGION": "sa-east-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"}
    with entered(FunctionScope(environment)):
        client = boto3.client("sqs", endpoint_url="http://127.0.0.1:1")
        credentials = client._request_signer._credentials.get_frozen_credentials()

    assert client.meta.region_name == "sa-east-1"
    assert (credentials.access_key, credentials.secret_key) == ("a", "b")


def test_a_thread_started_inside_a_scope_sees_the_scope() -> None:
    seen: dict[str, str | None] = {}

    with entered(FunctionScope({"WHO": "function"})):
        thread = threading.Thread(target=lambda: seen.update(who=os.getenv("WHO")))
        thread.start()
        thread.join(timeout=5)

    assert seen == {"who": "function"}
