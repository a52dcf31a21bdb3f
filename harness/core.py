"""The harness: one account on a backend, its in-process functions, event delivery and clock."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from adapters.athena import athena_adapter
from adapters.bedrock import bedrock_adapter
from adapters.textract import textract_adapter
from harness.attachments import D, Deployable, Destroyable
from harness.backends import in_process, network_guard
from harness.backends.base import Account, Backend
from harness.backends.lab_role import lambda_lab_role
from harness.clock import Clock, VirtualClock, WallClock
from harness.event_sources.manager import EventSourceManager
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.logs import FunctionLogs
from harness.functions.registry import FunctionRegistry
from harness.functions.result import InvocationResult
from harness.functions.runtime import json_event
from harness.functions.spec import FunctionSpec
from harness.observability.observability import Observability
from harness.routing.eventbridge import EventRouting
from harness.scheduling.scheduler import SchedulerService
from harness.served.athena import AthenaApi
from harness.served.bedrock_runtime import BedrockRuntimeApi
from harness.served.console import ConsoleApp, SnapshotBuilder
from harness.served.events_api import EventsApi
from harness.served.gateway import Gateway
from harness.served.lambda_api import LambdaApi
from harness.served.s3_api import S3Api
from harness.served.scheduler_api import SchedulerApi
from harness.served.server import LoopbackServer
from harness.served.sns_api import SnsApi
from harness.served.sqs_api import SqsApi
from harness.served.states_api import StatesApi
from harness.served.textract import TextractApi
from harness.states.service import StepFunctionsService
from harness.timeline import Timeline
from harness.waiting import Drainable, drain, eventually

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
        host: str = "127.0.0.1",
        port: int = 0,
        check_shapes: bool = False,
        telemetry: bool | None = None,
        log_retention_days: int | None = None,
    ) -> None:
        self.backend = backend
        self._release_network_guard = network_guard.activate(urlsplit(backend.endpoint_url).hostname)
        # An account handed in (from an AccountPool) already has its LambdaLabRole.
        self._role_ready = account is not None
        self._owns_role = False
        self.account = account or backend.new_account()
        self.clock = clock or VirtualClock()
        # Logs and metrics in CloudWatch (telemetry=False or HARNESS_TELEMETRY=off switches them off).
        self.observability = Observability(
            self.account, self.clock, enabled=telemetry, log_retention_days=log_retention_days
        )
        self.telemetry = self.observability.telemetry
        # What happens in this account, each happening linked to its cause (the console and reports show it).
        self.timeline = Timeline(self.account.account_id, self.clock).attach()
        # One endpoint for every service: what the harness owns is answered there, the rest is forwarded.
        self.gateway = Gateway(backend.endpoint_url, backend_name=backend.name, check_shapes=check_shapes)
        self.server = LoopbackServer(self.gateway.wsgi, host=host, port=port).start()
        self.endpoint_url = self.server.url
        in_process.register(self.endpoint_url, self.gateway.wsgi)
        self.functions = FunctionRegistry(self.account, self.endpoint_url, self.telemetry)
        self.event_sources = EventSourceManager(self.account, self.functions, self.clock, background=background)
        self.async_invocations = AsyncInvoker(self.clock)
        self.stacks: list[Destroyable] = []
        self._lock = threading.Lock()
        self._extra_sources: list[Drainable] = [self.observability]
        self._closers: list[Callable[[], None]] = [self.observability.close]  # runs last
        # -- services: each attaches itself here, before any function is registered --
        self.events = EventRouting(self)
        self.states = StepFunctionsService(self)
        self.scheduler = SchedulerService(self)
        self.gateway.serve(LambdaApi(self.functions, self.event_sources, self.async_invocations), exclusive=True)
        self.gateway.serve(StatesApi(self.states))
        self.gateway.serve(SchedulerApi(self.scheduler, self.account.client("scheduler")))
        self.gateway.serve(EventsApi(self.events, self.account.client("events")))
        self.gateway.serve(S3Api(self.events, self.account.client("s3")))
        self.gateway.serve(SnsApi(self.events, self.account.client("sns")))
        self.gateway.serve(SqsApi(self.account.client("sqs")))
        # Model answers: local models unless HARNESS_BEDROCK says aws or replay; tests script it.
        self.bedrock = bedrock_adapter()
        self.gateway.serve(BedrockRuntimeApi(self.bedrock), exclusive=True)
        self.gateway.serve(AthenaApi(athena_adapter(self.account)), exclusive=True)
        # Documents: the local engine unless HARNESS_TEXTRACT says aws.
        self.textract = textract_adapter()
        self.gateway.serve(TextractApi(self.account, self.textract, clock=self.clock.time), exclusive=True)
        self.views = SnapshotBuilder(self)
        self.gateway.console = ConsoleApp(self.views)

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` when the harness closes (after stacks are destroyed), newest first."""
        self._closers.append(closer)

    # -- clients ---------------------------------------------------------------------------------
    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client in this harness's account, on the harness's endpoint (as a function's would be)."""
        kwargs.setdefault("endpoint_url", self.endpoint_url)
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

    def deploy(self, stack: Deployable[D], progress: Callable[[str], None] | None = None) -> D:
        """Create a stack's resources, register its functions and start its triggers."""
        self.ensure_lab_role()
        self.states.forget()  # the stack may create or change state machines on the backend directly
        deployed = stack.deploy(self, progress)
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
        """Invoke a function as an Event; `drain()` waits for it. ValueError at once if it cannot be sent."""
        runtime = self.functions.get(function)
        self.async_invocations.submit(runtime, json_event(runtime.spec.name, {} if event is None else event))

    def logs(self, function: str) -> FunctionLogs:
        """The captured log group of a function."""
        return self.functions.get(function).logs

    def snapshot(self, limit: int | None = None) -> dict[str, Any]:
        """What the console shows now, as JSON-ready data (every happening by default)."""
        return self.views.build(limit=limit)

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
        if self._owns_role:
            lambda_lab_role().delete(self.account)
        self.async_invocations.shutdown()
        self.functions.close()  # worker processes, published versions, uploaded code
        self.timeline.detach()
        in_process.unregister(self.endpoint_url)
        self.server.stop()
        self.gateway.close()
        if isinstance(self.clock, WallClock):
            self.clock.stop()
        self._release_network_guard()
        if errors:
            raise RuntimeError("; ".join(errors))

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
