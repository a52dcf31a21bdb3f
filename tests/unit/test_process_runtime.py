"""ProcessRuntime without a backend: warm workers, cold starts, real timeouts, memory, logs and errors.

Lambda's execution environment lifecycle: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
Python handler errors: https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.functions.process_runtime import ProcessRuntime
from harness.functions.registry import TASK_ROOT
from harness.functions.spec import FunctionSpec

ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"

CODE = """
import logging
import os
import sys
import time

import helper

logger = logging.getLogger()
logger.setLevel(logging.INFO)
print("init ran")
STARTED = time.time()


def handler(event, context):
    print("printed", event.get("n"))
    print("to stderr", file=sys.stderr)
    logger.info("logged %s", event.get("n"))
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise KeyError("missing")
    if event.get("exit"):
        sys.exit(3)
    if event.get("unmarshallable"):
        return {1, 2}
    if event.get("grow"):
        global BLOCK
        BLOCK = b"x" * (event["grow"] * 1024 * 1024)
    return {
        "helper": helper.NAME,
        "pid": os.getpid(),
        "started": STARTED,
        "env": os.environ.get("GREETING"),
        "task_root": os.environ["LAMBDA_TASK_ROOT"],
        "cwd": os.getcwd(),
        "version": context.function_version,
        "arn": context.invoked_function_arn,
        "remaining": context.get_remaining_time_in_millis(),
    }
