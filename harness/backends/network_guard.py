"""Refuse every connection the process makes beyond loopback and the backend while the guard is active.

A harness activates the guard for its lifetime (the pytest plugin for the whole run): from then on a
Python audit hook refuses `getaddrinfo` and `connect` for any other host, whoever calls them (the
harness, a handler's boto3 client with its own `endpoint_url`, urllib, a raw socket), and every boto3
session the harness makes refuses a request to such an endpoint before it is signed, naming its URL.
Opting into real AWS (`HARNESS_ALLOW_REAL_AWS=yes` or `--allow-real-aws`) lifts the guard.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from harness.backends.guard import ALLOW_REAL_AWS_VARIABLE, RealAwsRefused, is_loopback, real_aws_allowed


class ConnectionRefusedByGuard(RealAwsRefused):
    """A connection to a host other than loopback or the backend, while the guard is active."""


_lock = threading.Lock()
_activations = 0
_installed = False
_allowed: dict[str, int] = {}  # host names and addresses besides loopback -> how many activations allow them
_refusals: list[str] = []  # one line per refused connection, oldest first


def _normal(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _addresses_of(host: str) -> set[str]:
    """The host itself and, for a name, the addresses it resolves to now (none if it does not resolve)."""
    found = {host}
    try:
        ipaddress.ip_address(host)
        return found
    except ValueError:
        pass
    with contextlib.suppress(OSError):
        found.update(_normal(str(info[4][0])) for info in socket.getaddrinfo(host, None))
    return found


def activate(*hosts: str | None) -> Callable[[], None]:
    """Guard this process, also allowing `hosts` (the backend's); return a function that releases it."""
    global _activations
    names = {_normal(host) for host in hosts if host and not is_loopback(_normal(host))}
    allowed: set[str] = set()

    def allow(found: set[str]) -> None:
        for host in found - allowed:
            _allowed[host] = _allowed.get(host, 0) + 1
        allowed.update(found)

    with _lock:
        _install()
        _activations += 1
        allow(names)
    resolved = set().union(*(_addresses_of(name) for name in names))  # the names are allowed by now
    with _lock:
        allow(resolved)
    released = False

    def release() -> None:
        global _activations
        nonlocal released
        with _lock:
            if released:
                return
            released = True
            _activations -= 1
            for host in allowed:
                _allowed[host] -= 1
                if not _allowed[host]:
                    del _allowed[host]

    return release


def active() -> bool:
    """True while some harness (or the test run) holds the guard and nobody opted into real AWS."""
    return _activations > 0 and not real_aws_allowed()


def host_allowed(host: str) -> bool:
    """True for loopback and for the hosts an activation allowed."""
    host = _normal(host)
    return is_loopback(host) or host in _allowed or host.endswith(".localhost")


def check_host(host: str, port: Any, caller: str) -> None:
    """Raise ConnectionRefusedByGuard naming `caller` when the guard is active and `host` is not allowed."""
    if not active() or host_allowed(host):
        return
    allowed = ", ".join(["loopback", *sorted(_allowed)])
    line = f"{caller} refused: {host}:{port} is outside the harness ({allowed})"
    with _lock:
        _refusals.append(line)
    raise ConnectionRefusedByGuard(
        f"{line}. The harness talks to emulators only; set {ALLOW_REAL_AWS_VARIABLE}=yes "
        "(or pass --allow-real-aws) to reach anything else."
    )


def take_refusals() -> list[str]:
    """The refusals since the last call, oldest first (a test that expects one takes it)."""
    with _lock:
        taken = list(_refusals)
        _refusals.clear()
    return taken


def check_url(url: str, caller: str = "request") -> None:
    """Refuse a request to `url` unless its host is allowed (see `check_host`)."""
    parts = urlsplit(url)
    if parts.hostname:
        check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), f"{caller} to {url}")


def before_send(request: Any = None, **_: Any) -> None:
    """botocore `before-send` hook: refuse a request to an endpoint outside the harness, naming its URL."""
    if request is not None and active():
        check_url(request.url, "AWS request")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not event.startswith("socket.") or _activations == 0:
        return
    if event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("idna", "replace")
        if host:
            check_host(str(host), args[1], "name lookup")
    elif event == "socket.connect":
        sock, address = args
        if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
            check_host(str(address[0]), address[1], "connection")


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; `_activations` switches this one off
        _installed = True
