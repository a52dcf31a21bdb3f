"""One function's in-process runtime: cold start, invocation on a thread, timeout, error shape."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import time
import traceback
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

Handler = Callable[[Any, LambdaContext], Any]


def error_document(exc: BaseException) -> dict[str, Any]:
    """Lambda's error JSON for an exception: class name as errorType, message, stack trace."""
    frames = traceback.extract_tb(exc.__traceback__)
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": "",
        "stackTrace": [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames],
    }


class FunctionRuntime:
    """Runs one declared function in this process, the way a Lambda sandbox would."""

    mode = "in_process"

    def __init__(self, spec: FunctionSpec, arn: str, environment: dict[str, str], role_arn: str = "") -> None:
        self.spec = spec
        self.arn = arn
        self.role_arn = role_arn
        self.environment = environment
        self.logs = FunctionLogs(spec.name)
        self.invocation_count = 0
        self._scope = FunctionScope(environment)
        self._handler: Handler | None = None
        self._load_lock = threading.Lock()
        self._count_lock = threading.Lock()

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
            try:
                loader_spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(private_name, None)
                raise
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

    def invoke(self, event: Any, *, request_id: str | None = None) -> InvocationResult:
        """Run the handler with `event` and wait for it, at most the configured timeout."""
        try:
            event = json.loads(json.dumps(event))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"event for {self.spec.name} is not JSON-serializable: {exc}") from None
        request_id = request_id or str(uuid.uuid4())
        log = InvocationLog(request_id)
        context = LambdaContext(
            function_name=self.spec.name,
            invoked_function_arn=self.arn,
            aws_request_id=request_id,
            memory_limit_in_mb=self.spec.memory_size,
            timeout_seconds=self.spec.timeout,
            log_stream_name=f"{time.strftime('%Y/%m/%d')}/[$LATEST]{uuid.uuid4().hex}",
        )
        with self._count_lock:
            self.invocation_count += 1
        outcome: dict[str, Any] = {}
        happening = timeline.invocation_started(self.arn, self.spec.name, event, request_id)
        began = time.perf_counter()

        def run() -> None:
            with entered(self._scope), capturing(log):
                try:
                    handler = self._load()
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
                    print(f"[ERROR] {type(exc).__name__}: {exc}")

        worker = threading.Thread(target=timeline.carry(run, happening), name=f"lambda-{self.spec.name}", daemon=True)
        worker.start()
        worker.join(self.spec.timeout)
        duration_ms = (time.perf_counter() - began) * 1000
        if worker.is_alive():
            # Lambda would kill the sandbox; a thread cannot be killed, so the next call starts cold.
            self.reset()
            message = f"Task timed out after {self.spec.timeout:.2f} seconds"
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} {message}\n")
            log.flush()
            outcome = {
                "error": {"errorMessage": f"RequestId: {request_id} Error: {message}", "errorType": "Sandbox.Timedout"}
            }
        log.duration_ms = duration_ms
        self.logs.add(log)
        timeline.invocation_finished(happening, outcome.get("error"), log.lines, duration_ms)
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
