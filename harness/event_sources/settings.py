"""Event source mapping settings, validated the way Lambda's CreateEventSourceMapping does."""

from __future__ import annotations

from dataclasses import dataclass, field

STARTING_POSITIONS = ("LATEST", "TRIM_HORIZON", "AT_TIMESTAMP")


@dataclass(frozen=True)
class MappingSettings:
    """The knobs of one mapping; defaults are Lambda's."""

    batch_size: int = 100
    starting_position: str | None = None
    starting_position_timestamp: float | None = None
    maximum_retry_attempts: int = -1
    bisect_batch_on_function_error: bool = False
    on_failure_destination: str | None = None
    function_response_types: tuple[str, ...] = ()
    enabled: bool = True
    maximum_record_age_in_seconds: int = -1
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def reports_item_failures(self) -> bool:
        """True when the function may answer with `batchItemFailures`."""
        return "ReportBatchItemFailures" in self.function_response_types

    def validate_for_stream(self, source: str) -> None:
        """Raise ValueError naming the parameter that Lambda would refuse for a stream source."""
        if not 1 <= self.batch_size <= 10000:
            raise ValueError(f"BatchSize {self.batch_size} for {source} must be between 1 and 10000")
        if self.starting_position not in STARTING_POSITIONS:
            raise ValueError(
                f"StartingPosition for {source} must be one of {STARTING_POSITIONS}, got {self.starting_position!r}"
            )
        if self.starting_position == "AT_TIMESTAMP" and self.starting_position_timestamp is None:
            raise ValueError(f"StartingPosition AT_TIMESTAMP for {source} needs StartingPositionTimestamp")
        if not -1 <= self.maximum_retry_attempts <= 10000:
            raise ValueError(f"MaximumRetryAttempts {self.maximum_retry_attempts} for {source} must be -1..10000")
        if self.maximum_record_age_in_seconds != -1 and not 60 <= self.maximum_record_age_in_seconds <= 604800:
            raise ValueError(f"MaximumRecordAgeInSeconds for {source} must be -1 or 60..604800")
        self._validate_common(source)

    def validate_for_queue(self, source: str) -> None:
        """Raise ValueError naming the parameter that Lambda would refuse for an SQS source."""
        if not 1 <= self.batch_size <= 10000:
            raise ValueError(f"BatchSize {self.batch_size} for {source} must be between 1 and 10000")
        if self.starting_position is not None:
            raise ValueError(f"StartingPosition is not supported for SQS source {source}")
        if self.bisect_batch_on_function_error or self.maximum_retry_attempts != -1 or self.on_failure_destination:
            raise ValueError(
                f"SQS source {source} takes retries and failures from the queue's redrive policy, "
                "not from BisectBatchOnFunctionError, MaximumRetryAttempts or DestinationConfig"
            )
        self._validate_common(source)

    def _validate_common(self, source: str) -> None:
        unknown = set(self.function_response_types) - {"ReportBatchItemFailures"}
        if unknown:
            raise ValueError(
                f"FunctionResponseTypes {sorted(unknown)} for {source}: only ReportBatchItemFailures exists"
            )
        destination = self.on_failure_destination
        if destination and not destination.startswith(("arn:aws:sqs:", "arn:aws:sns:")):
            raise ValueError(
                f"on-failure destination {destination!r} for {source} must be an SQS queue or SNS topic ARN"
            )
