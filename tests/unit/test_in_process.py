"""Requests for a registered endpoint are answered by its WSGI app in process, as over HTTP."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from botocore.awsrequest import AWSRequest

from harness.backends import in_process

ENDPOINT = "http://127.0.0.1:65001"


def echo_app(environ, start_response):
    """Answers with what it received, and a 418 for /teapot."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "content_type": environ.get("CONTENT_TYPE"),
        "host": environ["HTTP_HOST"],
        "body": body.decode(),
    }
    status = "418 I'm a teapot" if environ["PATH_INFO"] == "/teapot" else "200 OK"
    start_response(status, [("Content-Type", "application/json"), ("x-amzn-RequestId", "r-1")])
    return [json.dumps(seen).encode()]


@pytest.fixture
def registered() -> Iterator[None]:
    in_process.register(ENDPOINT, echo_app)
    yield
    in_process.unregister(ENDPOINT)


def send(url: str, body: object = b"", headers: dict | None = None, method: str = "POST"):
    request = AWSRequest(method=method, url=url, data=body, headers=headers or {}).prepare()
    return in_process.before_send(request=request)


def test_a_request_for_a_registered_endpoint_is_answered_in_process(registered):
    response = send(
        f"{ENDPOINT}/queue/a?Action=Send",
        b"Action=Send&Body=hi",
        {"Content-Type": b"application/x-www-form-urlencoded; charset=utf-8"},
    )

    seen = json.loads(response.content)
    assert response.status_code == 200
    assert response.headers["x-amzn-RequestId"] == "r-1"
    assert seen == {
        "method": "POST",
        "path": "/queue/a",
        "query": "Action=Send",
        "content_type": "application/x-www-form-urlencoded; charset=utf-8",
        "host": "127.0.0.1:65001",
        "body": "Action=Send&Body=hi",
    }


@pytest.mark.parametrize("body", ["text body", b"text body", io.BytesIO(b"text body")])
def test_string_bytes_and_file_bodies_arrive_whole(registered, body):
    assert json.loads(send(ENDPOINT + "/", body).content)["body"] == "text body"


def test_error_statuses_come_back_as_they_are(registered):
    response = send(ENDPOINT + "/teapot", method="GET")

    assert response.status_code == 418


def test_other_endpoints_are_left_to_http(registered):
    assert send("http://127.0.0.1:65002/") is None


def test_an_unregistered_endpoint_goes_back_to_http():
    in_process.register(ENDPOINT, echo_app)
    in_process.unregister(ENDPOINT)

    assert send(ENDPOINT + "/") is None
