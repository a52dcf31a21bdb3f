"""The console in a real browser: each pattern's flow shows, a cause can be followed, nothing leaves the origin.

Headless chromium over the DevTools protocol; the tests are skipped where chromium is not installed.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest

from harness_cli.demos import DEMOS, Report
from provisioning.stacks import stream_processing_stack
from tests.browser.views import flows_show, follow_cause_of

# What each pattern's flow shows: the happenings of its chain, named as the console names them.
FLOWS = {
    "stream-processing": (
        "kinesis PutRecord SensorStream",
        "SensorStream → SensorStreamProcessor",
        "PutItem SensorMetrics",
    ),
    "orchestration": ("OrderPipeline: ", "CheckInventory", "ProcessPayment", "ShipOrder"),
    "choreography": (
        "PayOnOrder → PaymentService",
        "FulfillOnPayment → FulfillmentService",
        "NotifyOnShip → NotificationService",
    ),
    "scheduled-automation": ("HealthCheckEvery5Min run", "DailyHealthCheck"),
    "rag": ("DocumentIngester", "bedrock-runtime InvokeModel", "PutItem KnowledgeBase", "RAGQuery"),
    "agentic": ("AgentOrchestrator", "bedrock-runtime InvokeModel", "PriceCalculator", "InventoryChecker"),
    "document-intelligence": ("TextractExtractor", "textract DetectDocumentText", "textract AnalyzeDocument"),
    "data-lake": ("DataLakeTransformer", "s3 PutObject", "processed/sales.csv"),
    "event-sourcing": ("PutItem EventStore", "EventStore → BalanceProjection", "UpdateItem AccountBalance"),
}
# The happening whose cause link each test follows, and the kind that cause has (a pattern not named here:
# the newest happening that has a cause).
FOLLOWED = {
    "stream-processing": ("batch", "write"),
    "orchestration": ("invocation", "execution"),
    "choreography": ("rule", "write"),
    "scheduled-automation": ("invocation", "schedule"),
    "rag": ("write", "invocation"),
    "agentic": ("invocation", "invocation"),
    "document-intelligence": ("call", "invocation"),
    "data-lake": ("write", "invocation"),
    "event-sourcing": ("batch", "write"),
}


def console_url(harness) -> str:
    return f"{harness.endpoint_url}/_harness/console/"


def assert_stayed_home(page, origin: str) -> None:
    outside = [url for url in page.requested() if not url.startswith(origin) and not url.startswith("data:")]
    assert outside == [], f"requests outside {origin}: {outside}"
    assert page.errors() == []


@pytest.mark.parametrize("pattern", list(DEMOS))
def test_the_console_shows_each_patterns_flow_and_follows_a_cause(harness, page, pattern):
    title, demo = DEMOS[pattern]
    report = Report(out=io.StringIO())
    demo(harness, report)
    assert report.failed == []

    page.open(console_url(harness))

    page.wait_for(flows_show(*FLOWS.get(pattern, ("invocation",))), f"the console never showed the flow of {title}")
    kind, cause_kind = FOLLOWED.get(pattern, (None, None))
    followed = page.evaluate(follow_cause_of(kind))
    assert followed is not None, f"no {kind or 'happening'} with a cause in the timeline"
    assert followed["hash"] == f"#h-{followed['goal']}"
    assert followed["open"] and followed["kind"] == (cause_kind or followed["kind"])
    assert followed["from"].removeprefix("h-") in followed["effects"]  # and back again, cause to effect
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(harness.endpoint_url))
    assert_stayed_home(page, origin)


def test_the_console_draws_each_execution_path_and_its_current_state(harness, page):
    _, demo = DEMOS["orchestration"]
    demo(harness, Report(out=io.StringIO()))

    page.open(console_url(harness))

    drawn = page.wait_for(
        """(() => { const card = [...document.querySelectorAll('.execution')].find(
              (c) => c.querySelector('.path').textContent.includes('ShipOrder → OrderComplete'));
            return card && [...card.querySelectorAll('g.node.ok')].map((n) => n.dataset.state); })()""",
        "no execution drawn with its path",
    )
    assert drawn == ["CheckInventory", "ProcessPayment", "ShipOrder", "OrderComplete"]
    failed = page.evaluate("[...document.querySelectorAll('g.node.error')].map((n) => n.dataset.state)")
    assert "CheckInventory" in failed  # the out-of-stock order stopped there


def test_the_console_follows_the_run_while_it_goes_on(harness, page):
    harness.deploy(stream_processing_stack())
    page.open(console_url(harness))
    page.wait_for("document.querySelector('#status').className === 'live'", "the console never went live")
    assert page.evaluate(flows_show("SensorStream → SensorStreamProcessor")) is False

    harness.invoke("SensorProducer", {"count": 3, "seed": 1}).value()
    harness.drain()

    page.wait_for(flows_show("SensorStream → SensorStreamProcessor"), "the console never showed the new batch")
    assert page.evaluate("document.querySelector('#event-sources').innerText.includes('Enabled')")
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(harness.endpoint_url))
    assert_stayed_home(page, origin)
