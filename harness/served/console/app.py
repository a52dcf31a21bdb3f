"""The console's WSGI app: `/_harness/console/` (page, script, style) and `/_harness/api/snapshot` (JSON)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

from harness.served.console.snapshot import SnapshotBuilder

CONSOLE_PATH = "/_harness/console/"
SNAPSHOT_PATH = "/_harness/api/snapshot"
_ASSETS = {
    "": ("console.html", "text/html; charset=utf-8"),
    "console.js": ("console.js", "text/javascript; charset=utf-8"),
    "console.css": ("console.css", "text/css; charset=utf-8"),
}
# The page may load only its own assets and call only its own origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def asset(name: str) -> str:
    """The text of one of the console's files shipped with the package."""
    return resources.files("harness.served.console").joinpath("static", name).read_text(encoding="utf-8")


class ConsoleApp:
    """Serves the console of one harness; `snapshot` builds the JSON the page polls."""

    def __init__(self, snapshot: SnapshotBuilder) -> None:
        self.snapshot = snapshot

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return _respond(start_response, "405 Method Not Allowed", "text/plain", b"GET only\n", [("Allow", "GET")])
        if path in ("/_harness", "/_harness/", CONSOLE_PATH.rstrip("/")):
            return _respond(start_response, "302 Found", "text/plain", b"", [("Location", CONSOLE_PATH)])
        if path == SNAPSHOT_PATH:
            query = environ.get("QUERY_STRING", "")
            limit = _limit(query)
            body = json.dumps(self.snapshot.build(limit=limit, fresh=False)).encode()
            return _respond(start_response, "200 OK", "application/json", body, [("Cache-Control", "no-store")])
        if path.startswith(CONSOLE_PATH) and path[len(CONSOLE_PATH) :] in _ASSETS:
            name, content_type = _ASSETS[path[len(CONSOLE_PATH) :]]
            return _respond(start_response, "200 OK", content_type, asset(name).encode())
        message = f"no harness page at {path}; the console is at {CONSOLE_PATH}\n".encode()
        return _respond(start_response, "404 Not Found", "text/plain; charset=utf-8", message)


def _limit(query: str) -> int | None:
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key == "limit" and value.isdigit():
            return int(value)
    return 500


def _respond(
    start_response: Callable[..., Any],
    status: str,
    content_type: str,
    body: bytes,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    headers = [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        *(extra or []),
    ]
    start_response(status, headers)
    return [body]
