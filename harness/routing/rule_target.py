"""Delivery for one target of one rule: from its plumbing queue to the function, queue or topic.

As EventBridge does for a Lambda target, the function is invoked asynchronously: once Lambda accepted
the event the delivery succeeded, and a function error is Lambda's to retry (twice, on the harness
clock). EventBridge's own RetryPolicy covers deliveries that fail: retriable errors (throttling) are
retried with exponential back-off until MaximumRetryAttempts or MaximumEventAgeInSeconds runs out;
errors no retry can fix (the function or queue no longer exists) go straight to the dead-letter queue.
Without a dead-letter queue an undeliverable event is dropped, and counted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness import timeline
from harness.backends.errors import error_code
from harness.functions.registry import FunctionNotFound
from harness.routing.bus_event import BusEvent
from harness.routing.dead_letter import DeliveryFailure, dead_letter_attributes, send_dead_letter
from harness.routing.input_transform import RuleContext, TargetInput
from harness.routing.plumbing import PlumbingQueue
from harness.routing.retry import RetryPolicy

if TYPE_CHECKING:
    from harness.attachments import HarnessServices

_GONE = {
    "ResourceNotFoundException",
    "NotFound",
    "NotFoundException",
    "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist",
}


@dataclass(frozen=True)
class ResolvedTarget:
    """A target with every name turned into an ARN."""

    id: str
    kind: str  # 'function', 'sqs' or 'sns'
    arn: str
    function: str | None
    input: TargetInput
    retry_policy: RetryPolicy
    dead_letter_arn: str | None


@dataclass
class TargetMetrics:
    """Counts for one target, named after EventBridge's CloudWatch metrics."""

    matched_events: int = 0
    invocations: int = 0
    failed_invocations: int = 0
    retries: int = 0
    sent_to_dlq: int = 0
    failed_to_send_to_dlq: int = 0
    dropped: int = 0


@dataclass
class _Delivery:
    bus_event: BusEvent
    first_seen: float
    attempts: int = 0


