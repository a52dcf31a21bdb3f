"""One function's process runtime: a warm worker process per function instance, as Lambda's sandboxes.

Each instance is a Python process started on demand (a cold start, with its Init Duration), kept warm
between invocations and killed on timeout, so a timed-out invocation really stops and the next one starts
cold. The function's environment is the worker's real process environment, its code directory leads the
worker's `sys.path`, and its prints and log records come back per invocation. Concurrent invocations get
concurrent instances.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import weakref
from pathlib import Path
from typing import Any

from harness import timeline
from harness.functions.logs import FunctionLogs, InvocationLog
from harness.functions.result import InvocationResult
from harness.functions.spec import FunctionSpec
from harness.observability.telemetry import DISABLED, InvocationRecord, Telemetry

WORKER_SCRIPT = str(Path(__file__).with_name("worker_main.py"))
FORK_SERVER_SCRIPT = str(Path(__file__).with_name("fork_server.py"))
TASK_ROOT = str(Path(__file__).resolve().parents[2])  # this project's root, where declared handlers live
INIT_TIMEOUT = 10.0  # Lambda's limit on the init phase of an on-demand function
# HARNESS_LAMBDA_FORK_SERVER=0 starts every worker as a fresh interpreter (slower cold starts).
USE_FORK_SERVER = os.environ.get("HARNESS_LAMBDA_FORK_SERVER", "1") != "0" and hasattr(socket, "send_fds")


class _ForkServer:
    """The harness process's connection to its fork server, started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._control: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.preloaded: frozenset[str] = frozenset()

    def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-s", FORK_SERVER_SCRIPT, str(theirs.fileno())],
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": os.environ.get("LANG", "C.UTF-8")},
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            theirs.close()
        hello = json.loads(ours.recv(MAX_MESSAGE))
        self.preloaded = frozenset(hello["preloaded"])
        self._control = ours
        return ours

    def spawn(self, task_root: str, handler: str, environment: dict[str, str], fds: tuple[int, int]) -> int | None:
        """Fork a worker; None when this code must not share the preloaded modules, or the server failed."""
        with self._lock:
            try:
                control = self._control or self._start()
            except (OSError, ValueError, KeyError):
                return None
            if _ships_own_copy(task_root, self.preloaded):
                return None
            request = json.dumps({"task_root": task_root, "handler": handler, "env": environment}).encode()
            try:
                socket.send_fds(control, [request], list(fds))
                return int(json.loads(control.recv(MAX_MESSAGE))["pid"])
            except (OSError, ValueError, KeyError):
                self._stop_locked()
                return None

    def _stop_locked(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait(timeout=5)
            self._process = None


MAX_MESSAGE = 1 << 20
_fork_server = _ForkServer()


def _ships_own_copy(task_root: str, preloaded: frozenset[str]) -> bool:
    """True when the code directory holds a module or package by the name of a preloaded one."""
    if task_root == TASK_ROOT:
        return False
    try:
        names = {entry.removesuffix(".py") for entry in os.listdir(task_root)}
    except OSError:
        return False
    return bool(names & preloaded)


class _Worker:
    """One worker process and the thread that reads its messages."""

    def __init__(self, handler: str, task_root: str, environment: dict[str, str]) -> None:
        version = environment.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.log_stream = f"{time.strftime('%Y/%m/%d')}/[{version}]{uuid.uuid4().hex}"
        environment = {**environment, "AWS_LAMBDA_LOG_STREAM_NAME": self.log_stream}
        child_read, parent_write = os.pipe()
        parent_read, child_write = os.pipe()
        self.started = time.perf_counter()
        self.process: subprocess.Popen[bytes] | None = None
        self.exited = False
        try:
            forked = (
                _fork_server.spawn(task_root, handler, environment, (child_read, child_write))
                if USE_FORK_SERVER
                else None
            )
            if forked is None:
                self.process = subprocess.Popen(
                    [sys.executable, "-s", WORKER_SCRIPT, str(child_read), str(child_write), task_root, handler],
                    env=environment,
                    pass_fds=(child_read, child_write),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=task_root,
                )
            self.pid = forked if forked is not None else self.process.pid  # type: ignore[union-attr]
        finally:
            os.close(child_read)
            os.close(child_write)
        self._writer = os.fdopen(parent_write, "w", encoding="utf-8")
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(parent_read,), name="lambda-worker-io", daemon=True)
        self._reader.start()
        self.initialized = False

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, "r", encoding="utf-8") as reader:
            for line in reader:
                self._messages.put(json.loads(line))
        self._messages.put(None)

    def send(self, message: dict[str, Any]) -> bool:
        """Send one message; False if the worker is gone."""
        try:
            self._writer.write(json.dumps(message) + "\n")
            self._writer.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def until(self, kind: str, log: InvocationLog, deadline: float) -> dict[str, Any] | None:
        """Collect log messages into `log` until a message of `kind`; None at the deadline or if the worker died."""
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return None
            try:
                message = self._messages.get(timeout=remaining)
            except queue.Empty:
                return None
            if message is None:
                self.exited = True
                self._messages.put(None)  # keep reporting the end to later readers
                return {"type": "exited"}
            if message["type"] == "log":
                log.write(message["text"])
            elif message["type"] == kind:
                return message

    def exit_status(self) -> str:
        """How the process ended, in the words of Lambda's Runtime.ExitError."""
        if self.process is None:  # a child of the fork server, which reaps it
            return "Runtime exited without providing a reason"
        code = self.process.wait(timeout=5)
        return f"Runtime exited with error: {f'signal: {-code}' if code < 0 else f'exit status {code}'}"

    def kill(self) -> None:
        """Stop the process at once (a no-op if it already ended)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        elif not self.exited:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self.pid, signal.SIGKILL)
            self.exited = True
        with contextlib.suppress(OSError):
            self._writer.close()


class ProcessRuntime:
    """Runs one function in worker processes; the same interface as the in-process FunctionRuntime."""

    mode = "process"

    def __init__(
        self,
        spec: FunctionSpec,
        arn: str,
        environment: dict[str, str],
        role_arn: str = "",
        telemetry: Telemetry = DISABLED,
        *,
        code_path: str | None = None,
    ) -> None:
        self.spec = spec
        self.telemetry = telemetry
        self.arn = arn
        self.role_arn = role_arn
        self.logs = FunctionLogs(spec.name)
        self.invocation_count = 0
        self.cold_starts = 0
        self._configure(spec, environment, code_path)
        self._idle: list[_Worker] = []
        self._running: set[_Worker] = set()
        self._generation = 0
        self._closed = False
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _kill_all, self._idle, self._running)

    def _configure(self, spec: FunctionSpec, environment: dict[str, str], code_path: str | None) -> None:
        self.spec = spec
        self.code_path = code_path or spec.code_path or environment.get("LAMBDA_TASK_ROOT") or os.getcwd()
        self.environment = {**environment, "LAMBDA_TASK_ROOT": self.code_path}
        self.version = self.environment.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")

    @property
    def instances(self) -> int:
        """How many worker processes are alive (warm or busy)."""
        with self._lock:
            return len(self._idle) + len(self._running)

    def reconfigure(self, spec: FunctionSpec, environment: dict[str, str], code_path: str | None = None) -> None:
        """Take new settings or code; running instances finish, later invocations start cold."""
        with self._lock:
            self._configure(spec, environment, code_path)
        self.reset()

    def reset(self) -> None:
        """Stop the warm instances so that the next invocation is a cold start."""
        with self._lock:
            self._generation += 1
            idle, self._idle[:] = list(self._idle), []
        for worker in idle:
            worker.kill()

    def close(self) -> None:
        """Stop every instance, warm or running; later invocations start new ones."""
        with self._lock:
            self._generation += 1
            workers = [*self._idle, *self._running]
            self._idle.clear()
        for worker in workers:
            worker.kill()

    def _acquire(self) -> tuple[_Worker, int]:
        with self._lock:
            generation = self._generation
            if self._idle:
                worker = self._idle.pop()
                self._running.add(worker)
                return worker, generation
            handler, root, environment = self.spec.handler, self.code_path, dict(self.environment)
        worker = _Worker(handler, root, environment)
        with self._lock:
            self._running.add(worker)
            self.cold_starts += 1
        return worker, generation

    def _release(self, worker: _Worker, generation: int, healthy: bool) -> None:
        with self._lock:
            self._running.discard(worker)
            keep = healthy and generation == self._generation
            if keep:
                self._idle.append(worker)
        if not keep:
            worker.kill()

    def invoke(self, event: Any, *, request_id: str | None = None) -> InvocationResult:
        """Run the handler with `event` in a warm instance (or a new one), at most the configured timeout."""
        try:
            event = json.loads(json.dumps(event))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"event for {self.spec.name} is not JSON-serializable: {exc}") from None
        request_id = request_id or str(uuid.uuid4())
        log = InvocationLog(request_id)
        log.memory_size_mb = self.spec.memory_size
        started_at = self.telemetry.time()
        with self._lock:
            self.invocation_count += 1
        happening = timeline.invocation_started(self.arn, self.spec.name, event, request_id)
        worker, generation = self._acquire()
        with self._lock:
            concurrency = len(self._running)
        error: dict[str, Any] | None = None
        payload: Any = None
        healthy = False
        if not worker.initialized:
            init = worker.until("init", log, worker.started + INIT_TIMEOUT)
            log.init_duration_ms = (time.perf_counter() - worker.started) * 1000
            if init is None or init["type"] == "exited" or init.get("error"):
                error = self._init_failure(worker, init, request_id)
            worker.initialized = error is None
        began = time.perf_counter()
        if error is None:
            error, payload, healthy = self._run(worker, event, request_id, log, began)
        log.flush()
        log.duration_ms = (time.perf_counter() - began) * 1000
        self._release(worker, generation, healthy)
        self.logs.add(log)
        timeline.invocation_finished(happening, error, log.lines, log.duration_ms)
        self.telemetry.invocation(
            InvocationRecord(
                function_name=self.spec.name,
                log=log,
                log_stream=worker.log_stream,
                logging=self.spec.logging,
                started_at=started_at,
                ended_at=self.telemetry.time(),
                error=error,
                cold_start=log.init_duration_ms is not None,
                concurrency=concurrency,
                retention_days=self.spec.log_retention_days,
            )
        )
        return InvocationResult(
            function_name=self.spec.name,
            request_id=request_id,
            payload=payload,
            error=error,
            log=log,
            duration_ms=log.duration_ms,
        )

    def _init_failure(self, worker: _Worker, init: dict[str, Any] | None, request_id: str) -> dict[str, Any]:
        if init is None:
            return _timed_out(request_id, INIT_TIMEOUT)
        if init["type"] == "exited":
            status = worker.exit_status()
            return {
                "errorMessage": f"RequestId: {request_id} Error: {status}",
                "errorType": "Runtime.ExitError",
            }
        return init["error"]

    def _run(
        self, worker: _Worker, event: Any, request_id: str, log: InvocationLog, began: float
    ) -> tuple[dict[str, Any] | None, Any, bool]:
        timeout = float(self.spec.timeout)
        context = {
            "function_name": self.spec.name,
            "function_version": self.version,
            "invoked_function_arn": self.arn,
            "memory_limit_in_mb": self.spec.memory_size,
            "aws_request_id": request_id,
            "log_group_name": f"/aws/lambda/{self.spec.name}",
            "log_stream_name": worker.log_stream,
            "remaining_ms": timeout * 1000,
            "trace_id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0",
        }
        if not worker.send({"type": "invoke", "event": event, "context": context}):
            return self._exited(worker, request_id), None, False
        answer = worker.until("result", log, began + timeout)
        if answer is None:
            message = f"Task timed out after {timeout:.2f} seconds"
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {request_id} {message}\n")
            worker.kill()
            return _timed_out(request_id, timeout), None, False
        if answer["type"] == "exited":
            return self._exited(worker, request_id), None, False
        log.max_memory_used_mb = math.ceil(answer.get("max_rss_kb", 0) / 1024)
        if "exit" in answer:
            return answer["error"], None, False
        return answer.get("error"), answer.get("payload"), True

    def _exited(self, worker: _Worker, request_id: str) -> dict[str, Any]:
        return {
            "errorMessage": f"RequestId: {request_id} Error: {worker.exit_status()}",
            "errorType": "Runtime.ExitError",
        }


def _timed_out(request_id: str, seconds: float) -> dict[str, Any]:
    message = f"Task timed out after {seconds:.2f} seconds"
    return {"errorMessage": f"RequestId: {request_id} Error: {message}", "errorType": "Sandbox.Timedout"}


def _kill_all(idle: list[_Worker], running: set[_Worker]) -> None:
    for worker in [*idle, *running]:
        worker.kill()
