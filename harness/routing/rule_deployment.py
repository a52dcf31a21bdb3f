"""Putting a declared rule on the backend with placeholder targets, and taking it off again.

On the backend each target of the rule is a placeholder queue (which the embedded backend never fills);
the harness keeps the real target (function, queue or topic, with its input, retry policy and dead-letter
queue) and delivers to it what the bus's routing hands over. Either everything is created or nothing is
left behind.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.backends.errors import error_code
from harness.routing.bus_event import plumbing_target
from harness.routing.plumbing import PlumbingQueue, create_placeholder_queue, delete_plumbing_queue, plumbing_name
from harness.routing.retry import RetryPolicy
from harness.routing.rule_target import ResolvedTarget, RuleTargetRoute
from harness.routing.rules import Rule, Target

if TYPE_CHECKING:
    from harness.attachments import HarnessServices
    from harness.routing.eventbridge import EventRouting


@dataclass
class DeployedRule:
    """A rule the harness put on the backend; calling it (or `remove()`) takes it off."""

    rule: Rule
    arn: str
    routes: list[RuleTargetRoute]
    routing: EventRouting
    removed: bool = field(default=False)

    def route(self, target_id: str) -> RuleTargetRoute:
        """The delivery route of one target, with its metrics."""
        for route in self.routes:
            if route.target.id == target_id:
                return route
        raise LookupError(f"rule {self.rule.name} has no target {target_id!r}")

    def remove(self) -> None:
        """Stop delivering, delete the rule and its plumbing queues (idempotent)."""
        if self.removed:
            return
        self.removed = True
        self.routing.forget_rule(self)
        for route in self.routes:
            route.active = False
        account = self.routing.harness.account
        _delete_rule(account.client("events"), self.rule, [r.target.id for r in self.routes])
        for route in self.routes:
            delete_plumbing_queue(account, route.queue)
        self.routing.release_monitor(self.rule.bus)

    def __call__(self) -> None:
        self.remove()

    def __str__(self) -> str:
        return f"rule {self.rule.name} on {self.rule.bus}"


def resolve_target(
    harness: HarnessServices, rule: Rule, target: Target, outputs: dict[str, dict[str, Any]]
) -> ResolvedTarget:
    """Turn a declared target's names into ARNs; ValueError names what cannot be found."""
    owner = f"target {target.target_id} of rule {rule.name}"
    if target.function is not None:
        if target.function not in harness.functions:
            raise ValueError(f"{owner}: function {target.function!r} is not registered in this harness")
        arn, function = harness.functions.arn(target.function), target.function
    else:
        arn = target.arn or ""
        function = arn.split(":")[6] if target.kind == "function" and len(arn.split(":")) > 6 else None
    dead_letter = target.dead_letter_queue
    if dead_letter is not None and not dead_letter.startswith("arn:"):
        named = outputs.get(dead_letter)
        dead_letter = named["arn"] if named else harness.account.arn("sqs", dead_letter)
    return ResolvedTarget(
        id=target.target_id,
        kind=target.kind,
        arn=arn,
        function=function,
        input=target.target_input,
        retry_policy=target.retry_policy or RetryPolicy(),
        dead_letter_arn=dead_letter,
    )


def deploy_rule(routing: EventRouting, rule: Rule, outputs: dict[str, dict[str, Any]]) -> DeployedRule:
    """Create the rule with one plumbing queue per target and start its routes."""
    harness = routing.harness
    account = harness.account
    events = account.client("events")
    targets = [resolve_target(harness, rule, target, outputs) for target in rule.targets]
    _refuse_existing(events, rule)
    routing.acquire_monitor(rule.bus)
    queues: list[PlumbingQueue] = []
    created_rule = False
    try:
        for target in targets:
            queues.append(create_placeholder_queue(account, plumbing_name("rule", rule.bus, rule.name, target.id)))
        try:
            arn = events.put_rule(
                Name=rule.name,
                EventBusName=rule.bus,
                EventPattern=rule.pattern_text,
                State="ENABLED" if rule.enabled else "DISABLED",
                Description=rule.description,
            )["RuleArn"]
            created_rule = True
            answer = events.put_targets(
                Rule=rule.name,
                EventBusName=rule.bus,
                Targets=[plumbing_target(t.id, q.arn) for t, q in zip(targets, queues, strict=True)],
            )
        except ClientError as exc:
            raise _explained(rule, exc) from exc
        if answer.get("FailedEntryCount"):
            raise ValueError(f"rule {rule.name}: the backend refused targets {answer.get('FailedEntries')}")
    except BaseException:
        if created_rule:
            _delete_rule(events, rule, [t.id for t in targets])
        for queue in queues:
            delete_plumbing_queue(account, queue)
        routing.release_monitor(rule.bus)
        raise
    routes = [
        RuleTargetRoute(
            harness,
            rule.name,
            arn,
            rule.bus,
            target,
            queue,
            routing.is_throttled,
            counts_matches=index == 0,
        )
        for index, (target, queue) in enumerate(zip(targets, queues, strict=True))
    ]
    return DeployedRule(rule, arn, routes, routing)


def _refuse_existing(events: Any, rule: Rule) -> None:
    try:
        events.describe_event_bus(Name=rule.bus)
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            raise ValueError(f"rule {rule.name}: event bus {rule.bus!r} does not exist") from None
        raise
    try:
        events.describe_rule(Name=rule.name, EventBusName=rule.bus)
    except ClientError as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return
        raise
    raise ValueError(f"rule {rule.name} already exists on event bus {rule.bus}; remove it first or pick another name")


def _explained(rule: Rule, exc: ClientError) -> ValueError:
    code = error_code(exc)
    if code == "InvalidEventPatternException":
        return ValueError(f"rule {rule.name}: event pattern is not valid: {exc.response['Error'].get('Message')}")
    if code == "ResourceNotFoundException":
        return ValueError(f"rule {rule.name}: event bus {rule.bus!r} does not exist")
    return ValueError(f"rule {rule.name} could not be created: {exc}")


def _delete_rule(events: Any, rule: Rule, target_ids: list[str]) -> None:
    with contextlib.suppress(ClientError):
        events.remove_targets(Rule=rule.name, EventBusName=rule.bus, Ids=target_ids)
    with contextlib.suppress(ClientError):
        events.delete_rule(Name=rule.name, EventBusName=rule.bus)
