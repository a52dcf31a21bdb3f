"""Pattern 7, stream processing: SensorStream -> SensorStreamProcessor -> SensorMetrics."""

from __future__ import annotations

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.kinesis import KinesisStream
from provisioning.stack import Stack, Trigger

STREAM = "SensorStream"
TABLE = "SensorMetrics"


def stream_processing_stack(stream: str = STREAM, table: str = TABLE) -> Stack:
    """The seed's resources and settings: 1 shard, batch 10 from LATEST, 60 s processor timeout."""
    return Stack(
        "stream-processing",
        resources=[
            KinesisStream(stream, shards=1),
            DynamoTable(table, partition_key=("sensorId", "S"), sort_key=("timestamp", "S")),
        ],
        functions=[
            FunctionSpec(
                "SensorStreamProcessor",
                "handlers.stream_processing.sensor_stream_processor.lambda_handler",
                timeout=60,
                environment={"TABLE_NAME": table},
            ),
            FunctionSpec(
                "SensorProducer",
                "handlers.stream_processing.sensor_producer.lambda_handler",
                timeout=30,
                environment={"STREAM_NAME": stream},
            ),
        ],
        triggers=[
            Trigger("SensorStreamProcessor", stream, MappingSettings(batch_size=10, starting_position="LATEST")),
        ],
    )
