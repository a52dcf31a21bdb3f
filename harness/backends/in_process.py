"""Calls to the embedded backend go straight into moto's WSGI app, skipping TCP and HTTP parsing.

Every boto3 session the harness makes (its own and each function's) sends requests for a registered
endpoint through `before_send`; anything else (the AWS CLI, other processes) still reaches the same
app through its HTTP server on loopback. The request and the response are the ones HTTP would carry,
so botocore parses and the emulator handles them exactly as over the wire.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import urllib3
from botocore.awsrequest import AWSResponse
from werkzeug.test import EnvironBuilder, run_wsgi_app

WsgiApp = Callable[..., Any]

_apps: dict[str, WsgiApp] = {}
_lock = threading.Lock()


def register(endpoint_url: str, app: WsgiApp) -> None:
    """Route requests for `endpoint_url` (scheme://host:port) into `app`."""
    with _lock:
        _apps[urlsplit(endpoint_url).netloc] = app


def unregister(endpoint_url: str) -> None:
    """Stop routing `endpoint_url` in process (no error if it was not registered)."""
    with _lock:
        _apps.pop(urlsplit(endpoint_url).netloc, None)


def app_for(endpoint_url: str) -> WsgiApp | None:
    """The app registered for `endpoint_url`, if any."""
    return _apps.get(urlsplit(endpoint_url).netloc)


def _body(request: Any) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if hasattr(body, "read"):
        return body.read()
    if isinstance(body, bytes | bytearray):
        return bytes(body)
    return b"".join(body)  # an iterable of chunks


def before_send(request: Any = None, **_: Any) -> AWSResponse | None:
    """botocore `before-send` hook: answer requests for a registered endpoint in process."""
    if request is None:
        return None
    parts = urlsplit(request.url)
    app = _apps.get(parts.netloc)
    if app is None:
        return None
    headers = {
        key: value.decode("latin-1") if isinstance(value, bytes) else value  # botocore keeps some as bytes
        for key, value in request.headers.items()
        if key.lower() != "transfer-encoding"
    }
    data = _body(request)
    environ = EnvironBuilder(
        path=parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}",
        query_string=parts.query,
        method=request.method,
        headers=headers,
        data=data,
    ).get_environ()
    environ["REMOTE_ADDR"] = "127.0.0.1"
    chunks, status, response_headers = run_wsgi_app(app, environ, buffered=True)
    content = b"".join(chunks)
    raw = urllib3.HTTPResponse(
        body=io.BytesIO(content),
        headers=dict(response_headers.items()),
        status=int(status.split(" ", 1)[0]),
        request_method=request.method,  # a HEAD answer has a Content-Length and no body
        preload_content=False,
        decode_content=False,
    )
    return AWSResponse(request.url, raw.status, raw.headers, raw)
