"""The harness's event routing: EventBridge rules, bus records, S3 notifications and SNS subscriptions.

An event put through the harness (`put_events`: the endpoint's PutEvents, `publish`) is matched by the
harness's own pattern engine and delivered to the rule targets at once. The backend sees it too (for its
own targets); an event only the backend sees reaches the harness through the bus's record (a catch-all
rule and a plumbing queue) and is routed the same way. Each rule target has a placeholder queue on the
backend that stands in for it. S3 notifications and SNS subscriptions come through plumbing queues the
emulator really delivers to. `harness.drain()` waits for all of it.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.routing.api_routes import ApiRoutes
from harness.routing.bucket_notification import BucketNotification
from harness.routing.bus_event import BusEvent, bus_event_from_entry, bus_name, events_scope
from harness.routing.bus_monitor import MONITOR_RULE_PREFIX, BusMonitor
from harness.routing.direct_ledger import DirectLedger
from harness.routing.plumbing_skip import plumbing_skipped
from harness.routing.queue_poller import QueuePoller
from harness.routing.rule_deployment import DeployedRule, deploy_rule
from harness.routing.rule_states import RuleStates
from harness.routing.rule_target import RuleTargetRoute
from harness.routing.rules import Rule
from harness.routing.s3_notifications import DeployedNotification, deploy_bucket_notification
from harness.routing.sns_subscriptions import DeployedSubscription, deploy_topic_subscription
from harness.routing.topic_subscription import TopicSubscription
from harness.routing.views import RuleView, TargetView

if TYPE_CHECKING:
    from harness.attachments import HarnessServices


class EventRejected(ValueError):
    """PutEvents refused an entry; the message carries EventBridge's error code and message."""


