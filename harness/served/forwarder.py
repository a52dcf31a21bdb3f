"""Passing a request the harness does not answer on to the backend, unchanged, and its answer back."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import urllib3

from harness.backends import in_process
from harness.served import forwarded_writes

# Headers that describe one HTTP hop: never copied from one side to the other.
_HOP_BY_HOP = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "accept-encoding", "content-encoding"}
)
_NOT_RETURNED = _HOP_BY_HOP | {"server", "date"}


class BackendForwarder:
    """One way to the backend for every pass-through: its WSGI app in process, or HTTP to its URL.

    The client's own signature travels with the request, so the backend picks the account from the
    caller's credentials exactly as if the caller had reached it directly.
    """

    def __init__(self, backend_url: str) -> None:
        self.backend_url = backend_url.rstrip("/")
        self._http: urllib3.PoolManager | None = None

    def __call__(
        self, environ: dict[str, Any], body: bytes | None, start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer `environ` (whose body, if already read, is `body`) with the backend's response."""
        app = in_process.app_for(self.backend_url)
        body, start_response = forwarded_writes.watch(environ, body, start_response)
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        if app is not None:
            return app(environ, start_response)
        return self._over_http(environ, body, start_response)

    def _over_http(
        self, environ: dict[str, Any], body: bytes | None, start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if self._http is None:
            self._http = urllib3.PoolManager(num_pools=4, maxsize=32, retries=False)
        if body is None:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
        path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
        if not path.startswith("/"):  # an absolute URI in the request line: keep its path and query
            path = "/" + path.split("://", 1)[-1].split("/", 1)[-1]
        elif "?" not in path and environ.get("QUERY_STRING"):
            path = f"{path}?{environ['QUERY_STRING']}"
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in _HOP_BY_HOP
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        answer = self._http.request(
            environ["REQUEST_METHOD"],
            self.backend_url + path,
            body=body,
            headers=headers,
            redirect=False,
            preload_content=False,
            decode_content=False,
            timeout=urllib3.Timeout(connect=5.0, read=120.0),
        )
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in _NOT_RETURNED]
        start_response(f"{answer.status} {answer.reason or ''}".strip(), kept)
        return _release_after(answer)

    def close(self) -> None:
        """Release the connection pool."""
        if self._http is not None:
            self._http.clear()


def _release_after(answer: urllib3.BaseHTTPResponse) -> Iterable[bytes]:
    try:
        yield from answer.stream(64 * 1024)
    finally:
        answer.release_conn()
