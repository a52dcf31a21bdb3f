"""docker-compose.yml against what `serve` offers (no machine here runs Docker, so the file is checked as text)."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from harness.served.console import CONSOLE_PATH, SNAPSHOT_PATH
from harness.served.gateway import HARNESS_PREFIX, HEALTH_PATH
from harness_cli.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_harness_service_serves_its_one_endpoint_on_the_published_port():
    service = compose()["services"]["harness"]
    command = shlex.split(service["command"])
    args = build_parser().parse_args(command[3:])  # after `python -m harness`

    assert command[:4] == ["python", "-m", "harness", "serve"]
    assert args.bind == "0.0.0.0"
    assert service["ports"] == [f"127.0.0.1:4566:{args.port}"]
    assert args.aws_endpoint == "http://localstack:4566"
    assert HEALTH_PATH in " ".join(service["healthcheck"]["test"])
    assert f":{args.port}{HEALTH_PATH}" in " ".join(service["healthcheck"]["test"])


def test_localstack_is_pinned_healthy_first_and_only_on_loopback():
    services = compose()["services"]

    assert services["localstack"]["image"] == "localstack/localstack:4.14.0"
    assert services["harness"]["depends_on"]["localstack"]["condition"] == "service_healthy"
    for service in services.values():
        assert all(port.startswith("127.0.0.1:") for port in service.get("ports", []))


def test_the_image_runs_the_same_serve_command():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "EXPOSE 4566" in dockerfile
    assert '"--port", "4566"' in dockerfile


def test_the_console_is_on_the_one_published_endpoint():
    service = compose()["services"]["harness"]
    args = build_parser().parse_args(shlex.split(service["command"])[3:])

    assert CONSOLE_PATH.startswith(HARNESS_PREFIX) and SNAPSHOT_PATH.startswith(HARNESS_PREFIX)
    assert service["ports"] == [f"127.0.0.1:4566:{args.port}"]  # no port of its own
    assert f"http://127.0.0.1:4566{CONSOLE_PATH}" in (ROOT / "docker-compose.yml").read_text()
