"""mapping_class: the poller that fits a source ARN, or a refusal naming the ARN."""

from __future__ import annotations

import pytest

from harness.event_sources.dynamodb import DynamoDBStreamMapping
from harness.event_sources.kinesis import KinesisMapping
from harness.event_sources.manager import mapping_class
from harness.event_sources.sqs import SqsMapping


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        ("arn:aws:kinesis:us-east-1:123456789012:stream/SensorStream", KinesisMapping),
        (
            "arn:aws:dynamodb:us-east-1:123456789012:table/Events/stream/2025-01-01T00:00:00.000",
            DynamoDBStreamMapping,
        ),
        ("arn:aws:sqs:us-east-1:123456789012:OrderQueue", SqsMapping),
    ],
)
def test_mapping_class_picks_the_poller_from_the_arn(arn: str, expected: type) -> None:
    assert mapping_class(arn) is expected


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:dynamodb:us-east-1:123456789012:table/Events",
        "arn:aws:kinesis:us-east-1:123456789012:consumer/C",
        "arn:aws:sns:us-east-1:123456789012:Topic",
        "arn:aws:s3:::bucket",
        "OrderQueue",
        "",
    ],
)
def test_mapping_class_refuses_other_sources_naming_the_arn(arn: str) -> None:
    with pytest.raises(ValueError, match="is not a Kinesis stream, DynamoDB stream or SQS queue ARN") as info:
        mapping_class(arn)

    assert repr(arn) in str(info.value)
