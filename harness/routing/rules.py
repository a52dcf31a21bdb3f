"""EventBridge rules with an event pattern, whose targets are functions, SQS queues or SNS topics.

A `Rule` goes in a stack's `triggers`. Everything EventBridge would refuse is refused when the rule is
declared, naming the rule and the target: a malformed event pattern, a bad name or target id, a target
that is neither a function nor a queue or topic, an Input that is not JSON, an InputTemplate that cannot
yield JSON for a function, a retry policy out of range, a FIFO dead-letter queue.

Example:
    >>> Rule(
    ...     "PayOnOrder",
    ...     bus="ecommerce-events",
    ...     event_pattern={"source": ["ecommerce.orders"], "detail-type": ["OrderPlaced"]},
    ...     targets=[Target("PaymentService")],
    ... )  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from harness.routing.event_pattern import event_pattern_text
from harness.routing.input_transform import TargetInput
from harness.routing.retry import RetryPolicy

if TYPE_CHECKING:
    from harness.attachments import DeclaringStack, DeployedResources, RouteHost

_RULE_NAME = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
_BUS_NAME = re.compile(r"^[/.\-_A-Za-z0-9]{1,256}$")
_TARGET_ID = re.compile(r"^[.\-_A-Za-z0-9]{1,64}$")
TARGET_SERVICES = {"lambda": "function", "sqs": "sqs", "sns": "sns"}
MAX_TARGETS = 5


@dataclass(frozen=True)
class Target:
    """Where a rule sends what it matched: a stack function by name, or an ARN.

    `input`, `input_path` and `input_transformer` (a mapping with `InputTemplate` and optional
    `InputPathsMap`, as in PutTargets) are exclusive. `dead_letter_queue` names a queue of the stack or
    gives an SQS ARN.
    """

    function: str | None = None
    arn: str | None = None
    id: str | None = None
    input: str | None = None
    input_path: str | None = None
    input_transformer: dict[str, Any] | None = field(default=None, hash=False)
    retry_policy: RetryPolicy | None = None
    dead_letter_queue: str | None = None

    def __post_init__(self) -> None:
        if (self.function is None) == (self.arn is None):
            raise ValueError(f"a rule target names a function or an ARN, exactly one of them (got {self!r})")
        if self.arn is not None:
            service = _arn_service(self.arn)
            if service not in TARGET_SERVICES:
                raise ValueError(
                    f"target {self.arn!r}: only functions, SQS queues and SNS topics can be targets here, "
                    f"not {service or 'a malformed ARN'}"
                )
            if service == "sqs" and self.arn.endswith(".fifo"):
                raise ValueError(f"target {self.arn!r}: FIFO queues are not supported as targets")
        if not _TARGET_ID.match(self.target_id):
            raise ValueError(f"target id {self.target_id!r} must be 1-64 letters, digits, '.', '-' or '_'")

    @property
    def target_id(self) -> str:
        """The target's Id: given, or the function's name, or the ARN's last part."""
        if self.id is not None:
            return self.id
        return self.function or (self.arn or "").rsplit(":", 1)[-1]

    @property
    def kind(self) -> str:
        """'function', 'sqs' or 'sns'."""
        return "function" if self.function else TARGET_SERVICES[_arn_service(self.arn or "")]

    @property
    def target_input(self) -> TargetInput:
        """Its Input, InputPath or InputTransformer."""
        return TargetInput(self.input, self.input_path, self.input_transformer)

    def validate(self, rule: str) -> None:
        """Raise ValueError naming the rule and this target when a setting would be refused."""
        owner = f"target {self.target_id} of rule {rule}"
        self.target_input.validate(owner, json_required=self.kind == "function")
        if self.retry_policy is not None:
            self.retry_policy.validate(owner)
        queue = self.dead_letter_queue
        if queue is not None:
            if not isinstance(queue, str) or not queue:
                raise ValueError(f"{owner}: dead_letter_queue must name a queue or give an SQS ARN")
            if queue.startswith("arn:") and _arn_service(queue) != "sqs":
                raise ValueError(f"{owner}: the dead-letter queue must be an SQS queue, got {queue!r}")
            if queue.endswith(".fifo"):
                raise ValueError(f"{owner}: EventBridge cannot use a FIFO queue ({queue}) as a dead-letter queue")


def check_targets(stack: DeclaringStack, rule: str, targets: Iterable[Target]) -> None:
    """Refuse targets naming a function or dead-letter queue that `stack` does not declare."""
    functions = {f.name for f in stack.functions}
    resources = {r.name for r in stack.resources}
    for target in targets:
        if target.function is not None and target.function not in functions:
            raise ValueError(f"stack {stack.name}: rule {rule} targets unknown function {target.function!r}")
        queue = target.dead_letter_queue
        if queue is not None and not queue.startswith("arn:") and queue not in resources:
            raise ValueError(
                f"stack {stack.name}: rule {rule} names dead-letter queue {queue!r}, which the stack does not declare"
            )


@dataclass(frozen=True)
class Rule:
    """A rule on an event bus: an event pattern and up to five targets."""

    name: str
    event_pattern: dict[str, Any] | str = field(hash=False)
    targets: tuple[Target, ...] = ()
    bus: str = "default"
    description: str = ""
    enabled: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "targets", tuple(self.targets))
        if not isinstance(self.name, str) or not _RULE_NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be 1-64 letters, digits, '.', '-' or '_'")
        if not isinstance(self.bus, str) or not _BUS_NAME.match(self.bus):
            raise ValueError(f"rule {self.name}: event bus name {self.bus!r} must be 1-256 of [A-Za-z0-9/._-]")
        event_pattern_text(self.event_pattern, f"rule {self.name}")
        if not 1 <= len(self.targets) <= MAX_TARGETS:
            raise ValueError(f"rule {self.name}: needs 1 to {MAX_TARGETS} targets, got {len(self.targets)}")
        ids = [t.target_id for t in self.targets]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"rule {self.name}: target ids {duplicates} are used more than once")
        for target in self.targets:
            target.validate(self.name)

    @property
    def pattern_text(self) -> str:
        """The event pattern as compact JSON text."""
        return event_pattern_text(self.event_pattern, f"rule {self.name}")

    @property
    def pattern(self) -> dict[str, Any]:
        """The event pattern as a mapping."""
        return json.loads(self.pattern_text)

    def check(self, stack: DeclaringStack) -> None:
        """Every function target and named dead-letter queue must be declared by the stack."""
        check_targets(stack, self.name, self.targets)

    def attach(self, harness: RouteHost, deployed: DeployedResources) -> Callable[[], None]:
        """Create the rule on the backend and start delivering what it matches."""
        return harness.events.add_rule(self, deployed.outputs)

    def __str__(self) -> str:
        return f"rule {self.name} on {self.bus}"


def _arn_service(arn: str) -> str:
    parts = arn.split(":")
    return parts[2] if len(parts) >= 6 and parts[0] == "arn" else ""
