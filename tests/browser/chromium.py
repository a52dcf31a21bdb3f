"""A headless Chromium driven over the DevTools protocol: open a page, evaluate, and watch requests and errors.

Chromium runs with a fresh profile and without its own background traffic, so every request the page's
Network domain reports is one the page made.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from typing import Any

import websocket

from harness.waiting import eventually

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--remote-debugging-port=0",
)


def chromium_binary() -> str | None:
    """Debian's chromium (or the one HARNESS_CHROMIUM names), if installed."""
    named = os.environ.get("HARNESS_CHROMIUM")
    if named:
        return named if shutil.which(named) else None
    return next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)


class Chromium:
    """One headless browser process with a throw-away profile."""

    def __init__(self, binary: str) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="harness-chromium-")
        self.process = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.browser_url = self._devtools_url()
        self.port = int(self.browser_url.split(":")[2].split("/")[0])

    def _devtools_url(self) -> str:
        assert self.process.stderr is not None
        seen = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if "DevTools listening on " in line:
                return line.split("DevTools listening on ", 1)[1].strip()
        self.close()
        raise RuntimeError("chromium did not start its DevTools endpoint:\n" + "".join(seen[-20:]))

    def new_page(self) -> Page:
        """A fresh tab, with requests, console messages and exceptions recorded."""
        browser = _Connection(self.browser_url)
        try:
            target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        finally:
            browser.close()
        return Page(_Connection(f"ws://127.0.0.1:{self.port}/devtools/page/{target}"))

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.profile.cleanup()


class _Connection:
    """One DevTools websocket: calls by id, events kept in order."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def close(self) -> None:
        self.socket.close()


class Page:
    """A tab: navigate, evaluate JavaScript, and read what it requested and what it complained about."""

    def __init__(self, connection: _Connection) -> None:
        self.connection = connection
        for domain in ("Page", "Runtime", "Network", "Log"):
            connection.call(f"{domain}.enable")

    def open(self, url: str) -> None:
        """Navigate and wait until the document has loaded."""
        self.connection.events.clear()
        self.connection.call("Page.navigate", url=url)
        self.wait_for(
            f"location.href === {json.dumps(url)} && document.readyState === 'complete'",
            f"{url} never finished loading",
        )

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited); a thrown error fails with its text."""
        result = self.connection.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, message: str, timeout: float = 90.0) -> Any:
        """The first truthy value of `expression`, evaluated until it comes."""
        return eventually(lambda: self.evaluate(expression), timeout=timeout, message=message)

    def requested(self) -> list[str]:
        """Every URL the page asked for since it was opened."""
        return [
            event["params"]["request"]["url"]
            for event in self.connection.events
            if event["method"] == "Network.requestWillBeSent"
        ]

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads since the page was opened."""
        found = []
        for event in self.connection.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(params.get("exceptionDetails", {}))[:500])
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append(params["entry"].get("text", ""))
            elif event["method"] == "Network.loadingFailed":
                found.append(f"load failed: {params.get('errorText')}")
        return found

    def screenshot(self, path: str) -> None:
        """Save a PNG of the page (for looking at a failure)."""
        data = self.connection.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self) -> None:
        self.connection.close()