@dataclass
class RuleTargetRoute:
    """Delivers one target's events, handed over by the bus's routing once the rule admitted them.

    `queue` is the placeholder that stands in for the target on the backend, so that ListTargetsByRule
    has a target to show as the user's.
    """

    harness: HarnessServices
    rule_name: str
    rule_arn: str
    bus: str
    target: ResolvedTarget
    queue: PlumbingQueue
    throttled: Callable[[str], bool]
    metrics: TargetMetrics = field(default_factory=TargetMetrics)
    counts_matches: bool = True  # the rule's MatchedEvents metric is counted by its first target's route
    active: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _clients_by_service: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Clients are made here, on the deploying thread: a boto3 session is not thread-safe, and making
        # a client costs far more than a call.
        services = ("sqs", "sns") if self.target.kind == "sns" else ("sqs",)
        for service in services:
            self._clients_by_service[service] = self.harness.account.client(service)

    def _clients(self, service: str) -> Any:
        return self._clients_by_service[service]

    def take(self, bus_event: BusEvent) -> None:
        """Deliver an event the rule matched (retried as the target's RetryPolicy says)."""
        self._count("matched_events")
        self._attempt(_Delivery(bus_event, self.harness.clock.time()))

    def _attempt(self, delivery: _Delivery) -> None:
        if not self.active:
            return  # the rule was removed while a retry waited
        delivery.attempts += 1
        self._publish("InvocationAttempts")
        shown = f"{self.rule_name} → {self.target.function or self.target.arn.split(':')[-1]}"
        event_id = ("events", delivery.bus_event.event.get("id"))
        with timeline.delivering(self.harness.account.account_id, "rule", shown, cause_key=event_id) as happening:
            failure = self._deliver(delivery.bus_event)
        timeline.finish(happening, "error" if failure else "ok", **({"error": failure.code} if failure else {}))
        if failure is None:
            self._count("invocations")
            return
        self._count("failed_invocations")
        policy = self.target.retry_policy
        retries_done = delivery.attempts - 1
        if not failure.retriable:
            self._give_up(delivery, failure, None)
            return
        if retries_done >= policy.maximum_retry_attempts:
            self._give_up(delivery, failure, "MaximumRetryAttempts")
            return
        clock = self.harness.clock
        deadline = delivery.first_seen + policy.maximum_event_age_in_seconds
        due = clock.time() + policy.delay(delivery.attempts)
        if due > deadline:
            clock.call_at(
                max(clock.time(), deadline), lambda: self._give_up(delivery, failure, "MaximumEventAgeInSeconds")
            )
            return
        self._count("retries")
        clock.call_at(due, lambda: self._attempt(delivery))

    def _deliver(self, bus_event: BusEvent) -> DeliveryFailure | None:
        context = RuleContext(self.rule_arn, self.rule_name, bus_event.ingestion_time)
        text = self.target.input.render(bus_event.event, context)
        target = self.target
        try:
            if target.kind == "function":
                return self._invoke(target.function or "", text)
            if target.kind == "sqs":
                parts = target.arn.split(":")
                sqs = self._clients("sqs")
                url = sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]
                sqs.send_message(QueueUrl=url, MessageBody=text)
            else:
                self._clients("sns").publish(TopicArn=target.arn, Message=text)
        except ClientError as exc:
            code = error_code(exc) or "ClientError"
            return DeliveryFailure(code, str(exc), retriable=code not in _GONE)
        return None

    def _invoke(self, function: str, text: str) -> DeliveryFailure | None:
        if self.throttled(function):
            self.harness.telemetry.count("AWS/Lambda", "Throttles", {"FunctionName": function})
            return DeliveryFailure("TooManyRequestsException", "Rate Exceeded.", retriable=True)
        try:
            runtime = self.harness.functions.get(function)
        except FunctionNotFound as exc:
            return DeliveryFailure("ResourceNotFoundException", str(exc), retriable=False)
        try:
            payload = json.loads(text)
        except ValueError:
            return DeliveryFailure(
                "InvalidRequestContentException", "Could not parse request body into json", retriable=False
            )
        self.harness.async_invocations.submit(runtime, payload)
        return None

    def _give_up(self, delivery: _Delivery, failure: DeliveryFailure, exhausted: str | None) -> None:
        if not self.active:
            return
        self._publish("Invocations")
        self._publish("FailedInvocations")
        queue = self.target.dead_letter_arn
        if queue is None:
            self._count("dropped")
            return
        attributes = dead_letter_attributes(self.rule_arn, self.target.arn, failure, delivery.attempts - 1, exhausted)
        try:
            send_dead_letter(self._clients("sqs"), queue, delivery.bus_event.event, attributes)
        except ClientError:
            self._count("failed_to_send_to_dlq")
            self._count("dropped")
            return
        self._count("sent_to_dlq")

    def _count(self, metric: str) -> None:
        with self._lock:
            setattr(self.metrics, metric, getattr(self.metrics, metric) + 1)
        published = _PUBLISHED_METRICS.get(metric)
        if published is not None and (metric != "matched_events" or self.counts_matches):
            self._publish(published)

    def _publish(self, name: str) -> None:
        self.harness.telemetry.count("AWS/Events", name, self._metric_dimensions())

    def _metric_dimensions(self) -> dict[str, str]:
        """A rule's metric dimensions: RuleName, and EventBusName for a rule on a custom bus."""
        if self.bus == "default":
            return {"RuleName": self.rule_name}
        return {"EventBusName": self.bus, "RuleName": self.rule_name}


# TargetMetrics counters published as EventBridge's CloudWatch metrics of a rule
# (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html).
# Invocations counts deliveries that succeeded or failed for good; FailedInvocations only the latter.
_PUBLISHED_METRICS = {
    "matched_events": "MatchedEvents",
    "invocations": "Invocations",
    "sent_to_dlq": "DeadLetterInvocations",
}
