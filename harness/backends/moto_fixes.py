"""Corrections to the in-process moto server where it departs from AWS in ways a pattern would hit.

Each fix is applied once, only to the embedded backend's own process, and checks that the moto code it
corrects is still shaped as expected (the dependency is pinned below moto 5.3).
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any


def scheduled_rules_ignore_events() -> None:
    """A rule with a ScheduleExpression and no EventPattern matches no PutEvents entry, as on AWS.

    moto treats the missing pattern as "match everything", so every PutEvents on the default bus tried
    to deliver to the scheduled rule's targets (and failed for Lambda targets).
    """
    from moto.events.models import Rule

    if getattr(Rule.send_to_targets, "_harness_fixed", False):
        return
    original = Rule.send_to_targets

    def send_to_targets(self: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "scheduled_expression", None) and not self.event_pattern.get_pattern():
            return None
        return original(self, *args, **kwargs)

    send_to_targets._harness_fixed = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


def kinesis_shards_are_thread_safe() -> None:
    """Serialize moto's Kinesis shard reads and writes.

    moto's shards are plain ordered dicts: a producer and a poller running at once made a read fail
    ("OrderedDict mutated during iteration") and two concurrent producers lost records.
    """
    from moto.kinesis.models import Shard

    if getattr(Shard.put_record, "_harness_fixed", False):
        return
    lock = threading.RLock()
    for name in (
        "get_records",
        "put_record",
        "get_min_sequence_number",
        "get_max_sequence_number",
        "get_sequence_number_at",
    ):
        original = getattr(Shard, name)

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        locked._harness_fixed = True  # type: ignore[attr-defined]
        setattr(Shard, name, functools.wraps(original)(locked))


def log_events_on_the_harness_clock() -> None:
    """Accept log events at any time: the harness clock, not the real time, is the account's "now".

    PutLogEvents refuses events more than 14 days old or 2 hours ahead of the service's current time. The
    harness stamps events with its own clock, which a test moves hours or days ahead (or starts in the
    past); against moto's real-time window those events would be dropped. Chronological order within a
    request is still required, as on AWS.
    """
    from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.logs.models import LogsBackend

    if getattr(LogsBackend.put_log_events, "_harness_fixed", False):
        return

    def put_log_events(
        self: Any, log_group_name: str, log_stream_name: str, log_events: list[dict[str, Any]]
    ) -> tuple[str, dict[str, Any]]:
        if log_group_name not in self.groups:
            raise ResourceNotFoundException()
        stamps = [event["timestamp"] for event in log_events]
        if stamps != sorted(stamps):
            raise InvalidParameterException(
                "Log events in a single PutLogEvents request must be in chronological order."
            )
        return self.groups[log_group_name].put_log_events(log_stream_name, log_events), {}

    put_log_events._harness_fixed = True  # type: ignore[attr-defined]
    LogsBackend.put_log_events = put_log_events  # type: ignore[method-assign]


def dynamodb_stream_shards_are_thread_safe() -> None:
    """Serialize moto's DynamoDB stream shard appends and reads.

    moto numbers a stream record by the shard's length at append time: two writers appending at once
    gave two records one sequence number, and a poller reading meanwhile could see a record twice.
    """
    from moto.dynamodb.models.table import StreamShard

    if getattr(StreamShard.add, "_harness_fixed", False):
        return
    lock = threading.RLock()
    for name in ("add", "get"):
        original = getattr(StreamShard, name)

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        locked._harness_fixed = True  # type: ignore[attr-defined]
        setattr(StreamShard, name, functools.wraps(original)(locked))


@functools.cache
def _managed_policy_data() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


def managed_policies_in_the_aws_partition() -> None:
    """Give each account AWS's managed policies in the `aws` partition only, parsed once.

    moto's own switch loads all 1,582 of them for each of six partitions of every account it meets,
    about a second and 30 MiB per account; the seed's LambdaLabRole attaches eleven of them.
    """
    from moto.iam.models import AWSManagedPolicy, IAMBackend

    if getattr(IAMBackend._init_aws_policies, "_harness_fixed", False):
        return

    def init_aws_policies(self: Any) -> list[Any]:
        if self.partition != "aws":
            return []
        data = _managed_policy_data()
        return [AWSManagedPolicy.from_data(name, self.account_id, self.region_name, d) for name, d in data.items()]

    init_aws_policies._harness_fixed = True  # type: ignore[attr-defined]
    IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign]


def apply_all() -> None:
    """Apply every fix (idempotent)."""
    scheduled_rules_ignore_events()
    kinesis_shards_are_thread_safe()
    dynamodb_stream_shards_are_thread_safe()
    managed_policies_in_the_aws_partition()
    log_events_on_the_harness_clock()
