"""SensorStreamProcessor: stores each Kinesis sensor reading in SensorMetrics and logs alerts.

The sort key is the processing time followed by the record's sequence number, so two readings of one
sensor processed in the same microsecond never overwrite each other.
"""

import base64
import json
import os
from datetime import datetime, timezone

import boto3

dynamo = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "SensorMetrics"))
ALERT_THRESHOLD = float(os.environ.get("ALERT_THRESHOLD", "80"))


def lambda_handler(event, context):
    for record in event["Records"]:
        # Kinesis data is base64 encoded
        payload = base64.b64decode(record["kinesis"]["data"]).decode("utf-8")
        data = json.loads(payload)

        ts = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
        item = {
            "sensorId": data.get("sensorId", "unknown"),
            "timestamp": f"{ts}#{record['kinesis']['sequenceNumber']}",
            "temperature": str(data.get("temperature", 0)),
            "humidity": str(data.get("humidity", 0)),
            "shardId": record["eventID"],
        }
        dynamo.put_item(Item=item)

        # Real-time alerting
        if data.get("temperature", 0) > ALERT_THRESHOLD:
            print(f"🚨 ALERT: High temperature {data['temperature']}°C on {data['sensorId']}")
        else:
            print(f"✅ Sensor {data['sensorId']}: {data.get('temperature')}°C, {data.get('humidity')}% humidity")

    print(f"Processed {len(event['Records'])} sensor records")
    return {"records": len(event["Records"])}
