"""S3 bucket notifications that invoke functions, through a queue configuration on the bucket.

The bucket's notification configuration is one document: the harness adds its queue configuration to
what is there (refusing one that overlaps, as S3 does) and takes only its own out again. S3's test
event (sent whenever the configuration changes) never reaches the function, as with a real Lambda
destination. Each record is delivered in its own asynchronous invocation, as S3 invokes Lambda.
An event the harness already delivered itself (a write through its endpoint, see `s3_direct`) is skipped.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.backends.errors import error_code
from harness.functions.registry import FunctionNotFound
from harness.routing.bucket_notification import BucketNotification
from harness.routing.direct_ledger import DirectLedger
from harness.routing.plumbing import PlumbingQueue, create_plumbing_queue, delete_plumbing_queue, plumbing_name
from harness.routing.queue_poller import QueuePoller
from harness.routing.s3_event import Occurrences, Sequencer, event_identity, lambda_s3_record, s3_scope
from harness.routing.s3_overlap import overlapping

if TYPE_CHECKING:
    from harness.attachments import HarnessServices
    from harness.routing.eventbridge import EventRouting

SEQUENCER = Sequencer()  # one for both routes, so that the events of a key sort in order whichever way they came
_CONFIGURATION_KINDS = ("QueueConfigurations", "TopicConfigurations", "LambdaFunctionConfigurations")


@dataclass
class S3NotificationRoute:
    """Turns the queue's S3 messages into Lambda S3 events for one function."""

    harness: HarnessServices
    notification: BucketNotification
    ledger: DirectLedger | None = None
    invoked: int = 0
    dropped: int = 0
    # The n-th event with the same identity on each way, so that two identical writes stay two events.
    direct_occurrences: Occurrences = field(default_factory=Occurrences)
    queued_occurrences: Occurrences = field(default_factory=Occurrences)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, message: dict[str, Any]) -> None:
        """Invoke the function once per record of the message, skipping events the harness delivered itself."""
        body = json.loads(message["Body"])
        if body.get("Event") == "s3:TestEvent":
            return
        for record in body.get("Records", []):
            if self.ledger is not None and self.ledger.taken_by_harness(
                s3_scope(self.notification.bucket), self.ledger_key(record, self.queued_occurrences)
            ):
                continue
            self.deliver(record)

    def ledger_key(self, record: dict[str, Any], occurrences: Occurrences) -> tuple[Any, ...]:
        """The key under which the ledger knows this record's event for this notification."""
        identity = event_identity(record)
        return (self.notification.configuration_id, identity, occurrences.next(identity))

    def deliver(self, record: dict[str, Any]) -> None:
        """Invoke the function with one record (as the emulator sends it to a queue)."""
        event = {"Records": [lambda_s3_record(record, self.harness.account, SEQUENCER)]}
        try:
            function = self.harness.functions.get(self.notification.function)
        except FunctionNotFound:
            with self._lock:
                self.dropped += 1  # S3 cannot invoke a function that no longer exists
            return
        self.harness.async_invocations.submit(function, event)
        with self._lock:
            self.invoked += 1


@dataclass
class DeployedNotification:
    """A notification the harness added to a bucket; calling it (or `remove()`) takes it out."""

    notification: BucketNotification
    queue: PlumbingQueue
    route: S3NotificationRoute
    poller: QueuePoller
    routing: EventRouting
    removed: bool = False

    def remove(self) -> None:
        """Stop invoking and delete this notification's configuration and queue (idempotent)."""
        if self.removed:
            return
        self.removed = True
        self.routing.forget(self)
        self.poller.stop()
        account = self.routing.harness.account
        s3 = account.client("s3")
        try:
            configuration = _configuration(s3, self.notification.bucket)
            _put(s3, self.notification.bucket, _without(configuration, self.notification.configuration_id))
        except ClientError as exc:
            if error_code(exc) != "NoSuchBucket":
                raise
        finally:
            delete_plumbing_queue(account, self.queue)

    def __call__(self) -> None:
        self.remove()

    def __str__(self) -> str:
        return str(self.notification)


def deploy_bucket_notification(routing: EventRouting, notification: BucketNotification) -> DeployedNotification:
    """Add the notification to its bucket, with a plumbing queue as the destination."""
    harness = routing.harness
    owner = f"notification {notification.configuration_id} of bucket {notification.bucket}"
    if notification.function not in harness.functions:
        raise ValueError(f"{owner}: function {notification.function!r} is not registered in this harness")
    s3 = harness.account.client("s3")
    try:
        configuration = _configuration(s3, notification.bucket)
    except ClientError as exc:
        if error_code(exc) == "NoSuchBucket":
            raise ValueError(f"{owner}: bucket {notification.bucket!r} does not exist") from None
        raise
    if any(
        c.get("Id") == notification.configuration_id
        for kind in _CONFIGURATION_KINDS
        for c in configuration.get(kind, [])
    ):
        raise ValueError(f"{owner}: the bucket already has a configuration with that id")
    clash = overlapping(configuration, notification.events, notification.prefix, notification.suffix)
    if clash:
        raise ValueError(
            f"{owner}: overlaps configuration {clash!r}: configurations on one bucket cannot share an event type "
            "for the same keys (S3 refuses it too)"
        )
    queue = create_plumbing_queue(
        harness.account, plumbing_name("s3", notification.bucket, notification.function, notification.configuration_id)
    )
    entry: dict[str, Any] = {
        "Id": notification.configuration_id,
        "QueueArn": queue.arn,
        "Events": list(notification.events),
    }
    if notification.filter_rules():
        entry["Filter"] = {"Key": {"FilterRules": notification.filter_rules()}}
    updated = dict(configuration)
    updated["QueueConfigurations"] = [*configuration.get("QueueConfigurations", []), entry]
    try:
        _put(s3, notification.bucket, updated)
    except ClientError as exc:
        delete_plumbing_queue(harness.account, queue)
        raise ValueError(f"{owner}: S3 refused the configuration: {exc}") from exc
    route = S3NotificationRoute(harness, notification, routing.ledger)
    poller = QueuePoller(harness.account, queue, route.handle, str(notification))
    return DeployedNotification(notification, queue, route, poller, routing)


def _configuration(s3: Any, bucket: str) -> dict[str, Any]:
    answer = s3.get_bucket_notification_configuration(Bucket=bucket)
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def _without(configuration: dict[str, Any], configuration_id: str) -> dict[str, Any]:
    kept = dict(configuration)
    for kind in _CONFIGURATION_KINDS:
        if kind in kept:
            kept[kind] = [c for c in kept[kind] if c.get("Id") != configuration_id]
            if not kept[kind]:
                del kept[kind]
    return kept


def _put(s3: Any, bucket: str, configuration: dict[str, Any]) -> None:
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=configuration)
