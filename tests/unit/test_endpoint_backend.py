"""The endpoint backend checks that an emulator answers before anything is deployed to it."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from harness.backends.endpoint import EndpointBackend
from harness.backends.errors import BackendUnavailable


@pytest.fixture
def answering_url() -> Iterator[str]:
    """A loopback server that answers every request with 404, as an emulator does at its root."""

    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_endpoint_that_answers_is_usable(answering_url):
    backend = EndpointBackend(answering_url)

    assert backend.check_reachable() is backend


def test_an_endpoint_nobody_answers_is_refused_naming_it():
    url = f"http://127.0.0.1:{closed_port()}"

    with pytest.raises(BackendUnavailable, match=f"no emulator answered at {url}"):
        EndpointBackend(url).check_reachable(timeout=2)