class EventRouting:
    """Attached to a harness as `harness.events`.

    Example:
        >>> harness.events.rules("ecommerce-events")[0].functions  # doctest: +SKIP
        ['PaymentService']
        >>> len(harness.events.received("ecommerce-events"))  # doctest: +SKIP
        3
    """

    def __init__(self, harness: HarnessServices) -> None:
        self.harness = harness
        self._rules: dict[tuple[str, str], DeployedRule] = {}
        self._notifications: list[DeployedNotification] = []
        self._subscriptions: list[DeployedSubscription] = []
        self._monitors: dict[str, BusMonitor] = {}
        self._monitor_refs: dict[str, int] = {}
        self._throttled: set[str] = set()
        self._lock = threading.RLock()
        self.ledger = DirectLedger()  # events the harness delivered itself, skipped by the queue routes
        self.rule_states = RuleStates(harness.account.client("events"))
        self._events_client = harness.account.client("events")
        self.api_routes = ApiRoutes(self)
        harness.add_drainable(self)
        harness.on_close(self.close)

    # -- rules -----------------------------------------------------------------------------------
    def add_rule(self, rule: Rule, resources: dict[str, dict[str, Any]] | None = None) -> DeployedRule:
        """Create `rule` on its bus and deliver what it matches; the harness removes it when it closes.

        `resources` maps stack resource names to their outputs, to resolve a named dead-letter queue.
        """
        deployed = deploy_rule(self, rule, resources or {})
        with self._lock:
            self._rules[(rule.bus, rule.name)] = deployed
        return deployed

    def forget_rule(self, deployed: DeployedRule) -> None:
        """Stop tracking a removed rule (called by `DeployedRule.remove`)."""
        with self._lock:
            if self._rules.get((deployed.rule.bus, deployed.rule.name)) is deployed:
                del self._rules[(deployed.rule.bus, deployed.rule.name)]

    def deployed_rule(self, name: str, bus: str = "default") -> DeployedRule:
        """A rule the harness delivers for, with its per-target routes and metrics."""
        with self._lock:
            deployed = self._rules.get((bus, name))
        if deployed is None:
            raise LookupError(f"the harness delivers no rule {name!r} on event bus {bus!r}")
        return deployed

    def rules(self, bus: str = "default") -> list[RuleView]:
        """The rules of a bus and their targets as the user declared them (functions, not plumbing queues)."""
        events = self.harness.account.client("events")
        try:
            pages = list(events.get_paginator("list_rules").paginate(EventBusName=bus))
        except ClientError as exc:
            raise LookupError(f"cannot list the rules of event bus {bus!r}: {exc}") from exc
        with self._lock:
            routes = {
                route.queue.arn: route
                for deployed in self._rules.values()
                if deployed.rule.bus == bus
                for route in deployed.routes
            }
        views = []
        for rule in (r for page in pages for r in page["Rules"]):
            if rule["Name"].startswith(MONITOR_RULE_PREFIX):
                continue
            targets = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus)["Targets"]
            views.append(RuleView.from_backend(rule, bus, [self._target_view(t, routes) for t in targets]))
        return views

    def rule(self, name: str, bus: str = "default") -> RuleView:
        """One rule of a bus (LookupError naming it if there is none)."""
        for view in self.rules(bus):
            if view.name == name:
                return view
        raise LookupError(f"event bus {bus!r} has no rule {name!r}")

    def user_target(self, target: dict[str, Any]) -> dict[str, Any]:
        """A backend target as the user made it: a plumbing queue becomes the function target it stands for."""
        entry = self.api_routes.entry_for_queue(target.get("Arn", ""))
        if entry is not None:
            return entry
        with self._lock:
            routes = [route for deployed in self._rules.values() for route in deployed.routes]
        for route in routes:
            if route.queue.arn == target.get("Arn"):
                real = route.target
                shown = {"Id": real.id, "Arn": real.arn, **real.input.as_target_fields()}
                shown["RetryPolicy"] = real.retry_policy.as_target_field()
                if real.dead_letter_arn:
                    shown["DeadLetterConfig"] = {"Arn": real.dead_letter_arn}
                return shown
        return target

    @staticmethod
    def _target_view(target: dict[str, Any], routes: dict[str, Any]) -> TargetView:
        route = routes.get(target["Arn"])
        if route is None:
            return TargetView.from_backend(target)
        real = route.target
        fields = real.input.as_target_fields()
        return TargetView(
            id=real.id,
            arn=real.arn,
            function=real.function,
            input=fields.get("Input"),
            input_path=fields.get("InputPath"),
            input_transformer=fields.get("InputTransformer"),
            retry_policy=real.retry_policy,
            dead_letter_arn=real.dead_letter_arn,
        )

    # -- what a bus received -----------------------------------------------------------------------
    def acquire_monitor(self, bus: str) -> BusMonitor:
        """Start recording `bus` (if not yet) for one more user of the record."""
        with self._lock:
            monitor = self._monitors.get(bus)
            if monitor is None:
                monitor = self._monitors[bus] = BusMonitor(
                    self.harness.account, bus, self.ledger, on_event=lambda received: self._route(bus, received)
                )
            if self._monitor_refs.get(bus, 0) == 0:
                self.start_pollers([monitor.start()])
            self._monitor_refs[bus] = self._monitor_refs.get(bus, 0) + 1
            return monitor

    def release_monitor(self, bus: str) -> None:
        """One user fewer; the last one stops the recording (what it saw stays readable)."""
        with self._lock:
            refs = self._monitor_refs.get(bus, 0) - 1
            self._monitor_refs[bus] = max(refs, 0)
            if refs <= 0 and bus in self._monitors:
                self._monitors[bus].stop()

    def monitor(self, bus: str = "default") -> BusMonitor:
        """Record every event `bus` receives from now on, until the harness closes."""
        monitor = self.acquire_monitor(bus)
        self.harness.on_close(lambda: self.release_monitor(bus))
        return monitor

    def received(self, bus: str = "default") -> list[dict[str, Any]]:
        """Every event the bus received while recorded, oldest first, as a target would receive it.

        A bus is recorded from the deployment of its first rule, or from `monitor(bus)`.
        """
        with self._lock:
            monitor = self._monitors.get(bus)
        if monitor is None:
            raise LookupError(
                f"event bus {bus!r} is not recorded: deploy a rule on it or call harness.events.monitor({bus!r}) first"
            )
        return monitor.events

    def publish(
        self,
        detail_type: str,
        detail: dict[str, Any] | str,
        *,
        source: str,
        bus: str = "default",
        resources: tuple[str, ...] = (),
    ) -> str:
        """Put one event on a bus and return its id; EventRejected says why PutEvents refused it."""
        text = detail if isinstance(detail, str) else json.dumps(detail)
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise EventRejected(
                f"Detail of event {source}/{detail_type} is not JSON ({exc}); PutEvents answers MalformedDetail"
            ) from None
        if not isinstance(parsed, dict):
            raise EventRejected(f"Detail of event {source}/{detail_type} must be a JSON object, got {text[:80]}")
        entry = {"Source": source, "DetailType": detail_type, "Detail": text, "EventBusName": bus}
        if resources:
            entry["Resources"] = list(resources)
        answer = self.put_events([entry])["Entries"][0]
        if "ErrorCode" in answer:
            raise EventRejected(
                f"event {source}/{detail_type} on bus {bus} was refused: "
                f"{answer['ErrorCode']}: {answer.get('ErrorMessage')}"
            )
        return answer["EventId"]

    def put_events(self, entries: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        """PutEvents on the backend; each accepted event goes at once to the harness's targets of the rules it matches.

        `entries` and `extra` are PutEvents' parameters as a boto3 client takes them; the answer is the backend's.
        The embedded backend does not put these events on the buses' record queues; another backend does, and
        the ledger makes the record skip them there.
        """
        buses = sorted({bus_name(entry.get("EventBusName")) for entry in entries})
        with contextlib.ExitStack() as stack:
            seen = {bus: stack.enter_context(self.ledger.publishing(events_scope(bus))) for bus in buses}
            stack.enter_context(plumbing_skipped(self._record_queues(buses)))
            answer = self._events_client.put_events(Entries=entries, **extra)
            accepted = []
            for entry, result in zip(entries, answer.get("Entries", []), strict=False):
                if result.get("EventId") and not result.get("ErrorCode"):
                    bus = bus_name(entry.get("EventBusName"))
                    seen[bus](result["EventId"])
                    accepted.append((bus, entry, result["EventId"]))
        now = self.harness.clock.now()
        for bus, entry, event_id in accepted:
            self._deliver_direct(bus, bus_event_from_entry(entry, event_id, self.harness.account, now))
        return answer

    def _record_queues(self, buses: list[str]) -> set[str]:
        """The queues of these buses' records (which `put_events` records itself)."""
        with self._lock:
            monitors = [self._monitors[bus] for bus in buses if bus in self._monitors]
        return {m.queue_name for m in monitors if m.queue_name}

    def _deliver_direct(self, bus: str, bus_event: BusEvent) -> None:
        with self._lock:
            monitor = self._monitors.get(bus)
        if monitor is not None and monitor.queue_name:
            monitor.record(bus_event)
        self._route(bus, bus_event)

    def _route(self, bus: str, bus_event: BusEvent) -> None:
        """Deliver an event the bus received to the harness's targets of every rule that admits it."""
        for rule, routes in self._routes_of(bus).items():
            if self.rule_states.get(bus, rule).admits(bus_event.event):
                for route in routes:
                    route.take(bus_event)

    def _routes_of(self, bus: str) -> dict[str, list[RuleTargetRoute]]:
        """The harness's target routes of each rule on `bus` (declared rules and targets put through the API)."""
        with self._lock:
            routes = {d.rule.name: list(d.routes) for d in self._rules.values() if d.rule.bus == bus}
        for rule, api_routes in self.api_routes.routes(bus).items():
            routes.setdefault(rule, []).extend(api_routes)
        return routes

    # -- S3 notifications and SNS subscriptions ----------------------------------------------------
    def add_bucket_notification(
        self, notification: BucketNotification, resources: dict[str, dict[str, Any]] | None = None
    ) -> DeployedNotification:
        """Add `notification` to its bucket's configuration and invoke its function for each event."""
        deployed = deploy_bucket_notification(self, notification)
        with self._lock:
            self._notifications.append(deployed)
        self.start_pollers([deployed.poller])
        return deployed

    def add_topic_subscription(
        self, subscription: TopicSubscription, resources: dict[str, dict[str, Any]] | None = None
    ) -> DeployedSubscription:
        """Subscribe a function to a topic (through a plumbing queue) and invoke it for each message."""
        deployed = deploy_topic_subscription(self, subscription, resources or {})
        with self._lock:
            self._subscriptions.append(deployed)
        self.start_pollers([deployed.poller])
        return deployed

    def replace_bucket_notifications(self, bucket: str, configuration: dict[str, Any]) -> None:
        """Put a whole notification configuration, as PutBucketNotificationConfiguration does.

        Its LambdaFunctionConfigurations become harness routes (a plumbing queue each); the rest is stored
        as given. ValueError names what S3 would refuse.
        """
        functions = configuration.get("LambdaFunctionConfigurations", [])
        notifications = [_notification_from_api(bucket, entry) for entry in functions]
        with self._lock:
            current = [n for n in self._notifications if n.notification.bucket == bucket]
        for deployed in current:
            deployed.remove()
        rest = {k: v for k, v in configuration.items() if k != "LambdaFunctionConfigurations"}
        self.harness.account.client("s3").put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=rest
        )
        for notification in notifications:
            self.add_bucket_notification(notification)

    def shown_bucket_configuration(self, bucket: str, configuration: dict[str, Any]) -> dict[str, Any]:
        """A bucket's configuration as the user made it: plumbing queues shown as the functions they serve."""
        with self._lock:
            by_queue = {n.queue.arn: n.notification for n in self._notifications if n.notification.bucket == bucket}
        shown = {k: v for k, v in configuration.items() if k not in {"QueueConfigurations"}}
        queues, functions = [], list(configuration.get("LambdaFunctionConfigurations", []))
        for entry in configuration.get("QueueConfigurations", []):
            notification = by_queue.get(entry.get("QueueArn"))
            if notification is None:
                queues.append(entry)
                continue
            function = {k: v for k, v in entry.items() if k != "QueueArn"}
            function["LambdaFunctionArn"] = self.harness.functions.arn(notification.function)
            functions.append(function)
        if queues:
            shown["QueueConfigurations"] = queues
        if functions:
            shown["LambdaFunctionConfigurations"] = functions
        return shown

    def subscription(self, subscription_arn: str) -> DeployedSubscription | None:
        """The harness's subscription with that ARN, if it made one."""
        with self._lock:
            return next((s for s in self._subscriptions if s.subscription_arn == subscription_arn), None)

    def forget(self, deployed: DeployedNotification | DeployedSubscription) -> None:
        """Stop tracking a removed notification or subscription."""
        with self._lock:
            for registry in (self._notifications, self._subscriptions):
                if deployed in registry:
                    registry.remove(deployed)  # type: ignore[arg-type]

    # -- faults ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def throttled(self, function: str) -> Iterator[None]:
        """Inside the block, Lambda answers EventBridge's invocations of `function` with 429 (retriable).

        EventBridge then retries as the target's RetryPolicy says; advance the clock to see it.
        """
        name = self.harness.functions.resolve_name(function)
        with self._lock:
            self._throttled.add(name)
        try:
            yield
        finally:
            with self._lock:
                self._throttled.discard(name)

    def is_throttled(self, function: str) -> bool:
        """True while deliveries to `function` are throttled."""
        with self._lock:
            return function in self._throttled

    # -- delivery ----------------------------------------------------------------------------------
    def _pollers(self) -> list[QueuePoller]:
        with self._lock:
            pollers = [m.poller for m in self._monitors.values() if m.poller is not None]
            pollers += [n.poller for n in self._notifications]
            pollers += [s.poller for s in self._subscriptions]
        return pollers

    def start_pollers(self, pollers: list[QueuePoller]) -> None:
        """Start polling in the background, when the harness delivers in the background."""
        if self.harness.event_sources.background:
            for poller in pollers:
                poller.start()

    def pump(self) -> int:
        """Deliver what every plumbing queue holds now; return how many messages were handled."""
        handled = 0
        for poller in self._pollers():
            try:
                handled += poller.pump()
            except ClientError as exc:  # a queue removed while the drain ran
                poller.last_error = f"{type(exc).__name__}: {exc}"
        return handled

    def progress(self) -> int:
        """Messages received by every plumbing queue so far (see `harness.waiting.drain`)."""
        return sum(poller.progress() for poller in self._pollers())

    def busy(self) -> str | None:
        """The first plumbing queue whose messages cannot be handled, if any."""
        return next((reason for poller in self._pollers() if (reason := poller.busy())), None)

    def close(self) -> None:
        """Remove what is still routed (rules and subscriptions added outside stacks) and stop recording."""
        self.api_routes.close()
        with self._lock:
            rules = list(self._rules.values())
            others = [*self._notifications, *self._subscriptions]
            monitors = list(self._monitors.values())
        for deployed in rules:
            deployed.remove()
        for item in others:
            item.remove()
        for monitor in monitors:
            monitor.stop()

    # -- direct routes (see sns_direct, s3_direct) -------------------------------------------------
    def topic_subscriptions(self, topic_arn: str) -> list[DeployedSubscription]:
        """The harness's function subscriptions of a topic."""
        with self._lock:
            return [s for s in self._subscriptions if s.topic_arn == topic_arn]

    def bucket_notifications(self, bucket: str) -> list[DeployedNotification]:
        """The harness's function notifications of a bucket."""
        with self._lock:
            return [n for n in self._notifications if n.notification.bucket == bucket]


def _notification_from_api(bucket: str, entry: dict[str, Any]) -> BucketNotification:
    arn = entry.get("LambdaFunctionArn", "")
    parts = arn.split(":")
    if len(parts) < 7 or parts[2] != "lambda" or parts[5] != "function":
        raise ValueError(f"LambdaFunctionArn {arn!r} is not a function ARN")
    rules = {r["Name"].lower(): r["Value"] for r in entry.get("Filter", {}).get("Key", {}).get("FilterRules", [])}
    return BucketNotification(
        bucket,
        parts[6],
        events=tuple(entry.get("Events", ())),
        prefix=rules.get("prefix", ""),
        suffix=rules.get("suffix", ""),
        id=entry.get("Id"),
    )
