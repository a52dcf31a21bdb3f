"""A WSGI app served on loopback (or a chosen address) from a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the AWS CLI and boto3 reuse their connections

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class LoopbackServer:
    """Serves one WSGI app on a free port (or the given one) until stopped.

    Example:
        >>> server = LoopbackServer(app).start()  # doctest: +SKIP
        >>> server.url  # doctest: +SKIP
        'http://127.0.0.1:53817'
    """

    def __init__(self, app: Callable[..., Any], host: str = "127.0.0.1", port: int = 0, name: str = "gateway") -> None:
        self.app = app
        self.host = host
        self.port = port
        self.name = name
        self.url = ""
        self._server: BaseWSGIServer | None = None

    def start(self) -> Self:
        """Bind and serve in a daemon thread; OSError names the address when it is taken."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        try:
            server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler)
        except OSError as exc:
            raise OSError(f"cannot listen on {self.host}:{self.port}: {exc.strerror or exc}") from None
        self._server = server
        self.port = server.server_port
        shown = "127.0.0.1" if self.host in {"0.0.0.0", ""} else self.host
        self.url = f"http://{shown}:{self.port}"
        # A short poll interval keeps shutdown() quick; every test closes its harness.
        threading.Thread(target=lambda: server.serve_forever(poll_interval=0.05), name=self.name, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
