"""SensorStreamProcessor: stores each Kinesis sensor reading in SensorMetrics and logs alerts.

The sort key is the processing time followed by the record's sequence number, so two readings of one
sensor processed in the same microsecond never overwrite each other.

A record that can never be stored (not base64 / UTF-8 / JSON, not an object, no sensorId, a temperature
or humidity that is not a number) is logged with its sequence number and reason and set aside in the
dead-letter queue (DEAD_LETTER_QUEUE_NAME); the batch goes on. Any other failure (a write that fails)
still raises, so that Lambda retries the batch.
"""

import base64
import binascii
import json
import math
import os
from datetime import datetime, timezone

import boto3

from handlers.validation import InvalidEvent, event_object, obj, text

dynamo = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "SensorMetrics"))
sqs = boto3.client("sqs")
ALERT_THRESHOLD = float(os.environ.get("ALERT_THRESHOLD", "80"))
DEAD_LETTER_QUEUE_NAME = os.environ.get("DEAD_LETTER_QUEUE_NAME", "SensorReadingsDeadLetter")
_dead_letter_url = None


class UnreadableReading(ValueError):
    """A record that no retry can turn into a reading."""


def _number(data, field, default):
    value = data.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UnreadableReading(f"{field} must be a finite number, got {json.dumps(value)[:80]}")
    return value


def parse_reading(record):
    """The reading a Kinesis record carries, or UnreadableReading saying why it has none."""
    try:
        payload = base64.b64decode(record["kinesis"]["data"], validate=True).decode("utf-8")
        data = json.loads(payload)
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise UnreadableReading(f"data is not UTF-8 text: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UnreadableReading(f"data is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise UnreadableReading(f"data is a JSON {type(data).__name__}, not an object")
    if not isinstance(data.get("sensorId"), str) or not data["sensorId"]:
        raise UnreadableReading("sensorId is missing or not a non-empty string")
    _number(data, "temperature", 0)
    _number(data, "humidity", 0)
    return data


def set_aside(record, reason):
    """Send an unreadable record to the dead-letter queue, with where it came from and why."""
    global _dead_letter_url
    if _dead_letter_url is None:
        _dead_letter_url = sqs.get_queue_url(QueueName=DEAD_LETTER_QUEUE_NAME)["QueueUrl"]
    sqs.send_message(
        QueueUrl=_dead_letter_url,
        MessageBody=json.dumps(
            {
                "sequenceNumber": record["kinesis"]["sequenceNumber"],
                "partitionKey": record["kinesis"].get("partitionKey"),
                "eventID": record.get("eventID"),
                "eventSourceARN": record.get("eventSourceARN"),
                "data": record["kinesis"]["data"],
                "reason": reason,
            }
        ),
    )


def check_batch(event):
    """Refuse an event that is not a Kinesis batch as Lambda delivers it, before anything is written."""
    event_object(event)
    records = event.get("Records")
    if not isinstance(records, list) or not records:
        raise InvalidEvent(f"Records must be a non-empty list, got {json.dumps(records)[:60]}")
    for index, record in enumerate(records):
        path = f"Records[{index}]"
        event_object(record, name=path)
        kinesis = obj(record, "kinesis", f"{path}.kinesis")
        text(kinesis, "data", f"{path}.kinesis.data", max_length=2**21)
        text(kinesis, "sequenceNumber", f"{path}.kinesis.sequenceNumber")
        text(record, "eventID", f"{path}.eventID")


def lambda_handler(event, context):
    check_batch(event)
    stored = 0
    for record in event["Records"]:
        # Kinesis data is base64 encoded
        try:
            data = parse_reading(record)
        except UnreadableReading as exc:
            print(f"⚠️ Unreadable record {record['kinesis']['sequenceNumber']}: {exc}; set aside")
            set_aside(record, str(exc))
            continue

        ts = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
        item = {
            "sensorId": data.get("sensorId", "unknown"),
            "timestamp": f"{ts}#{record['kinesis']['sequenceNumber']}",
            "temperature": str(data.get("temperature", 0)),
            "humidity": str(data.get("humidity", 0)),
            "shardId": record["eventID"],
        }
        dynamo.put_item(Item=item)
        stored += 1

        # Real-time alerting
        if data.get("temperature", 0) > ALERT_THRESHOLD:
            print(f"🚨 ALERT: High temperature {data['temperature']}°C on {data['sensorId']}")
        else:
            print(f"✅ Sensor {data['sensorId']}: {data.get('temperature')}°C, {data.get('humidity')}% humidity")

    print(f"Processed {len(event['Records'])} sensor records")
    return {"records": len(event["Records"]), "stored": stored}
