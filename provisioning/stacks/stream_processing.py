"""Pattern 7, stream processing: SensorStream -> SensorStreamProcessor -> SensorMetrics."""

from __future__ import annotations

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.kinesis import KinesisStream
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack, Trigger

STREAM = "SensorStream"
TABLE = "SensorMetrics"
DEAD_LETTER = "SensorReadingsDeadLetter"  # unreadable records, set aside by the processor
FAILURES = "SensorStreamFailures"  # batches the trigger gave up on (its on-failure destination)
TRIGGER_RETRIES = 5


def stream_processing_stack(stream: str = STREAM, table: str = TABLE) -> Stack:
    """The seed's resources and settings: 1 shard, batch 10 from LATEST, 60 s processor timeout.

    Beyond the seed: a dead-letter queue for unreadable records, and a trigger that retries a failing
    batch at most TRIGGER_RETRIES times, splits it to isolate the failing record, and sends what it
    gives up on to the SensorStreamFailures queue.
    """
    return Stack(
        "stream-processing",
        resources=[
            KinesisStream(stream, shards=1),
            DynamoTable(table, partition_key=("sensorId", "S"), sort_key=("timestamp", "S")),
            Queue(DEAD_LETTER),
            Queue(FAILURES),
        ],
        functions=[
            FunctionSpec(
                "SensorStreamProcessor",
                "handlers.stream_processing.sensor_stream_processor.lambda_handler",
                timeout=60,
                environment={"TABLE_NAME": table, "DEAD_LETTER_QUEUE_NAME": DEAD_LETTER},
            ),
            FunctionSpec(
                "SensorProducer",
                "handlers.stream_processing.sensor_producer.lambda_handler",
                timeout=30,
                environment={"STREAM_NAME": stream},
            ),
        ],
        triggers=[
            Trigger(
                "SensorStreamProcessor",
                stream,
                MappingSettings(
                    batch_size=10,
                    starting_position="LATEST",
                    maximum_retry_attempts=TRIGGER_RETRIES,
                    bisect_batch_on_function_error=True,
                    on_failure_destination=FAILURES,
                ),
            ),
        ],
    )
