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


def test_a_pattern_is_found_by_its_number_or_its_name():
    from harness_cli.demos import DEMOS, resolve_pattern

    assert resolve_pattern("15", DEMOS) == "event-sourcing"
    assert resolve_pattern("Stream processing", DEMOS) == "stream-processing"
    assert resolve_pattern("scheduled_automation", DEMOS) == "scheduled-automation"


def test_an_unknown_pattern_number_is_refused_naming_what_there_is(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--pattern", "99"])

    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "'99'" in err and "15 event-sourcing" in err


def test_a_failing_check_fails_the_demo_and_says_what_failed(capsys, monkeypatch, tmp_path):
    from harness_cli import demos

    def broken(harness, report):
        report.check("the answer is 42", False, "got 41")
        report.check("the harness has an account", bool(harness.account.account_id))

    monkeypatch.setitem(demos.DEMOS, "broken", ("Pattern 99: broken on purpose", broken))
    report = tmp_path / "report.html"

    status = main(["demo", "--pattern", "99", "--aws-backend", "embedded", "--report", str(report)])

    out = capsys.readouterr().out
    assert status == 1
    assert "[1/1] Pattern 99: broken on purpose" in out
    assert "1 of 2 checks FAILED" in out
    assert "✗ Pattern 99: broken on purpose: the answer is 42 — got 41" in out
    table = out.split("Pattern                 ", 1)[1]
    assert "the answer is 42" in table and "FAIL" in table and "pass" in table
    assert '"outcome": "failed"' in report.read_text()
