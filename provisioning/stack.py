"""A stack: the resources, functions and triggers of one pattern, deployed and destroyed as a unit."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.base import Resource

if TYPE_CHECKING:
    from harness.core import Harness
    from harness.event_sources.mapping import EventSourceMapping


@runtime_checkable
class Attachment(Protocol):
    """A trigger the harness wires itself (a rule, a bucket notification, a subscription), not a mapping.

    It goes in a stack's `triggers` beside `Trigger`s and is attached after the stack's resources and
    functions exist.
    """

    def check(self, stack: Stack) -> None:
        """Raise ValueError naming what it needs that the stack does not declare."""
        ...

    def attach(self, harness: Harness, deployed: DeployedStack) -> Callable[[], None]:
        """Wire it up; return what undoes it (run when the stack is destroyed)."""
        ...


@dataclass(frozen=True)
class Trigger:
    """An event source mapping: `source` names a resource of the stack (stream, table with stream, queue)."""

    function: str
    source: str
    settings: MappingSettings = field(default_factory=MappingSettings)

    def source_arn(self, outputs: dict[str, dict[str, Any]]) -> str:
        """The ARN to poll: a table's stream, or the resource itself."""
        if self.source not in outputs:
            raise ValueError(f"trigger of {self.function} names {self.source!r}, which this stack does not declare")
        resource = outputs[self.source]
        return resource.get("stream_arn") or resource["arn"]

    def resolved_settings(self, outputs: dict[str, dict[str, Any]]) -> MappingSettings:
        """The settings with an on-failure destination that names a stack resource turned into its ARN."""
        destination = self.settings.on_failure_destination
        if destination and not destination.startswith("arn:"):
            if destination not in outputs:
                raise ValueError(
                    f"trigger of {self.function}: destination {destination!r} is not a resource of the stack"
                )
            return replace(self.settings, on_failure_destination=outputs[destination]["arn"])
        return self.settings


@dataclass(frozen=True)
class Stack:
    """A pattern's declaration. Deploy it with `Harness.deploy(stack)`.

    Example:
        >>> stack = Stack("demo", resources=[KinesisStream("S")], functions=[...], triggers=[...])  # doctest: +SKIP
    """

    name: str
    resources: tuple[Resource, ...] = ()
    functions: tuple[FunctionSpec, ...] = ()
    triggers: tuple[Trigger | Attachment, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "resources", tuple(self.resources))
        object.__setattr__(self, "functions", tuple(self.functions))
        object.__setattr__(self, "triggers", tuple(self.triggers))
        names = [r.name for r in self.resources]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"stack {self.name} declares resources {duplicates} more than once")
        declared = [f.name for f in self.functions]
        duplicates = sorted({n for n in declared if declared.count(n) > 1})
        if duplicates:
            raise ValueError(f"stack {self.name} declares functions {duplicates} more than once")
        function_names = set(declared)
        for trigger in self.triggers:
            if not isinstance(trigger, Trigger):
                trigger.check(self)
                continue
            if trigger.function not in function_names:
                raise ValueError(f"stack {self.name}: trigger names unknown function {trigger.function!r}")
            if trigger.source not in names:
                raise ValueError(
                    f"stack {self.name}: trigger of {trigger.function} names unknown resource {trigger.source!r}"
                )

    def with_resources(self, *resources: Resource) -> Stack:
        """A copy with more resources."""
        return replace(self, resources=(*self.resources, *resources))

    def with_functions(self, *functions: FunctionSpec) -> Stack:
        """A copy with more functions."""
        return replace(self, functions=(*self.functions, *functions))

    def with_triggers(self, *triggers: Trigger | Attachment) -> Stack:
        """A copy with more triggers."""
        return replace(self, triggers=(*self.triggers, *triggers))

    def _require_function(self, function: str) -> None:
        if function not in {f.name for f in self.functions}:
            raise ValueError(f"stack {self.name} has no function {function!r}")

    def with_trigger_settings(self, function: str, **changes: Any) -> Stack:
        """A copy whose triggers of `function` use changed settings (e.g. `maximum_retry_attempts=0`)."""
        self._require_function(function)
        mapped = [t for t in self.triggers if isinstance(t, Trigger) and t.function == function]
        if not mapped:
            raise ValueError(f"stack {self.name} has no trigger for {function!r}")
        triggers = tuple(
            replace(t, settings=replace(t.settings, **changes)) if t in mapped else t for t in self.triggers
        )
        return replace(self, triggers=triggers)

    def deploy(self, harness: Harness, progress: Callable[[str], None] | None = None) -> DeployedStack:
        """Create everything this stack declares in `harness` (see `Harness.deploy`)."""
        return deploy(harness, self, progress)

    def with_environment(self, function: str, **variables: str) -> Stack:
        """A copy where `function` has extra environment variables."""
        self._require_function(function)
        functions = tuple(
            replace(f, environment={**f.environment, **variables}) if f.name == function else f for f in self.functions
        )
        return replace(self, functions=functions)


