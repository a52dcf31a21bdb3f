"""The console on the harness's one endpoint: its page and snapshot next to every AWS API, and the causal chain."""

from __future__ import annotations

import json
import urllib.request

from harness.served.console import CONSOLE_PATH, SNAPSHOT_PATH
from provisioning.stacks import stream_processing_stack


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.headers["Content-Type"], answer.read().decode()


def test_the_gateway_serves_the_console_and_its_snapshot(harness):
    harness.deploy(stream_processing_stack())

    status, kind, page = fetch(harness.endpoint_url + CONSOLE_PATH)
    _, _, text = fetch(harness.endpoint_url + SNAPSHOT_PATH)

    assert (status, kind) == (200, "text/html; charset=utf-8") and "console.js" in page
    snapshot = json.loads(text)
    assert [f["name"] for f in snapshot["functions"]] == ["SensorProducer", "SensorStreamProcessor"]
    assert [(s["source"], s["function"], s["state"]) for s in snapshot["eventSources"]] == [
        ("SensorStream", "SensorStreamProcessor", "Enabled")
    ]
    assert harness.client("kinesis").list_streams()["StreamNames"] == ["SensorStream"]  # AWS calls still pass


def test_each_reading_can_be_followed_from_the_producer_to_the_row_it_wrote(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 3, "seed": 7}).value()
    harness.drain()

    entries = {e["id"]: e for e in harness.snapshot()["timeline"]}
    rows = [e for e in entries.values() if e["title"] == "dynamodb PutItem SensorMetrics"]
    assert len(rows) == 3
    for row in rows:
        chain = [row]
        while chain[-1]["cause"]:
            chain.append(entries[chain[-1]["cause"]])
        assert [(e["kind"], e["title"].split(" (")[0]) for e in reversed(chain)] == [
            ("invocation", "SensorProducer"),
            ("write", "kinesis PutRecord SensorStream"),
            ("batch", "SensorStream → SensorStreamProcessor"),
            ("invocation", "SensorStreamProcessor"),
            ("write", "dynamodb PutItem SensorMetrics"),
        ]
    processors = [e for e in entries.values() if e["kind"] == "invocation" and e["title"] == "SensorStreamProcessor"]
    assert all(e["status"] == "ok" and e["logs"] for e in processors)
