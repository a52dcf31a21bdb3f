"""Event source mapping settings: each refusal names the parameter Lambda would name."""

from __future__ import annotations

import pytest

from harness.event_sources.settings import MappingSettings

STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/S"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:Q"


@pytest.mark.parametrize(
    ("settings", "parameter"),
    [
        (MappingSettings(batch_size=0, starting_position="LATEST"), "BatchSize 0"),
        (MappingSettings(batch_size=10001, starting_position="LATEST"), "BatchSize 10001"),
        (MappingSettings(), "StartingPosition"),
        (MappingSettings(starting_position="EARLIEST"), "StartingPosition"),
        (MappingSettings(starting_position="AT_TIMESTAMP"), "StartingPositionTimestamp"),
        (MappingSettings(starting_position="LATEST", maximum_retry_attempts=-2), "MaximumRetryAttempts -2"),
        (MappingSettings(starting_position="LATEST", maximum_retry_attempts=10001), "MaximumRetryAttempts 10001"),
        (MappingSettings(starting_position="LATEST", maximum_record_age_in_seconds=59), "MaximumRecordAgeInSeconds"),
        (
            MappingSettings(starting_position="LATEST", maximum_record_age_in_seconds=604801),
            "MaximumRecordAgeInSeconds",
        ),
        (MappingSettings(starting_position="LATEST", function_response_types=("Nope",)), "FunctionResponseTypes"),
        (
            MappingSettings(starting_position="LATEST", on_failure_destination="arn:aws:s3:::bucket"),
            "destination 'arn:aws:s3:::bucket'",
        ),
    ],
)
def test_stream_validation_names_the_parameter_and_the_source(settings: MappingSettings, parameter: str) -> None:
    with pytest.raises(ValueError) as info:
        settings.validate_for_stream(STREAM)

    assert parameter in str(info.value)
    assert STREAM in str(info.value)


@pytest.mark.parametrize(
    "settings",
    [
        MappingSettings(starting_position="LATEST"),
        MappingSettings(starting_position="TRIM_HORIZON", batch_size=1),
        MappingSettings(starting_position="TRIM_HORIZON", batch_size=10000, maximum_retry_attempts=10000),
        MappingSettings(starting_position="AT_TIMESTAMP", starting_position_timestamp=1_700_000_000.0),
        MappingSettings(starting_position="LATEST", maximum_record_age_in_seconds=60),
        MappingSettings(starting_position="LATEST", maximum_record_age_in_seconds=604800),
        MappingSettings(
            starting_position="LATEST",
            bisect_batch_on_function_error=True,
            on_failure_destination=QUEUE,
            function_response_types=("ReportBatchItemFailures",),
        ),
        MappingSettings(starting_position="LATEST", on_failure_destination="arn:aws:sns:us-east-1:123456789012:T"),
    ],
)
def test_stream_validation_accepts_lambda_limits(settings: MappingSettings) -> None:
    settings.validate_for_stream(STREAM)


@pytest.mark.parametrize(
    ("settings", "parameter"),
    [
        (MappingSettings(batch_size=0), "BatchSize 0"),
        (MappingSettings(batch_size=10001), "BatchSize 10001"),
        (MappingSettings(starting_position="LATEST"), "StartingPosition"),
        (MappingSettings(bisect_batch_on_function_error=True), "BisectBatchOnFunctionError"),
        (MappingSettings(maximum_retry_attempts=3), "MaximumRetryAttempts"),
        (MappingSettings(on_failure_destination=QUEUE), "DestinationConfig"),
        (MappingSettings(function_response_types=("ReportItemFailures",)), "FunctionResponseTypes"),
    ],
)
def test_queue_validation_names_the_parameter_and_the_source(settings: MappingSettings, parameter: str) -> None:
    with pytest.raises(ValueError) as info:
        settings.validate_for_queue(QUEUE)

    assert parameter in str(info.value)
    assert QUEUE in str(info.value)


def test_queue_validation_accepts_defaults_and_item_failures() -> None:
    MappingSettings().validate_for_queue(QUEUE)
    MappingSettings(batch_size=10, function_response_types=("ReportBatchItemFailures",)).validate_for_queue(QUEUE)


def test_reports_item_failures_follows_function_response_types() -> None:
    assert MappingSettings(function_response_types=("ReportBatchItemFailures",)).reports_item_failures
    assert not MappingSettings().reports_item_failures


def test_defaults_are_lambdas() -> None:
    settings = MappingSettings()

    assert settings.batch_size == 100
    assert settings.maximum_retry_attempts == -1
    assert settings.maximum_record_age_in_seconds == -1
    assert settings.enabled
    assert not settings.bisect_batch_on_function_error
