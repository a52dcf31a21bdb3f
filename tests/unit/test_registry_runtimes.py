"""FunctionRegistry: the runtime a spec asks for, qualified lookups, closing worker processes."""

from __future__ import annotations

import pytest

from harness.backends.base import Account, Credentials
from harness.functions.process_runtime import ProcessRuntime
from harness.functions.registry import FunctionNotFound, FunctionRegistry
from harness.functions.runtime import FunctionRuntime
from harness.functions.spec import FunctionSpec


@pytest.fixture
def registry() -> FunctionRegistry:
    account = Account("123456789012", "us-east-1", "http://127.0.0.1:1", Credentials("a", "b"))
    return FunctionRegistry(account)


def test_the_spec_chooses_the_runtime(registry: FunctionRegistry) -> None:
    declared = registry.register(FunctionSpec("InProcess", "tests.handlers.probes.env_probe"))
    worker = registry.register(FunctionSpec("Worker", "tests.handlers.probes.env_probe", runtime_mode="process"))
    assert isinstance(declared, FunctionRuntime) and declared.mode == "in_process"
    assert isinstance(worker, ProcessRuntime) and worker.mode == "process"
    try:
        assert worker.invoke({"keys": ["AWS_LAMBDA_FUNCTION_NAME"]}).value() == {"AWS_LAMBDA_FUNCTION_NAME": "Worker"}
        assert worker.instances == 1
        registry.close()
        assert worker.instances == 0
    finally:
        registry.close()


def test_removing_a_function_stops_its_workers(registry: FunctionRegistry) -> None:
    worker = registry.register(FunctionSpec("Worker", "tests.handlers.probes.env_probe", runtime_mode="process"))
    worker.invoke({"keys": []})
    registry.remove("Worker")
    assert worker.instances == 0


def test_qualifiers_are_resolved_by_whoever_keeps_versions(registry: FunctionRegistry) -> None:
    latest = registry.register(FunctionSpec("Fn", "tests.handlers.probes.env_probe"))
    with pytest.raises(FunctionNotFound, match=r"function:Fn:live"):
        registry.get("Fn:live")
    registry.qualifiers = lambda name, qualifier: latest if qualifier == "live" else None
    assert registry.get("Fn:live") is latest
    assert registry.get("arn:aws:lambda:us-east-1:123456789012:function:Fn:live") is latest
    with pytest.raises(FunctionNotFound, match=r"function:Fn:7"):
        registry.get("Fn:7")


def test_spec_modes_and_own_code_are_checked() -> None:
    with pytest.raises(ValueError, match="runtime_mode"):
        FunctionSpec("Fn", "a.b", runtime_mode="thread")
    with pytest.raises(ValueError, match="runs with runtime_mode 'process'"):
        FunctionSpec("Fn", "lambda_function.handler", code_path="/tmp/x")
    spec = FunctionSpec("Fn", "src/app.handler", runtime_mode="process", code_path="/tmp/x")
    assert spec.handler == "src/app.handler"
    with pytest.raises(ValueError, match="without spaces"):
        FunctionSpec("Fn", "bad handler", runtime_mode="process", code_path="/tmp/x")
