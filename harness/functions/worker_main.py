"""The worker process of the process runtime: one function instance, warm between invocations.

Started as `python -s worker_main.py READ_FD WRITE_FD TASK_ROOT HANDLER` with the function's environment as
its real process environment. It imports only the standard library itself, so the function's own modules
(its zip's `utils.py`, `lambda_function.py`, ...) are the only ones its `import` statements find first.

Protocol: one JSON object per line. The worker first answers {"type": "init", "duration_ms", "error"}
after importing the handler (Lambda's init phase), then for each {"type": "invoke", "event", "context"}
it streams {"type": "log", "text"} messages while the handler prints or logs and ends with
{"type": "result", "payload" | "error", "max_rss_kb"}. EOF on its input ends the process.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import os
import resource
import sys
import threading
import time
import traceback
from typing import Any


class Channel:
    """The worker's end of the pipe pair: JSON lines in, JSON lines out (thread safe)."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self.reader = os.fdopen(read_fd, "r", encoding="utf-8")
        self.writer = os.fdopen(write_fd, "w", encoding="utf-8")
        self.lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        """Write one message and flush it."""
        line = json.dumps(message)
        with self.lock:
            self.writer.write(line + "\n")
            self.writer.flush()

    def receive(self) -> dict[str, Any] | None:
        """The next message, or None at EOF."""
        line = self.reader.readline()
        return json.loads(line) if line else None


class LogStream(io.TextIOBase):
    """sys.stdout / sys.stderr of the worker: every write goes to the parent as a log message."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    def write(self, text: str) -> int:
        if text:
            self.channel.send({"type": "log", "text": text})
        return len(text)

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on each record, as Lambda's log format shows it."""

    request_id = ""

    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = self.request_id
        return True


class Context:
    """The context object of the Python runtime."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.function_name = fields["function_name"]
        self.function_version = fields["function_version"]
        self.invoked_function_arn = fields["invoked_function_arn"]
        self.memory_limit_in_mb = fields["memory_limit_in_mb"]
        self.aws_request_id = fields["aws_request_id"]
        self.log_group_name = fields["log_group_name"]
        self.log_stream_name = fields["log_stream_name"]
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + fields["remaining_ms"] / 1000

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's timeout."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class Fault(Exception):
    """A failure of the runtime itself (bad handler, import error), with Lambda's error type."""

    def __init__(self, error_type: str, message: str, trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


def load_handler(handler: str) -> Any:
    """Import the handler's module as Lambda's Python runtime does; Fault with Lambda's error types."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as exc:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {exc}") from None
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise Fault("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise Fault("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from None
    except SyntaxError as exc:
        trace = [f'  File "{exc.filename}" Line {exc.lineno}\n    {exc.text}']
        raise Fault("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}", trace) from None
    function = getattr(module, function_name, None)
    if function is None:
        raise Fault("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function


def error_document(exc: BaseException, request_id: str = "") -> dict[str, Any]:
    """Lambda's error JSON for an exception raised by the handler."""
    frames = traceback.extract_tb(exc.__traceback__)[1:]  # drop this runtime's own frame
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": [f'  File "{f.filename}", line {f.lineno}, in {f.name}\n    {f.line}\n' for f in frames],
    }


def max_rss_kb() -> int:
    """The largest resident set this process has had, in KiB."""
    # VmHWM belongs to this program's address space; ru_maxrss also counts the parent's size before exec.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def invoke(channel: Channel, handler: Any, message: dict[str, Any], request_filter: RequestIdFilter) -> bool:
    """Run one invocation and send its result; False when the handler asked the process to exit."""
    fields = message["context"]
    request_id = fields["aws_request_id"]
    request_filter.request_id = request_id
    os.environ["_X_AMZN_TRACE_ID"] = fields.get("trace_id", "")
    answer: dict[str, Any] = {"type": "result"}
    try:
        value = handler(message["event"], Context(fields))
        try:
            answer["payload"] = json.loads(json.dumps(value))
        except (TypeError, ValueError) as exc:
            answer["error"] = {
                "errorMessage": f"Unable to marshal response: {exc}",
                "errorType": "Runtime.MarshalError",
            }
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
        answer["error"] = {
            "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status {status}",
            "errorType": "Runtime.ExitError",
        }
        answer["exit"] = True
        print(f"RequestId: {request_id} Error: Runtime exited with error: exit status {status}")
    except Exception as exc:
        answer["error"] = error_document(exc, request_id)
        print(f"[ERROR] {type(exc).__name__}: {exc}")
    sys.stdout.flush()
    answer["max_rss_kb"] = max_rss_kb()
    channel.send(answer)
    return "exit" not in answer


def main(argv: list[str]) -> int:
    """Run the worker until its input closes."""
    return serve(int(argv[1]), int(argv[2]), argv[3], argv[4])


def serve(read_fd: int, write_fd: int, task_root: str, handler_name: str) -> int:
    """Initialize the function, then answer invocations until the input closes; the exit status."""
    channel = Channel(read_fd, write_fd)
    sys.path[0] = task_root  # in place of this script's directory, as LAMBDA_TASK_ROOT leads Lambda's path
    os.chdir(task_root)
    sys.stdout = sys.stderr = LogStream(channel)
    request_filter = RequestIdFilter()
    lambda_handler = logging.StreamHandler(sys.stdout)
    lambda_handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
        )
    )
    lambda_handler.formatter.converter = time.gmtime  # type: ignore[union-attr]
    lambda_handler.terminator = ""
    lambda_handler.addFilter(request_filter)
    logging.getLogger().addHandler(lambda_handler)

    began = time.perf_counter()
    try:
        handler = load_handler(handler_name)
        error = None
    except Fault as fault:
        handler, error = (
            None,
            {"errorMessage": fault.message, "errorType": fault.error_type, "requestId": "", "stackTrace": fault.trace},
        )
    except Exception as exc:  # the module's top-level code raised
        handler, error = None, error_document(exc)
    if error is not None:
        print(f"[ERROR] {error['errorType']}: {error['errorMessage']}")
    channel.send({"type": "init", "duration_ms": (time.perf_counter() - began) * 1000, "error": error})
    if handler is None:
        return 1
    while True:
        message = channel.receive()
        if message is None:
            return 0
        if not invoke(channel, handler, message, request_filter):
            return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
