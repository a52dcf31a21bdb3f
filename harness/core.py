"""The harness: one account on a backend, its in-process functions, event delivery and clock."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from harness.backends import network_guard
from harness.backends.base import Account, Backend
from harness.clock import Clock, VirtualClock, WallClock
from harness.event_sources.manager import EventSourceManager
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.logs import FunctionLogs
from harness.functions.registry import FunctionRegistry
from harness.functions.result import InvocationResult
from harness.functions.spec import FunctionSpec
from harness.lambda_api import LambdaApi
from harness.routing.eventbridge import EventRouting
from harness.scheduling.scheduler import SchedulerService
from harness.states.service import StepFunctionsService
from harness.waiting import Drainable, drain, eventually
from provisioning.builders.iam import lambda_lab_role
from provisioning.stack import DeployedStack, Stack, deploy

T = TypeVar("T")


class Harness:
    """Everything a test or the CLI drives: deploy stacks, invoke functions, drain events, move time.

    Example:
        >>> with Harness(backend) as h:  # doctest: +SKIP
        ...     h.deploy(stream_processing_stack())
        ...     h.invoke("SensorProducer", {"count": 10}).value()
        ...     h.drain()
        ...     assert h.logs("SensorStreamProcessor").contains("Processed")
    """

    def __init__(
        self,
        backend: Backend,
        *,
        account: Account | None = None,
        clock: Clock | None = None,
        background: bool = True,
        lambda_host: str = "127.0.0.1",
        lambda_port: int = 0,
    ) -> None:
        self.backend = backend
        self._release_network_guard = network_guard.activate(urlsplit(backend.endpoint_url).hostname)
        # An account handed in (from an AccountPool) already has its LambdaLabRole.
        self._role_ready = account is not None
        self._owns_role = False
        self.account = account or backend.new_account()
        self.clock = clock or VirtualClock()
        self.functions = FunctionRegistry(self.account, self._function_endpoints)
        self.event_sources = EventSourceManager(self.account, self.functions, self.clock, background=background)
        self.async_invocations = AsyncInvoker(self.clock)
        self.lambda_api = LambdaApi(
            self.functions, self.event_sources, self.async_invocations, host=lambda_host, port=lambda_port
        ).start()
        self.stacks: list[DeployedStack] = []
        self._lock = threading.Lock()
        self._extra_sources: list[Drainable] = []
        self._closers: list[Callable[[], None]] = []
        # boto3 service name -> (environment variable for functions, URL of the API the harness serves)
        self._served: dict[str, tuple[str, str]] = {}
        self.serve_api("lambda", "AWS_ENDPOINT_URL_LAMBDA", self.lambda_api.url)
        # -- services: each attaches itself here, before any function is registered --
        self.events = EventRouting(self)
        # With a fixed Lambda API port (serve, compose), the other APIs take the next two ports.
        self.states = StepFunctionsService(self, host=lambda_host, port=lambda_port + 1 if lambda_port else 0)
        self.scheduler = SchedulerService(self, port=lambda_port + 2 if lambda_port else 0)

    def serve_api(self, boto_service: str, variable: str, url: str) -> None:
        """Route a service's clients (the harness's and every function's) to an API the harness serves.

        Call it before functions are registered: a function's environment is fixed at registration.
        """
        self._served[boto_service] = (variable, url)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` when the harness closes (after stacks are destroyed), newest first."""
        self._closers.append(closer)

    def _function_endpoints(self) -> dict[str, str]:
        return {variable: url for variable, url in self._served.values()}

    # -- clients ---------------------------------------------------------------------------------
    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client in this harness's account: on the backend, or on the API the harness serves for it."""
        if service in self._served:
            kwargs.setdefault("endpoint_url", self._served[service][1])
        return self.account.client(service, **kwargs)

    def resource(self, service: str, **kwargs: Any) -> Any:
        """A boto3 resource in this harness's account on the backend."""
        return self.account.resource(service, **kwargs)

    # -- provisioning ----------------------------------------------------------------------------
    def ensure_lab_role(self) -> None:
        """Create the seed's LambdaLabRole in this account once."""
        with self._lock:
            if not self._role_ready:
                lambda_lab_role().create(self.account)
                self._role_ready = self._owns_role = True

    def deploy(self, stack: Stack, progress: Callable[[str], None] | None = None) -> DeployedStack:
        """Create a stack's resources, register its functions and start its triggers."""
        self.ensure_lab_role()
        deployed = deploy(self, stack, progress)
        self.stacks.append(deployed)
        return deployed

    def register(self, spec: FunctionSpec, *, replace: bool = False) -> None:
        """Add one function outside any stack."""
        self.functions.register(spec, replace=replace)

    # -- invocation and observation --------------------------------------------------------------
    def invoke(self, function: str, event: Any = None) -> InvocationResult:
        """Invoke a function synchronously (RequestResponse) and return its result."""
        return self.functions.get(function).invoke({} if event is None else event)

    def invoke_async(self, function: str, event: Any = None) -> None:
        """Invoke a function as an Event; `drain()` waits for it."""
        self.async_invocations.submit(self.functions.get(function), {} if event is None else event)

    def logs(self, function: str) -> FunctionLogs:
        """The captured log group of a function."""
        return self.functions.get(function).logs

    def paused(self) -> contextlib.AbstractContextManager[None]:
        """Hold background delivery inside a `with` block, so that records pile up into full batches."""
        return self.event_sources.paused()

    def add_drainable(self, source: Drainable) -> None:
        """Let `drain()` also wait for another source of work (routing, schedules)."""
        self._extra_sources.append(source)

    def _drainables(self) -> Iterable[Drainable]:
        return [*self.event_sources.all(), self.async_invocations, *self._extra_sources]

    def drain(self, timeout: float = 30.0) -> int:
        """Deliver every pending record, message and event until all is idle; return how many."""
        return drain(self._drainables, timeout)

    def eventually(
        self,
        probe: Callable[[], T],
        *,
        timeout: float = 10.0,
        message: str | Callable[[], str] = "condition never held",
    ) -> T:
        """Wait until `probe()` is truthy and return it; fail with `message` otherwise."""
        return eventually(probe, timeout=timeout, message=message)

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """Move the harness clock forward (virtual clocks only), then deliver what that made due."""
        self.clock.advance(seconds, **delta)
        self.drain()

    # -- lifetime --------------------------------------------------------------------------------
    def close(self) -> None:
        """Destroy every deployed stack and the lab role, stop pollers and the Lambda API."""
        errors = []
        self.event_sources.stop_all()
        for deployed in reversed(self.stacks):
            try:
                deployed.destroy()
            except RuntimeError as exc:
                errors.append(str(exc))
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception as exc:
                errors.append(f"{closer!r}: {exc}")
        for function in self.functions.all():
            function.unload()  # nothing of a closed harness's functions stays in sys.modules
        if self._owns_role:
            lambda_lab_role().delete(self.account)
        self.async_invocations.shutdown()
        self.lambda_api.stop()
        if isinstance(self.clock, WallClock):
            self.clock.stop()
        self._release_network_guard()
        if errors:
            raise RuntimeError("; ".join(errors))

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
