"""Which backend to use, and why: the user's choice, else LocalStack where Docker answers, else embedded."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harness.backends.base import Backend
from harness.backends.docker_probe import docker_engine_available
from harness.backends.guard import check_endpoint

CHOICES = ("auto", "embedded", "localstack", "endpoint")
BACKEND_VARIABLE = "HARNESS_BACKEND"


@dataclass(frozen=True)
class Selection:
    """The chosen backend's name, its endpoint when given, and the reason in words."""

    name: str
    reason: str
    endpoint_url: str | None = None


def select_backend(
    requested: str | None = None, endpoint_url: str | None = None, *, allow_real_aws: bool = False
) -> Selection:
    """Decide the backend from the request, HARNESS_BACKEND, AWS_ENDPOINT_URL and Docker's presence."""
    requested = (requested or os.environ.get(BACKEND_VARIABLE) or "auto").lower()
    if requested not in CHOICES:
        raise ValueError(f"unknown backend {requested!r}; choose one of {', '.join(CHOICES)}")
    endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    if requested == "endpoint" or (requested == "auto" and endpoint_url):
        if not endpoint_url:
            raise ValueError("backend 'endpoint' needs --aws-endpoint URL or AWS_ENDPOINT_URL")
        check_endpoint(endpoint_url, allow_real_aws=allow_real_aws)
        how = "requested" if requested == "endpoint" else "AWS_ENDPOINT_URL / --aws-endpoint is set"
        return Selection("endpoint", how, endpoint_url)
    if requested in {"embedded", "localstack"}:
        return Selection(requested, "requested")
    available, why = docker_engine_available()
    if available:
        return Selection("localstack", why)
    return Selection("embedded", why)


def create_backend(selection: Selection, *, state_dir: Path | None = None, allow_real_aws: bool = False) -> Backend:
    """Build and start the selected backend."""
    if selection.name == "embedded":
        from harness.backends.embedded import EmbeddedBackend

        return EmbeddedBackend().start()
    if selection.name == "localstack":
        from harness.backends.localstack import LocalStackBackend

        backend = LocalStackBackend()
        if state_dir is not None:
            backend = backend.with_state_dir(state_dir)
        return backend.start()
    from harness.backends.endpoint import EndpointBackend

    assert selection.endpoint_url is not None
    return EndpointBackend(selection.endpoint_url, allow_real_aws=allow_real_aws).check_reachable()
