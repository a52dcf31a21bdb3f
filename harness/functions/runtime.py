"""One function's in-process runtime: cold start, invocation on a thread, timeout, error shape."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import time
import types
import uuid
from collections.abc import Callable
from typing import Any

from harness import timeline
from harness.functions.context import LambdaContext
from harness.functions.isolation import FunctionScope, entered
from harness.functions.logs import FunctionLogs, InvocationLog, capturing
from harness.functions.result import InvocationResult
from harness.functions.spec import FunctionSpec
from harness.observability import lambda_format
from harness.observability.telemetry import DISABLED, InvocationRecord, Telemetry

Handler = Callable[[Any, LambdaContext], Any]


def error_document(exc: BaseException) -> dict[str, Any]:
    """Lambda's error JSON for an exception: class name as errorType, message, stack trace."""
    frames = lambda_format.handler_frames(exc, __file__)
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": "",
        "stackTrace": [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames],
    }


class FunctionRuntime:
    """Runs one declared function in this process, the way a Lambda sandbox would."""

    mode = "in_process"

    def __init__(
        self,
        spec: FunctionSpec,
        arn: str,
        environment: dict[str, str],
        role_arn: str = "",
        telemetry: Telemetry = DISABLED,
    ) -> None:
        self.spec = spec
        self.telemetry = telemetry
        self.arn = arn
        self.role_arn = role_arn
        self.environment = environment
        self.logs = FunctionLogs(spec.name)
        self.invocation_count = 0
        self._scope = FunctionScope(environment)
        self._handler: Handler | None = None
        self._load_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._running = 0
        self._log_stream: str | None = None  # one per warm instance, as Lambda names them
        self._init_ms: float | None = None  # Init Duration of a cold start not yet reported

    def _load(self) -> Handler:
        """Import the handler's module privately, running its top-level code once (cold start)."""
        with self._load_lock:
            if self._handler is not None:
                return self._handler
            found = importlib.util.find_spec(self.spec.module)
            if found is None or found.origin is None:
                raise ModuleNotFoundError(f"No module named '{self.spec.module}'")
            private_name = f"_harness_function_{self.spec.name}_{uuid.uuid4().hex[:8]}"
            loader_spec = importlib.util.spec_from_file_location(private_name, found.origin)
            assert loader_spec is not None and loader_spec.loader is not None
            module = importlib.util.module_from_spec(loader_spec)
            module.__package__ = self.spec.module.rpartition(".")[0]
            sys.modules[private_name] = module
            began = time.perf_counter()
            try:
                loader_spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(private_name, None)
                raise
            self._init_ms = (time.perf_counter() - began) * 1000
            handler = getattr(module, self.spec.attribute, None)
            if not callable(handler):
                raise AttributeError(f"module '{self.spec.module}' has no function '{self.spec.attribute}'")
            self._handler = handler
            self._module: types.ModuleType = module
            return handler

    def reconfigure(self, spec: FunctionSpec, environment: dict[str, str], code_path: str | None = None) -> None:
        """Take new settings (UpdateFunctionConfiguration); the next invocation starts cold."""
        self.spec, self.environment = spec, environment
        self._scope = FunctionScope(environment)
        self.reset()

    def reset(self) -> None:
        """Forget the loaded module so that the next invocation is a cold start."""
        with self._load_lock:
            self._handler = None
            self._log_stream = None
            module = self.__dict__.pop("_module", None)
            if module is not None and sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]

    def _instance_stream(self, now: float) -> str:
        """The log stream of the warm instance, named on its cold start: `YYYY/MM/DD/[$LATEST]<32 hex>`."""
        with self._load_lock:
            if self._log_stream is None:
                self._log_stream = f"{time.strftime('%Y/%m/%d', time.gmtime(now))}/[$LATEST]{uuid.uuid4().hex}"
            return self._log_stream

    def _take_init(self) -> float | None:
        with self._load_lock:
            init_ms, self._init_ms = self._init_ms, None
            return init_ms

    def unload(self) -> None:
        """Release the handler module and the function's boto3 session (its harness has closed)."""
        self.reset()
        self._scope.forget_session()

    def invoke(self, event: Any, *, request_id: str | None = None) -> InvocationResult:
        """Run the handler with `event` and wait for it, at most the configured timeout."""
        event = json_event(self.spec.name, event)
        request_id = request_id or str(uuid.uuid4())
        logging_config = self.spec.logging
        log = InvocationLog(request_id, memory_size_mb=self.spec.memory_size)
        if logging_config.is_json:
            log.record_format = lambda_format.json_record_format(logging_config.application_log_level)
        started_at = self.telemetry.time()
        log_stream = self._instance_stream(started_at)
        context = LambdaContext(
            function_name=self.spec.name,
            invoked_function_arn=self.arn,
            aws_request_id=request_id,
            memory_limit_in_mb=self.spec.memory_size,
            timeout_seconds=self.spec.timeout,
            log_group_name=logging_config.group_for(self.spec.name),
            log_stream_name=log_stream,
        )
        with self._count_lock:
            self.invocation_count += 1
            self._running += 1
            concurrency = self._running
        outcome: dict[str, Any] = {}
        happening = timeline.invocation_started(self.arn, self.spec.name, event, request_id)
        memory_before = lambda_format.resident_mb()
        began = time.perf_counter()

        def run() -> None:
            with entered(self._scope), capturing(log):
                try:
                    handler = self._load()
                    outcome["init_ms"] = self._take_init()
                    returned = handler(event, context)
                    if isinstance(returned, bytes | bytearray):
                        outcome["raw"] = bytes(returned)
                        outcome["payload"] = _decoded(outcome["raw"])
                    else:
                        outcome["payload"] = _json_round_trip(returned)
                except _MarshalError as exc:
                    outcome["error"] = {"errorMessage": str(exc), "errorType": "Runtime.MarshalError"}
                except Exception as exc:
                    outcome["error"] = error_document(exc)
                    outcome["error"]["requestId"] = request_id
                    frames = lambda_format.handler_frames(exc, __file__)
                    now = self.telemetry.time()
                    entry = lambda_format.uncaught_error_entry(
                        exc, frames, request_id, json_format=logging_config.is_json, now=now
                    )
                    log.add_entry(entry)

        worker = threading.Thread(target=timeline.carry(run, happening), name=f"lambda-{self.spec.name}", daemon=True)
        worker.start()
        worker.join(self.spec.timeout)
        duration_ms = (time.perf_counter() - began) * 1000
        with self._count_lock:
            self._running -= 1
        init_ms = outcome.pop("init_ms", None)
        if worker.is_alive():
            # Lambda would kill the sandbox; a thread cannot be killed, so the next call starts cold.
            self.reset()
            message = f"Task timed out after {self.spec.timeout:.2f} seconds"
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} {message}\n")
            log.flush()
            outcome = {
                "error": {"errorMessage": f"RequestId: {request_id} Error: {message}", "errorType": "Sandbox.Timedout"}
            }
        log.init_duration_ms = init_ms
        log.duration_ms = duration_ms - (init_ms or 0.0)
        log.max_memory_used_mb = lambda_format.max_memory_used(
            memory_before, lambda_format.resident_mb(), self.spec.memory_size
        )
        self.logs.add(log)
        timeline.invocation_finished(happening, outcome.get("error"), log.lines, duration_ms)
        self.telemetry.invocation(
            InvocationRecord(
                function_name=self.spec.name,
                log=log,
                log_stream=log_stream,
                logging=logging_config,
                started_at=started_at,
                ended_at=self.telemetry.time(),
                error=outcome.get("error"),
                cold_start=init_ms is not None,
                concurrency=concurrency,
                retention_days=self.spec.log_retention_days,
            )
        )
        return InvocationResult(
            function_name=self.spec.name,
            request_id=request_id,
            payload=outcome.get("payload"),
            error=outcome.get("error"),
            log=log,
            duration_ms=duration_ms,
            raw=outcome.get("raw"),
        )


class _MarshalError(ValueError):
    pass


def json_event(function: str, event: Any) -> Any:
    """The event as the function receives it (a JSON round trip); ValueError says why it cannot be sent."""
    try:
        return json.loads(json.dumps(event, allow_nan=False))
    except RecursionError:
        raise ValueError(f"event for {function} is nested too deeply to be JSON") from None
    except (TypeError, ValueError) as exc:
        raise ValueError(f"event for {function} is not JSON-serializable: {exc}") from None


def _decoded(raw: bytes) -> Any:
    """Bytes a handler returned, read as its callers would read the response body: JSON if it is JSON."""
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


def _json_round_trip(value: Any) -> Any:
    """What survives Lambda's JSON marshalling of an event or a response."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise _MarshalError(f"Unable to marshal response: {exc}") from None
