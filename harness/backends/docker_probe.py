"""Does a Docker engine answer here? The answer picks the default backend and skips container tests."""

from __future__ import annotations

import contextlib
import os

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"


def docker_engine_available(timeout: float = 2.0) -> tuple[bool, str]:
    """Whether a Docker engine answers at DOCKER_HOST (or the default socket), with a one-line reason."""
    host = os.environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST
    try:
        import docker
    except Exception as error:
        return (
            False,
            f"the docker Python SDK is not importable ({_one_line(error)}); no engine checked at {host}",
        )
    host = os.environ.get("DOCKER_HOST") or _context_host() or DEFAULT_DOCKER_HOST
    client = None
    try:
        # from_env reads DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and the docker context, like the CLI.
        client = docker.from_env(timeout=timeout)
        version = client.version().get("Version") or "(version unknown)"
    except Exception as error:
        return False, f"no Docker engine answered at {host}: {_one_line(error)}"
    finally:
        if client is not None:
            # Closing a half-open connection may fail; the answer stands either way.
            with contextlib.suppress(Exception):
                client.close()
    return True, f"Docker engine {version} answered at {host}"


def _context_host() -> str | None:
    """The host of a non-default `docker context use` selection, if any."""
    try:
        from docker.context import ContextAPI

        context = ContextAPI.get_current_context()
    except Exception:
        return None
    if context is None or context.Name == "default":
        return None
    return context.Host or None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
