"""The gateway forwards a watched request unchanged and hands the backend's answer to the handler's observer."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from werkzeug.test import EnvironBuilder

from harness.served.gateway import Gateway
from harness.served.service import FORWARD, Forward, ForwardOutcome, Operation

SIGNED_FOR_S3 = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0000"
)


class FakeBackend:
    """A WSGI backend that records what reached it and answers as told."""

    def __init__(self, status: str = "200 OK", headers: list[tuple[str, str]] | None = None, body: bytes = b""):
        self.status, self.headers, self.body = status, headers or [("ETag", '"abc"')], body
        self.requests: list[tuple[str, str, bytes, dict[str, str]]] = []

    def __call__(self, environ: dict[str, Any], body: bytes | None, start_response: Any) -> list[bytes]:
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], body or b"", headers))
        start_response(self.status, self.headers)
        return [self.body]

    def close(self) -> None:
        """Nothing to release."""


class WatchingS3:
    """Serves PutObject and CopyObject by forwarding them, watched; records what the observers saw."""

    service = "s3"

    def __init__(self, *, fail: bool = False, watch: bool = True) -> None:
        self.fail, self.watch = fail, watch
        self.events: list[Any] = []

    def operations(self) -> dict[str, Operation]:
        return {
            "PutObject": lambda p: self._forward("PutObject", p),
            "CopyObject": lambda p: self._forward("CopyObject", p),
        }

    def _forward(self, operation: str, params: dict[str, Any]) -> Forward:
        if not self.watch:
            return FORWARD
        return Forward(self._watching(operation, params["Key"]))

    @contextlib.contextmanager
    def _watching(self, operation: str, key: str) -> Iterator[Any]:
        self.events.append(("enter", operation, key))

        def observe(outcome: ForwardOutcome) -> None:
            self.events.append(("outcome", outcome))
            if self.fail:
                raise RuntimeError("the observer broke")

        yield observe
        self.events.append(("exit", operation, key))


def gateway_with(api: WatchingS3, backend: FakeBackend) -> Gateway:
    gateway = Gateway("http://backend.invalid:1")
    gateway.forwarder = backend  # type: ignore[assignment]
    gateway.serve(api)
    return gateway


def call(gateway: Gateway, path: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[str, dict, bytes]:
    environ = EnvironBuilder(
        path=path, method="PUT", data=body, headers={"Authorization": SIGNED_FOR_S3, **(headers or {})}
    ).get_environ()
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    content = b"".join(gateway.wsgi(environ, start_response))
    return answer["status"], answer["headers"], content


def test_a_watched_request_reaches_the_backend_unchanged_and_the_observer_sees_the_answer():
    backend = FakeBackend(headers=[("ETag", '"abc"'), ("x-amz-version-id", "v1")], body=b"")
    api = WatchingS3()
    body = b"5;chunk-signature=00\r\nhello\r\n0;chunk-signature=00\r\n\r\n"  # an aws-chunked body, as sent

    status, headers, content = call(
        gateway_with(api, backend),
        "/bucket/raw/a%20b.txt",
        body,
        {"Content-Encoding": "aws-chunked", "x-amz-checksum-crc32": "AAAAAA=="},
    )

    assert status == "200 OK" and headers["ETag"] == '"abc"' and content == b""
    ((method, path, sent, sent_headers),) = backend.requests
    assert (method, path, sent) == ("PUT", "/bucket/raw/a b.txt", body)
    assert sent_headers["content-encoding"] == "aws-chunked"
    assert sent_headers["x-amz-checksum-crc32"] == "AAAAAA=="
    enter, (kind, outcome), leave = api.events
    assert enter == ("enter", "PutObject", "raw/a b.txt") and leave == ("exit", "PutObject", "raw/a b.txt")
    assert kind == "outcome"
    assert (outcome.status, outcome.headers["etag"], outcome.headers["x-amz-version-id"]) == (200, '"abc"', "v1")
    assert outcome.succeeded


def test_the_observer_gets_a_failure_and_the_caller_the_backends_error_unchanged():
    error = b"<Error><Code>NoSuchBucket</Code></Error>"
    backend = FakeBackend(status="404 Not Found", headers=[("Content-Type", "application/xml")], body=error)
    api = WatchingS3()

    status, _, content = call(gateway_with(api, backend), "/missing/key.txt", b"x")

    assert (status, content) == ("404 Not Found", error)
    (_, outcome) = api.events[1]
    assert (outcome.status, outcome.succeeded, outcome.body) == (404, False, error)


def test_an_observer_that_raises_still_lets_the_caller_have_the_answer():
    backend = FakeBackend(body=b"<ok/>")
    api = WatchingS3(fail=True)

    status, _, content = call(gateway_with(api, backend), "/bucket/key.txt", b"x")

    assert (status, content) == ("200 OK", b"<ok/>")
    assert api.events[-1] == ("exit", "PutObject", "key.txt")


def test_plain_forward_passes_through_without_watching():
    backend = FakeBackend(body=b"<ok/>")
    api = WatchingS3(watch=False)

    status, _, content = call(gateway_with(api, backend), "/bucket/key.txt", b"payload")

    assert (status, content) == ("200 OK", b"<ok/>")
    assert backend.requests[0][2] == b"payload"
    assert api.events == []


def test_a_copy_source_header_tells_copy_object_from_put_object():
    backend = FakeBackend()
    api = WatchingS3()

    call(gateway_with(api, backend), "/bucket/copy.txt", b"", {"x-amz-copy-source": "bucket/original.txt"})
    call(gateway_with(api, backend), "/bucket/put.txt", b"x")

    assert [e[1:] for e in api.events if e[0] == "enter"] == [("CopyObject", "copy.txt"), ("PutObject", "put.txt")]
