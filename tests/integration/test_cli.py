"""The command line: the demo reports its checks, and bad input is refused with a clear message."""

from __future__ import annotations

import pytest

from harness_cli.cli import main


def test_demo_verifies_a_pattern_and_says_so(capsys):
    status = main(["demo", "event-sourcing", "--aws-backend", "embedded"])

    out = capsys.readouterr().out
    assert status == 0
    assert "✓ balance is 1250 (1000 - 250 + 500)" in out
    assert "checks passed" in out
    assert "every resource was removed" in out


def test_demo_refuses_an_unknown_pattern(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "no-such-pattern"])

    assert exit_info.value.code == 2
    assert "no-such-pattern" in capsys.readouterr().err


def test_a_real_aws_endpoint_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("HARNESS_ALLOW_REAL_AWS", raising=False)

    status = main(["demo", "--aws-endpoint", "https://dynamodb.us-east-1.amazonaws.com"])

    assert status == 2
    assert "is real AWS" in capsys.readouterr().err
