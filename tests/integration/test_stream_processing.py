"""Pattern 7 end to end: SensorProducer -> SensorStream -> SensorStreamProcessor -> SensorMetrics."""

from __future__ import annotations

import json

from provisioning.stacks import stream_processing_stack


def scan_all(harness, table: str) -> list[dict]:
    """Every item of a table, across pages."""
    client = harness.client("dynamodb")
    items, request = [], {"TableName": table}
    while True:
        page = client.scan(**request)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_ten_readings_become_ten_rows_with_sensor_ids_and_timestamps(harness):
    stack = harness.deploy(stream_processing_stack())

    result = harness.invoke("SensorProducer", {"count": 10, "seed": 42})
    harness.drain()

    assert result.value() == {"sent": 10}
    rows = scan_all(harness, "SensorMetrics")
    assert len(rows) == 10
    assert {row["sensorId"]["S"] for row in rows} == {"sensor-01", "sensor-02", "sensor-03"}
    assert all(row["timestamp"]["S"][:4].isdigit() for row in rows)
    assert all(row["shardId"]["S"].startswith("shardId-000000000000:") for row in rows)
    logs = harness.logs("SensorStreamProcessor")
    assert sum(int(line.split()[1]) for line in logs.matching("Processed")) == 10
    assert stack.mapping("SensorStreamProcessor").delivered == 10


def test_rows_hold_the_readings_the_producer_sent(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 6, "seed": 3}).value()
    harness.drain()

    rows = scan_all(harness, "SensorMetrics")
    temperatures = sorted(float(row["temperature"]["S"]) for row in rows)
    assert len(temperatures) == 6
    assert all(60 <= t <= 95 for t in temperatures)
    humidities = [float(row["humidity"]["S"]) for row in rows]
    assert all(30 <= h <= 90 for h in humidities)


def test_same_seed_gives_same_readings(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 3, "seed": 9}).value()
    harness.invoke("SensorProducer", {"count": 3, "seed": 9}).value()
    harness.drain()

    rows = scan_all(harness, "SensorMetrics")
    by_sensor: dict[str, set[str]] = {}
    for row in rows:
        by_sensor.setdefault(row["sensorId"]["S"], set()).add(row["temperature"]["S"])
    assert len(rows) == 6
    assert all(len(temps) == 1 for temps in by_sensor.values())


def test_forced_90_degrees_logs_an_alert_for_every_reading(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 4, "temperature": 90}).value()
    harness.drain()

    alerts = harness.logs("SensorStreamProcessor").matching("🚨 ALERT: High temperature 90°C")
    assert len(alerts) == 4
    assert {alert.rsplit(" ", 1)[1] for alert in alerts} == {"sensor-01", "sensor-02", "sensor-03"}


def test_normal_readings_log_a_check_mark_not_an_alert(harness):
    harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 2, "temperature": 70}).value()
    harness.drain()

    logs = harness.logs("SensorStreamProcessor")
    assert not logs.contains("ALERT")
    assert len(logs.matching("✅ Sensor")) == 2


def test_batches_never_exceed_ten_records(harness):
    stack = harness.deploy(stream_processing_stack())

    harness.invoke("SensorProducer", {"count": 35, "seed": 1}).value()
    harness.drain()

    batches = stack.mapping("SensorStreamProcessor").batches
    assert sum(batches) == 35
    assert max(batches) <= 10
    assert len(scan_all(harness, "SensorMetrics")) == 35


def test_readings_of_one_sensor_in_one_batch_are_all_kept(harness):
    stack = harness.deploy(stream_processing_stack())
    mapping = stack.mapping("SensorStreamProcessor")
    mapping.stop()  # hold delivery so the whole burst lands in one batch

    harness.invoke("SensorProducer", {"count": 10, "temperature": 75}).value()
    harness.drain()

    assert mapping.batches == [10]
    rows = scan_all(harness, "SensorMetrics")
    assert len(rows) == 10
    assert len({(r["sensorId"]["S"], r["timestamp"]["S"]) for r in rows}) == 10


def test_records_written_before_the_trigger_are_skipped_from_latest(harness):
    stream = harness.client("kinesis")
    stack = stream_processing_stack()
    stream_resource = stack.resources[0]
    stream_resource.create(harness.account)
    stream.put_record(StreamName="SensorStream", Data=json.dumps({"sensorId": "early"}), PartitionKey="early")

    harness.deploy(stack)
    harness.invoke("SensorProducer", {"count": 1, "temperature": 61}).value()
    harness.drain()

    rows = scan_all(harness, "SensorMetrics")
    assert [row["sensorId"]["S"] for row in rows] == ["sensor-01"]


def test_processor_records_carry_lambda_shaped_kinesis_events(harness):
    harness.deploy(stream_processing_stack().with_environment("SensorStreamProcessor", ALERT_THRESHOLD="100"))

    harness.invoke("SensorProducer", {"count": 1, "temperature": 90}).value()
    harness.drain()

    logs = harness.logs("SensorStreamProcessor")
    assert not logs.contains("ALERT")  # the threshold came from the function's environment
    row = scan_all(harness, "SensorMetrics")[0]
    shard, sequence = row["shardId"]["S"].split(":")
    assert shard == "shardId-000000000000"
    assert row["timestamp"]["S"].endswith(f"#{sequence}")
