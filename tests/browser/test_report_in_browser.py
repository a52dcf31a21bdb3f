"""Timeline reports in a real browser: one file that opens alone, shows each run's flow and fetches nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from harness_cli.cli import main
from tests.browser.views import flows_show, follow_cause_of

ROOT = Path(__file__).resolve().parents[2]


def assert_self_contained(page, report: Path) -> None:
    assert page.requested() == [report.as_uri()]
    assert page.errors() == []


def test_the_demo_report_shows_each_patterns_checks_and_flow(page, tmp_path, capsys):
    report = tmp_path / "demo.html"

    status = main(["demo", "--pattern", "9", "--pattern", "event-sourcing", "--report", str(report)])

    assert status == 0, capsys.readouterr().out
    page.open(report.as_uri())
    runs = page.wait_for("[...document.querySelectorAll('#runs button')].map((b) => b.textContent)", "no runs listed")
    assert runs == ["✓ Pattern 9: choreography with EventBridge", "✓ Pattern 15: event sourcing & CQRS"]
    page.wait_for(flows_show("PayOnOrder → PaymentService", "NotifyOnShip → NotificationService"), "no choreography")
    assert page.evaluate("document.querySelector('#run').innerText.includes('the services ran in the order')")

    page.evaluate("document.querySelectorAll('#runs button')[1].click()")
    page.wait_for(flows_show("EventStore → BalanceProjection"), "no event-sourcing flow after choosing its run")
    followed = page.evaluate(follow_cause_of("batch"))
    assert followed["open"] and followed["kind"] == "write" and followed["title"] == "dynamodb PutItem EventStore"
    assert_self_contained(page, report)


def test_a_test_sessions_report_puts_the_failing_test_first_with_its_flow(page, tmp_path):
    tests = tmp_path / "test_orders.py"
    tests.write_text(
        textwrap.dedent(
            """
            from provisioning.stacks import choreography_stack


            def test_an_order_is_paid(harness):
                harness.deploy(choreography_stack())
                harness.invoke("OrderPublisher", {"amount": 75.0, "customerId": "c-1"}).value()
                harness.drain()
                assert harness.logs("PaymentService").invocations


            def test_an_order_is_refunded(harness):
                harness.deploy(choreography_stack())
                harness.invoke("OrderPublisher", {"amount": 12.5, "customerId": "c-2"}).value()
                harness.drain()
                assert harness.logs("NotificationService").contains("refunded"), "no refund was notified"
            """
        )
    )
    report = tmp_path / "session.html"

    # Two xdist workers: each sends its tests' part, the controller writes the one file.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(tests), "-n", "2", "-q", "--harness-report", str(report)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert f"harness timeline report: {report}" in done.stdout
    page.open(report.as_uri())
    runs = page.wait_for("[...document.querySelectorAll('#runs button')].map((b) => b.textContent)", "no runs listed")
    assert runs == ["✗ test_orders.py::test_an_order_is_refunded", "✓ test_orders.py::test_an_order_is_paid"]
    failure = page.wait_for("document.querySelector('#run pre.failure')?.textContent", "the failure is not shown")
    assert "no refund was notified" in failure
    page.wait_for(flows_show("NotifyOnShip → NotificationService"), "the failing test's flow is not shown")
    logs = page.evaluate(
        "[...document.querySelectorAll('#timeline li[data-kind=invocation] pre.logs')].map((p) => p.textContent)"
    )
    assert any("[NOTIFY] Order" in text for text in logs)
    assert_self_contained(page, report)
