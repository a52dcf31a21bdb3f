"""The pytest plugin as another project gets it: installed through its entry point, inert until used."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def run_pytest(directory: Path, test: str) -> subprocess.CompletedProcess[str]:
    (directory / "test_probe.py").write_text(textwrap.dedent(test))
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_XDIST"))}
    environment["AWS_CONFIG_FILE"] = "/the/users/own/config"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", str(directory)],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_session_that_uses_no_fixture_is_left_alone(tmp_path):
    result = run_pytest(
        tmp_path,
        """
        import os

        def test_nothing_changed(request):
            assert request.config.pluginmanager.hasplugin("serverless_harness")
            assert os.environ["AWS_CONFIG_FILE"] == "/the/users/own/config"
            assert "docker" not in __import__("sys").modules  # no Docker probe
        """,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "aws backend: auto" in result.stdout


def test_another_project_gets_the_harness_fixture_without_a_conftest(tmp_path):
    result = run_pytest(
        tmp_path,
        """
        import os

        def test_uses_the_harness(harness):
            assert harness.client("sqs").list_queues().get("QueueUrls") is None
            assert os.environ["AWS_CONFIG_FILE"] == os.devnull
        """,
    )

    assert result.returncode == 0, result.stdout + result.stderr
