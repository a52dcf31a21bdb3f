"""SensorProducer: publishes simulated sensor readings to the SensorStream Kinesis stream.

Input: {"count": 5, "temperature": 90, "seed": 7}; `temperature` forces every reading's temperature
(the seed's verify step 4) and `seed` makes the random readings repeatable.
"""

import json
import os
import random

import boto3

kinesis = boto3.client("kinesis")
STREAM_NAME = os.environ.get("STREAM_NAME", "SensorStream")


def lambda_handler(event, context):
    count = int(event.get("count", 5))
    rng = random.Random(event.get("seed"))
    forced = event.get("temperature")
    for i in range(count):
        record = {
            "sensorId": f"sensor-{(i % 3) + 1:02d}",
            "temperature": forced if forced is not None else round(rng.uniform(60, 95), 1),
            "humidity": round(rng.uniform(30, 90), 1),
        }
        kinesis.put_record(StreamName=STREAM_NAME, Data=json.dumps(record), PartitionKey=record["sensorId"])
    print(f"Published {count} sensor readings to Kinesis")
    return {"sent": count}
