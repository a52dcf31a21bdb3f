"""The localstack backend against a real LocalStack container (skipped where no Docker engine answers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.backends.docker_probe import docker_engine_available
from harness.backends.localstack import LocalStackBackend

DOCKER_AVAILABLE, DOCKER_REASON = docker_engine_available()

pytestmark = pytest.mark.skipif(not DOCKER_AVAILABLE, reason=DOCKER_REASON)


def test_localstack_backend_serves_isolated_accounts(tmp_path: Path) -> None:
    backend = LocalStackBackend().with_state_dir(tmp_path).start()
    try:
        account = backend.new_account()
        other = backend.new_account()

        queue_url = account.client("sqs").create_queue(QueueName="harness-smoke")["QueueUrl"]

        assert account.account_id in queue_url
        assert account.client("sqs").get_queue_url(QueueName="harness-smoke")["QueueUrl"] == queue_url
        assert other.client("sqs").list_queues().get("QueueUrls", []) == []
    finally:
        backend.stop()
    assert not (tmp_path / "localstack.json").exists()
