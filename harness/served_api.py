"""An AWS API the harness serves itself: a WSGI app on loopback, in a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Self

from werkzeug.serving import BaseWSGIServer, make_server


class ServedApi:
    """Base of the Lambda, Step Functions and Scheduler APIs: start on a free port, stop cleanly."""

    thread_name = "served-api"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.url = ""
        self._server: BaseWSGIServer | None = None

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The WSGI entry point."""
        raise NotImplementedError

    def start(self) -> Self:
        """Serve on a free port (or the given one) in a background thread."""
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = make_server(self.host, self.port, self.wsgi, threaded=True)
        self._server = server
        self.port = server.server_port
        shown = "127.0.0.1" if self.host in {"0.0.0.0", ""} else self.host
        self.url = f"http://{shown}:{self.port}"
        # A short poll interval keeps shutdown() quick; every test closes its harness.
        threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.05), name=self.thread_name, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
