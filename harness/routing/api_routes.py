"""Routes to functions made through the AWS APIs (PutTargets), delivered like a declared Rule's.

A PutTargets entry whose Arn is a function of this account gets a plumbing queue on the backend in its
place, and the harness delivers from that queue with the entry's Input, InputPath or InputTransformer,
RetryPolicy and DeadLetterConfig. Other entries (queues, topics, anything else) reach the backend as they
are. What the user put is what ListTargetsByRule shows.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.routing.bus_event import plumbing_target
from harness.routing.input_transform import TargetInput
from harness.routing.plumbing import PlumbingQueue, create_placeholder_queue, delete_plumbing_queue, plumbing_name
from harness.routing.retry import RetryPolicy
from harness.routing.rule_target import ResolvedTarget, RuleTargetRoute

if TYPE_CHECKING:
    from harness.routing.eventbridge import EventRouting


@dataclass
class ApiRoute:
    """One function target put through the API: its route and the entry as the user gave it."""

    entry: dict[str, Any]
    route: RuleTargetRoute

    @property
    def queue(self) -> PlumbingQueue:
        """The plumbing queue standing in for the function on the backend."""
        return self.route.queue


def is_function_arn(arn: str) -> bool:
    """True for a Lambda function ARN (with or without a qualifier)."""
    parts = arn.split(":")
    return len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function"


def resolved_target(entry: dict[str, Any]) -> ResolvedTarget:
    """A PutTargets entry for a function as the harness delivers it."""
    policy = entry.get("RetryPolicy") or {}
    retry = RetryPolicy(
        policy.get("MaximumRetryAttempts", RetryPolicy.maximum_retry_attempts),
        policy.get("MaximumEventAgeInSeconds", RetryPolicy.maximum_event_age_in_seconds),
    )
    target_input = TargetInput(entry.get("Input"), entry.get("InputPath"), entry.get("InputTransformer"))
    owner = f"target {entry['Id']}"
    retry.validate(owner)
    target_input.validate(owner, json_required=True)
    return ResolvedTarget(
        id=entry["Id"],
        kind="function",
        arn=entry["Arn"],
        function=entry["Arn"].split(":")[6],
        input=target_input,
        retry_policy=retry,
        dead_letter_arn=(entry.get("DeadLetterConfig") or {}).get("Arn"),
    )


class ApiRoutes:
    """The function targets of rules made through the API, per bus and rule."""

    def __init__(self, routing: EventRouting) -> None:
        self.routing = routing
        self._routes: dict[tuple[str, str], dict[str, ApiRoute]] = {}
        self._lock = threading.Lock()

    def put_targets(self, rule: str, bus: str, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Route the function entries, pass the others on; return the entries that failed, as PutTargets does."""
        account = self.routing.harness.account
        events = account.client("events")
        rule_arn = events.describe_rule(Name=rule, EventBusName=bus)["Arn"]  # ResourceNotFoundException as AWS
        failed: list[dict[str, Any]] = []
        passed_on: list[dict[str, Any]] = []
        made: list[ApiRoute] = []
        for entry in entries:
            if not is_function_arn(entry.get("Arn", "")):
                passed_on.append(entry)
                continue
            try:
                target = resolved_target(entry)
            except ValueError as exc:
                failed.append({"TargetId": entry["Id"], "ErrorCode": "ValidationException", "ErrorMessage": str(exc)})
                continue
            self._remove(bus, rule, [entry["Id"]], on_backend=False)
            queue = create_placeholder_queue(account, plumbing_name("rule", bus, rule, entry["Id"]))
            passed_on.append({**plumbing_target(entry["Id"], queue.arn)})
            route = RuleTargetRoute(
                self.routing.harness,
                rule,
                rule_arn,
                bus,
                target,
                queue,
                self.routing.is_throttled,
            )
            made.append(ApiRoute(dict(entry), route))
        answer = events.put_targets(Rule=rule, EventBusName=bus, Targets=passed_on) if passed_on else {}
        refused = {f["TargetId"] for f in answer.get("FailedEntries", [])}
        failed.extend(answer.get("FailedEntries", []))
        for api_route in made:
            if api_route.route.target.id in refused:
                delete_plumbing_queue(account, api_route.queue)
                continue
            with self._lock:
                first = not self._routes.get((bus, rule))
                self._routes.setdefault((bus, rule), {})[api_route.route.target.id] = api_route
            if first:
                self.routing.acquire_monitor(bus)
        return failed

    def remove_targets(self, rule: str, bus: str, ids: list[str]) -> None:
        """Stop delivering the routed ones among `ids` and delete their queues (the backend removes the targets)."""
        self._remove(bus, rule, ids, on_backend=False)

    def delete_rule(self, rule: str, bus: str) -> None:
        """Forget every route of a deleted rule."""
        with self._lock:
            ids = list(self._routes.get((bus, rule), {}))
        self._remove(bus, rule, ids, on_backend=True)

    def _remove(self, bus: str, rule: str, ids: list[str], *, on_backend: bool) -> None:
        account = self.routing.harness.account
        with self._lock:
            routes = self._routes.get((bus, rule), {})
            removed = [routes.pop(i) for i in ids if i in routes]
            emptied = bool(removed) and not routes
            if emptied:
                self._routes.pop((bus, rule), None)
        if on_backend and removed:
            with contextlib.suppress(ClientError):
                account.client("events").remove_targets(
                    Rule=rule, EventBusName=bus, Ids=[r.route.target.id for r in removed]
                )
        for api_route in removed:
            api_route.route.active = False
            delete_plumbing_queue(account, api_route.queue)
        if emptied:
            self.routing.release_monitor(bus)

    def entry_for_queue(self, queue_arn: str) -> dict[str, Any] | None:
        """The entry the user put, for the plumbing queue that stands in for it."""
        with self._lock:
            for routes in self._routes.values():
                for api_route in routes.values():
                    if api_route.queue.arn == queue_arn:
                        return dict(api_route.entry)
        return None

    def routes(self, bus: str) -> dict[str, list[RuleTargetRoute]]:
        """The routed targets of each rule on `bus`."""
        with self._lock:
            return {
                rule: [r.route for r in routes.values()]
                for (on_bus, rule), routes in self._routes.items()
                if on_bus == bus and routes
            }

    def close(self) -> None:
        """Remove every route (the rules stay: they are the user's)."""
        with self._lock:
            keys = list(self._routes)
        for bus, rule in keys:
            self.delete_rule(rule, bus)