"""


@pytest.fixture
def code(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(CODE)
    (tmp_path / "helper.py").write_text("NAME = 'mine'\n")
    return tmp_path


@pytest.fixture
def make(code: Path) -> Iterator:
    made: list[ProcessRuntime] = []

    def factory(handler: str = "app.handler", *, timeout: float = 3, path: Path | None = None) -> ProcessRuntime:
        spec = FunctionSpec(
            "Worker", handler, timeout=timeout, memory_size=256, runtime_mode="process", code_path=str(path or code)
        )
        runtime = ProcessRuntime(spec, ARN.format("Worker"), {"GREETING": "hello", "PATH": "/usr/bin:/bin"})
        made.append(runtime)
        return runtime

    yield factory
    for runtime in made:
        runtime.close()


def test_the_first_call_is_cold_and_the_next_ones_reuse_the_warm_worker(make, code: Path) -> None:
    fn = make()
    first = fn.invoke({"n": 1})
    second = fn.invoke({"n": 2})
    assert first.ok and second.ok
    assert first.payload["pid"] == second.payload["pid"]
    assert first.payload["started"] == second.payload["started"]  # init ran once
    assert first.log.init_duration_ms is not None and first.log.init_duration_ms > 0
    assert second.log.init_duration_ms is None
    assert fn.cold_starts == 1 and fn.instances == 1
    assert first.payload["helper"] == "mine" and first.payload["env"] == "hello"
    assert first.payload["task_root"] == str(code) == first.payload["cwd"]
    assert first.payload["version"] == "$LATEST" and first.payload["arn"] == ARN.format("Worker")
    assert 0 < first.payload["remaining"] <= 3000


def test_prints_stderr_and_log_records_are_captured_per_invocation(make) -> None:
    fn = make()
    first = fn.invoke({"n": 1})
    second = fn.invoke({"n": 2})
    assert first.log.lines[:3] == ["init ran", "printed 1", "to stderr"]
    assert first.log.lines[3].startswith("[INFO]\t") and first.log.lines[3].endswith(f"\t{first.request_id}\tlogged 1")
    assert "init ran" not in second.log.lines and "printed 2" in second.log.lines
    assert fn.logs.invocations == [first.log, second.log]
    report = first.log.framed().splitlines()[-1]
    assert "Memory Size: 256 MB" in report and "Max Memory Used: " in report and "Init Duration: " in report


def test_handler_exception_gets_lambdas_error_document_and_the_worker_stays_warm(make) -> None:
    fn = make()
    result = fn.invoke({"fail": True})
    assert result.function_error == "Unhandled"
    assert result.error["errorType"] == "KeyError" and result.error["errorMessage"] == "'missing'"
    assert result.error["requestId"] == result.request_id
    assert any("app.py" in frame for frame in result.error["stackTrace"])
    assert "[ERROR] KeyError: 'missing'" in result.log.lines
    assert fn.invoke({}).ok and fn.cold_starts == 1


def test_timeout_kills_the_worker_and_the_next_call_starts_cold(make) -> None:
    fn = make(timeout=1)
    pid = fn.invoke({}).payload["pid"]
    result = fn.invoke({"sleep": 20})
    assert result.error["errorType"] == "Sandbox.Timedout"
    assert result.error["errorMessage"] == f"RequestId: {result.request_id} Error: Task timed out after 1.00 seconds"
    assert fn.instances == 0
    after = fn.invoke({})
    assert after.ok and after.payload["pid"] != pid and fn.cold_starts == 2


def test_exit_and_unmarshallable_results(make) -> None:
    fn = make()
    exited = fn.invoke({"exit": True})
    assert exited.error["errorType"] == "Runtime.ExitError" and "exit status 3" in exited.error["errorMessage"]
    assert fn.instances == 0
    bad = fn.invoke({"unmarshallable": True})
    assert bad.error["errorType"] == "Runtime.MarshalError"


def test_max_memory_used_is_the_workers_peak(make) -> None:
    fn = make()
    small = fn.invoke({}).log.max_memory_used_mb
    big = fn.invoke({"grow": 64}).log.max_memory_used_mb
    assert small is not None and big is not None
    assert small < 64 <= big


@pytest.mark.parametrize(
    ("handler", "error_type", "message"),
    [
        (
            "nomodule.handler",
            "Runtime.ImportModuleError",
            "Unable to import module 'nomodule': No module named 'nomodule'",
        ),
        ("app.nothing", "Runtime.HandlerNotFound", "Handler 'nothing' missing on module 'app'"),
        (
            "nodot",
            "Runtime.MalformedHandlerName",
            "Bad handler 'nodot': not enough values to unpack (expected 2, got 1)",
        ),
    ],
)
def test_handler_that_cannot_be_loaded_fails_each_invocation(make, handler: str, error_type: str, message: str) -> None:
    fn = make(handler)
    for _ in range(2):
        result = fn.invoke({})
        assert result.error["errorType"] == error_type and result.error["errorMessage"] == message
    assert fn.instances == 0


def test_import_error_inside_the_module_is_an_import_module_error(make, code: Path) -> None:
    (code / "broken.py").write_text("import not_installed_anywhere\n")
    result = make("broken.handler").invoke({})
    assert result.error["errorType"] == "Runtime.ImportModuleError"
    assert "No module named 'not_installed_anywhere'" in result.error["errorMessage"]


def test_concurrent_invocations_get_their_own_instances(make) -> None:
    fn = make()
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: fn.invoke({"sleep": 0.5}), range(3)))
    assert len({r.payload["pid"] for r in results}) == 3
    assert fn.instances == 3


def test_reconfigure_and_reset_start_cold(make, code: Path, tmp_path_factory) -> None:
    fn = make()
    fn.invoke({})
    other = tmp_path_factory.mktemp("other")
    (other / "app.py").write_text(CODE)
    (other / "helper.py").write_text("NAME = 'theirs'\n")
    fn.reconfigure(fn.spec, {"GREETING": "changed"}, str(other))
    result = fn.invoke({})
    assert result.payload["helper"] == "theirs" and result.payload["env"] == "changed" and fn.cold_starts == 2
    fn.reset()
    assert fn.instances == 0
    fn.invoke({})
    assert fn.cold_starts == 3


def test_a_declared_handler_runs_in_a_worker_from_the_project_root() -> None:
    spec = FunctionSpec("Declared", "tests.handlers.probes.env_probe", runtime_mode="process")
    fn = ProcessRuntime(spec, ARN.format("Declared"), {"GREETING": "hi", "LAMBDA_TASK_ROOT": TASK_ROOT})
    try:
        assert fn.invoke({"keys": ["GREETING"]}).value() == {"GREETING": "hi"}
    finally:
        fn.close()


def test_close_stops_every_worker(make) -> None:
    fn = make()
    fn.invoke({})
    fn.close()
    assert fn.instances == 0


def test_code_shipping_its_own_copy_of_a_preloaded_module_imports_its_own(make, code: Path) -> None:
    (code / "urllib3").mkdir()
    (code / "urllib3" / "__init__.py").write_text("SHIPPED = True\n")
    (code / "uses_own.py").write_text(
        "import urllib3\n\ndef handler(event, context):\n    return getattr(urllib3, 'SHIPPED', False)\n"
    )
    assert make("uses_own.handler").invoke({}).value() is True


def test_without_the_fork_server_each_instance_is_a_fresh_interpreter(make, monkeypatch) -> None:
    from harness.functions import process_runtime

    monkeypatch.setattr(process_runtime, "USE_FORK_SERVER", False)
    fn = make()
    assert fn.invoke({}).payload["helper"] == "mine"
    exited = fn.invoke({"exit": True})
    assert exited.error["errorType"] == "Runtime.ExitError" and "exit status 3" in exited.error["errorMessage"]
    timed_out = make(timeout=1).invoke({"sleep": 10})
    assert timed_out.error["errorType"] == "Sandbox.Timedout"
