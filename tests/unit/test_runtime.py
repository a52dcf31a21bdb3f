"""FunctionRuntime without a backend: payloads, Lambda's error shape, timeouts and cold starts."""

from __future__ import annotations

import os

import pytest

from harness.functions.result import FunctionError
from harness.functions.runtime import FunctionRuntime, error_document
from harness.functions.spec import FunctionSpec

ARN = "arn:aws:lambda:us-east-1:123456789012:function:{}"


def runtime(handler: str, *, name: str = "Probe", timeout: float = 3, environment: dict | None = None):
    spec = FunctionSpec(name, handler, timeout=timeout, memory_size=256)
    return FunctionRuntime(spec, ARN.format(name), environment or {"GREETING": "hello"})


def test_handler_return_value_is_the_payload() -> None:
    fn = runtime("tests.handlers.probes.env_probe")

    result = fn.invoke({"keys": ["GREETING", "PATH"]})

    assert result.ok
    assert result.error is None
    assert result.function_error is None
    assert result.value() == {"GREETING": "hello", "PATH": None}
    assert result.function_name == "Probe"


def test_context_carries_the_functions_settings() -> None:
    fn = runtime("tests.handlers.probes.context_probe", timeout=5)

    result = fn.invoke({}, request_id="req-1")
    payload = result.value()

    assert payload["function_name"] == "Probe"
    assert payload["invoked_function_arn"] == ARN.format("Probe")
    assert payload["aws_request_id"] == "req-1" == result.request_id
    assert payload["memory_limit_in_mb"] == 256
    assert payload["log_group_name"] == "/aws/lambda/Probe"
    assert 0 < payload["remaining"] <= 5000


def test_the_handler_gets_a_copy_of_the_event() -> None:
    fn = runtime("tests.unit.runtime_handlers.echo")
    event = {"items": (1, 2)}

    result = fn.invoke(event)

    assert result.value() == {"items": [1, 2], "touched": True}
    assert event == {"items": (1, 2)}


def test_an_exception_becomes_lambdas_error_document() -> None:
    fn = runtime("tests.handlers.probes.fail")

    result = fn.invoke({"item": "bolts"})

    assert not result.ok
    assert result.function_error == "Unhandled"
    assert set(result.error) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert result.error["errorType"] == "InventoryError"
    assert result.error["errorMessage"] == "out of stock: bolts"
    assert result.error["requestId"] == result.request_id
    assert all(isinstance(frame, str) for frame in result.error["stackTrace"])
    assert any("probes.py" in frame and "in fail" in frame for frame in result.error["stackTrace"])


def test_a_failed_invocation_logs_the_handlers_output_and_the_error() -> None:
    fn = runtime("tests.handlers.probes.fail")

    result = fn.invoke({"item": "bolts"})

    assert result.log.lines[0] == "about to fail"
    # One log event, as the Python runtime writes an uncaught exception: the error, then its traceback.
    error, traceback_header, *frames = result.log.lines[1].split("\n")
    assert (error, traceback_header) == (
        "[ERROR] InventoryError: out of stock: bolts",
        "Traceback (most recent call last):",
    )
    assert frames[0].startswith('  File "') and frames[0].endswith(", in fail")
    assert fn.logs.contains("about to fail")


def test_value_of_a_failed_invocation_raises_function_error() -> None:
    result = runtime("tests.handlers.probes.fail").invoke({"item": "nuts"})

    with pytest.raises(FunctionError, match="Probe failed with InventoryError: out of stock: nuts") as info:
        result.value()

    assert info.value.error_type == "InventoryError"


def test_body_of_a_failed_invocation_is_the_error_document() -> None:
    result = runtime("tests.handlers.probes.fail").invoke({})

    assert b'"errorType": "InventoryError"' in result.body()


def test_error_document_of_a_raised_exception() -> None:
    try:
        raise KeyError("sku")
    except KeyError as exc:
        document = error_document(exc)

    assert document["errorType"] == "KeyError"
    assert document["errorMessage"] == "'sku'"
    assert document["requestId"] == ""
    assert len(document["stackTrace"]) == 1
    assert document["stackTrace"][0].startswith('  File "')
    assert "test_error_document_of_a_raised_exception" in document["stackTrace"][0]


def test_error_document_of_an_exception_never_raised_has_no_frames() -> None:
    assert error_document(ValueError("bad"))["stackTrace"] == []


def test_a_handler_running_past_its_timeout_is_reported_as_timed_out() -> None:
    fn = runtime("tests.handlers.probes.wait", timeout=1)

    result = fn.invoke({"seconds": 2}, request_id="slow-1")

    assert not result.ok
    assert result.error == {
        "errorMessage": "RequestId: slow-1 Error: Task timed out after 1.00 seconds",
        "errorType": "Sandbox.Timedout",
    }
    assert result.log.lines[-1].endswith("slow-1 Task timed out after 1.00 seconds")
    assert 1000 <= result.duration_ms < 2000


def test_cold_start_runs_module_code_once() -> None:
    fn = runtime("tests.unit.runtime_handlers.loads")

    counts = [fn.invoke({}).value()["loads"] for _ in range(3)]

    assert counts == [1, 1, 1]
    assert fn.invocation_count == 3


def test_reset_makes_the_next_invocation_a_cold_start() -> None:
    fn = runtime("tests.unit.runtime_handlers.loads")
    fn.invoke({})

    fn.reset()

    assert fn.invoke({}).value() == {"loads": 2}


def test_each_runtime_loads_its_own_copy_of_the_module() -> None:
    first = runtime("tests.unit.runtime_handlers.loads", name="First")
    second = runtime("tests.unit.runtime_handlers.loads", name="Second")

    assert first.invoke({}).value() == {"loads": 1}
    assert second.invoke({}).value() == {"loads": 1}


def test_module_code_sees_the_functions_environment_not_the_process() -> None:
    fn = runtime("tests.unit.runtime_handlers.loads")
    fn.invoke({})

    assert fn.environment.get("LOADS") is None  # the scope copied it
    assert "LOADS" not in os.environ


def test_event_that_is_not_json_serializable_is_refused() -> None:
    fn = runtime("tests.handlers.probes.env_probe")

    with pytest.raises(ValueError, match="event for Probe is not JSON-serializable"):
        fn.invoke({"keys": {1, 2}})

    assert fn.invocation_count == 0
    assert fn.logs.invocations == []


def test_response_that_is_not_json_serializable_is_a_marshal_error() -> None:
    result = runtime("tests.handlers.probes.unserializable").invoke({})

    assert result.error is not None
    assert result.error["errorType"] == "Runtime.MarshalError"
    assert "Unable to marshal response" in result.error["errorMessage"]


def test_missing_handler_module_is_an_error_naming_the_module() -> None:
    result = runtime("tests.unit.no_such_module.handler").invoke({})

    assert not result.ok
    assert "tests.unit.no_such_module" in result.error["errorMessage"]


def test_handler_attribute_that_is_not_callable_is_an_error_naming_it() -> None:
    result = runtime("tests.unit.runtime_handlers.NOT_CALLABLE").invoke({})

    assert result.error["errorType"] == "AttributeError"
    assert "'NOT_CALLABLE'" in result.error["errorMessage"]


def test_every_invocation_is_added_to_the_functions_logs() -> None:
    fn = runtime("tests.handlers.probes.log_probe")

    first = fn.invoke({}, request_id="r-1")
    fn.invoke({}, request_id="r-2")

    assert [log.request_id for log in fn.logs.invocations] == ["r-1", "r-2"]
    assert "through print" in first.log.lines
    assert fn.logs.matching("info through logging")[0].startswith("[INFO]\t")
