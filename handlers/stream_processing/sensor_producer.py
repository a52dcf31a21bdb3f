"""SensorProducer: publishes simulated sensor readings to the SensorStream Kinesis stream.

Input: {"count": 5, "temperature": 90, "seed": 7}; `temperature` forces every reading's temperature
(the seed's verify step 4) and `seed` makes the random readings repeatable. A count that is not a
whole number from 0 to 1000, a temperature that is not a number, or a seed that is not an integer or a
string is refused before anything is published.
"""

import json
import os
import random

import boto3

from handlers.validation import InvalidEvent, event_object, integer, number

kinesis = boto3.client("kinesis")
STREAM_NAME = os.environ.get("STREAM_NAME", "SensorStream")


MAX_COUNT = 1000


def lambda_handler(event, context):
    event_object(event)
    count = integer(event, "count", "count", low=0, high=MAX_COUNT, default=5)
    seed = event.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
        raise InvalidEvent(f"seed must be an integer or a string, got {seed!r:.60}")
    rng = random.Random(seed)
    forced = event.get("temperature")
    if forced is not None:
        number(event, "temperature", "temperature", low=-273.15, high=1000)
    for i in range(count):
        record = {
            "sensorId": f"sensor-{(i % 3) + 1:02d}",
            "temperature": forced if forced is not None else round(rng.uniform(60, 95), 1),
            "humidity": round(rng.uniform(30, 90), 1),
        }
        kinesis.put_record(StreamName=STREAM_NAME, Data=json.dumps(record), PartitionKey=record["sensorId"])
    print(f"Published {count} sensor readings to Kinesis")
    return {"sent": count}