@dataclass
class DeployedStack:
    """What `deploy` created; `destroy()` removes all of it, newest first."""

    stack: Stack
    harness: Harness
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    mappings: list[EventSourceMapping] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    created: list[Resource] = field(default_factory=list)
    detachers: list[Callable[[], None]] = field(default_factory=list)
    destroyed: bool = False

    def arn(self, resource: str) -> str:
        """The ARN of a deployed resource."""
        return self.outputs[resource]["arn"]

    def mapping(self, function: str) -> EventSourceMapping:
        """The (first) event source mapping that invokes `function`."""
        for mapping in self.mappings:
            if mapping.function.spec.name == function:
                return mapping
        raise LookupError(f"stack {self.stack.name} has no trigger for {function}")

    def destroy(self) -> None:
        """Remove mappings, functions and resources; collect errors and report them together."""
        if self.destroyed:
            return
        self.destroyed = True
        errors: list[str] = []
        for detach in reversed(self.detachers):
            try:
                detach()
            except Exception as exc:
                errors.append(f"{detach}: {exc}")
        for mapping in self.mappings:
            try:
                self.harness.event_sources.delete(mapping.uuid)
            except Exception as exc:
                errors.append(f"mapping of {mapping.function.spec.name}: {exc}")
        for name in self.functions:
            self.harness.functions.remove(name)
        for resource in reversed(self.created):
            try:
                resource.delete(self.harness.account)
            except Exception as exc:
                errors.append(f"{resource.name}: {exc}")
        if errors:
            raise RuntimeError(f"destroying stack {self.stack.name} left: " + "; ".join(errors))


def deploy(harness: Harness, stack: Stack, progress: Any = None) -> DeployedStack:
    """Create everything `stack` declares; on any failure remove what was already created and re-raise."""
    deployed = DeployedStack(stack, harness)
    say = progress or (lambda message: None)
    try:
        for resource in stack.resources:
            say(f"creating {type(resource).__name__} {resource.name}")
            deployed.outputs[resource.name] = resource.create(harness.account)
            deployed.created.append(resource)
        for spec in stack.functions:
            harness.functions.register(spec)
            deployed.functions.append(spec.name)
        for trigger in stack.triggers:
            if not isinstance(trigger, Trigger):
                say(f"attaching {trigger}")
                deployed.detachers.append(trigger.attach(harness, deployed))
                continue
            say(f"mapping {trigger.source} -> {trigger.function}")
            mapping = harness.event_sources.create(
                trigger.function, trigger.source_arn(deployed.outputs), trigger.resolved_settings(deployed.outputs)
            )
            deployed.mappings.append(mapping)
    except BaseException:
        with contextlib.suppress(RuntimeError):  # the original error is the one worth reporting
            deployed.destroy()
        raise
    return deployed
