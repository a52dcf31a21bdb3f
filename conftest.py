"""The harness's pytest plugin comes with the installed package (its `pytest11` entry point).

This project's own suite also runs under the network guard from start to end: a test that connects
beyond 127.0.0.1 (and the backend) fails, whether or not it uses a harness.
"""

import pytest

from harness.pytest_plugin import guard_the_whole_run


def pytest_configure(config: pytest.Config) -> None:
    guard_the_whole_run(config)
