"""What the harness needs of a stack: something it can deploy and later destroy, and what routes see of it.

Stacks themselves are provisioning's (`provisioning.stack.Stack`); the harness only relies on these shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from harness.functions.spec import FunctionSpec

if TYPE_CHECKING:
    from harness.backends.base import Account
    from harness.clock import Clock
    from harness.core import Harness
    from harness.event_sources.manager import EventSourceManager
    from harness.functions.asynchronous import AsyncInvoker
    from harness.functions.registry import FunctionRegistry
    from harness.routing.eventbridge import EventRouting
    from harness.waiting import Drainable


class HarnessServices(Protocol):
    """The few things a domain service (routing, scheduling, Step Functions) takes from its harness."""

    account: Account
    clock: Clock
    functions: FunctionRegistry
    async_invocations: AsyncInvoker
    event_sources: EventSourceManager

    def add_drainable(self, source: Drainable) -> None:
        """Let `drain()` wait for the service's work too."""
        ...

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` when the harness closes."""
        ...


class RouteHost(Protocol):
    """Where a declared route attaches itself: the harness's event routing."""

    events: EventRouting


class Destroyable(Protocol):
    """Something deployed that can be taken down again."""

    def destroy(self) -> None:
        """Remove everything it created."""
        ...


D = TypeVar("D", bound=Destroyable, covariant=True)


class Deployable(Protocol[D]):
    """A declaration the harness can deploy (a stack)."""

    def deploy(self, harness: Harness, progress: Callable[[str], None] | None = None) -> D:
        """Create it in `harness`; on failure leave nothing behind."""
        ...


class DeclaringStack(Protocol):
    """The stack a route is declared in: its name and functions."""

    name: str
    functions: tuple[FunctionSpec, ...]


class DeployedResources(Protocol):
    """A deployed stack: the outputs of its resources by name."""

    outputs: dict[str, dict[str, Any]]
