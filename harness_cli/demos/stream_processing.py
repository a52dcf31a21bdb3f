"""Pattern 7's verify steps: produce readings, let the stream deliver them, check rows and alerts."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import stream_processing_stack


def demo_stream_processing(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 7."""
    stack = harness.deploy(stream_processing_stack(), progress=report.note)
    sent = harness.invoke("SensorProducer", {"count": 10, "seed": 7}).value()
    report.check('SensorProducer {"count": 10} published 10 readings', sent == {"sent": 10})
    harness.drain()
    items = harness.client("dynamodb").scan(TableName="SensorMetrics")["Items"]
    sensors = sorted({item["sensorId"]["S"] for item in items})
    report.check("SensorMetrics holds 10 rows with sensor ids and timestamps", len(items) == 10, ", ".join(sensors))
    logs = harness.logs("SensorStreamProcessor")
    report.check(
        "/aws/lambda/SensorStreamProcessor logged every reading",
        len(logs.matching("Sensor") + logs.matching("ALERT")) == 10,
        f"{len(logs.invocations)} invocation(s)",
    )
    harness.invoke("SensorProducer", {"count": 3, "temperature": 90}).value()
    harness.drain()
    alerts = logs.matching("ALERT: High temperature 90")
    report.check("forcing 90°C logs the 🚨 ALERT line", len(alerts) == 3, alerts[0] if alerts else "no alert")
    batches = stack.mapping("SensorStreamProcessor").batches
    report.check("no batch exceeded the trigger's batch size of 10", max(batches) <= 10, f"batches {batches}")
