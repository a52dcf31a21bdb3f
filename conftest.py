"""Registers the harness's pytest plugin: backend options, header and fixtures."""

pytest_plugins = ["harness.pytest_plugin"]
