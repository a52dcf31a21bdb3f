"""The in-process Lambda plane: environments, cold starts, context, errors, timeouts, the Lambda API."""

from __future__ import annotations

import base64
import json

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec

PROBES = "tests.handlers.probes"


def register(harness, name: str, handler: str, **kwargs) -> None:
    harness.register(FunctionSpec(name, f"{PROBES}.{handler}", **kwargs))


def test_functions_see_only_their_own_environment(harness, monkeypatch):
    monkeypatch.setenv("TEST_PROCESS_ONLY", "leak")
    register(harness, "Alpha", "env_probe", environment={"GREETING": "alpha", "ONLY_ALPHA": "1"})
    register(harness, "Beta", "env_probe", environment={"GREETING": "beta"})
    keys = ["GREETING", "ONLY_ALPHA", "TEST_PROCESS_ONLY", "AWS_LAMBDA_FUNCTION_NAME"]

    alpha = harness.invoke("Alpha", {"keys": keys}).value()
    beta = harness.invoke("Beta", {"keys": keys}).value()

    assert alpha == {
        "GREETING": "alpha",
        "ONLY_ALPHA": "1",
        "TEST_PROCESS_ONLY": None,
        "AWS_LAMBDA_FUNCTION_NAME": "Alpha",
    }
    assert beta == {
        "GREETING": "beta",
        "ONLY_ALPHA": None,
        "TEST_PROCESS_ONLY": None,
        "AWS_LAMBDA_FUNCTION_NAME": "Beta",
    }


def test_functions_get_endpoints_and_the_harness_credentials(harness):
    register(harness, "Alpha", "env_probe")
    keys = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_CONFIG_FILE"]

    seen = harness.invoke("Alpha", {"keys": keys}).value()

    assert seen["AWS_ENDPOINT_URL"] == harness.endpoint_url
    assert seen["AWS_ACCESS_KEY_ID"] == harness.account.credentials.access_key_id
    assert seen["AWS_REGION"] == "us-east-1"
    assert seen["AWS_CONFIG_FILE"] in {"/dev/null", "nul"}


def test_reserved_variables_cannot_be_set(harness):
    with pytest.raises(ValueError, match=r"reserved Lambda variables \['AWS_REGION'\]"):
        register(harness, "Alpha", "env_probe", environment={"AWS_REGION": "eu-west-1"})


def test_module_code_runs_once_per_function_like_a_cold_start(harness):
    register(harness, "First", "init_probe", environment={"GREETING": "first"})
    register(harness, "Second", "init_probe", environment={"GREETING": "second"})

    results = [harness.invoke(name).value() for name in ["First", "First", "Second", "First"]]

    assert [r["init_count"] for r in results] == [1, 1, 1, 1]
    assert [r["greeting_at_init"] for r in results] == ["first", "first", "second", "first"]


def test_context_is_shaped_like_lambdas(harness):
    register(harness, "Ctx", "context_probe", timeout=30, memory_size=256)

    result = harness.invoke("Ctx")
    context = result.value()

    assert context["function_name"] == "Ctx"
    assert context["invoked_function_arn"] == f"arn:aws:lambda:us-east-1:{harness.account.account_id}:function:Ctx"
    assert context["aws_request_id"] == result.request_id
    assert context["memory_limit_in_mb"] == 256
    assert context["log_group_name"] == "/aws/lambda/Ctx"
    assert 25_000 < context["remaining"] <= 30_000


def test_an_exception_is_reported_with_its_class_name_and_logged(harness):
    register(harness, "Fails", "fail")

    result = harness.invoke("Fails", {"item": "widget"})

    assert result.error["errorType"] == "InventoryError"
    assert result.error["errorMessage"] == "out of stock: widget"
    assert any("probes.py" in frame for frame in result.error["stackTrace"])
    assert result.function_error == "Unhandled"
    lines = harness.logs("Fails").lines
    assert [lines[0], lines[1].split("\n")[0]] == ["about to fail", "[ERROR] InventoryError: out of stock: widget"]


def test_a_run_past_the_timeout_is_a_timeout_and_the_next_call_starts_cold(harness):
    register(harness, "Slow", "wait", timeout=1)

    result = harness.invoke("Slow", {"seconds": 3})

    assert result.error["errorType"] == "Sandbox.Timedout"
    assert result.error["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert harness.logs("Slow").contains("Task timed out after 1.00 seconds")
    assert harness.invoke("Slow", {"seconds": 0}).value() == {"waited": 0}


def test_an_unserializable_response_is_a_marshal_error(harness):
    register(harness, "Odd", "unserializable")

    result = harness.invoke("Odd")

    assert result.error["errorType"] == "Runtime.MarshalError"


def test_an_unserializable_event_is_refused_before_the_call(harness):
    register(harness, "Alpha", "env_probe")

    with pytest.raises(ValueError, match="event for Alpha is not JSON-serializable"):
        harness.invoke("Alpha", {"keys": {1, 2}})


def test_prints_and_logging_are_captured_per_invocation(harness):
    register(harness, "Logs", "log_probe")

    first = harness.invoke("Logs")
    harness.invoke("Logs")

    assert first.log.lines[0].startswith("[INFO]\t")
    assert first.log.lines[0].endswith(f"\t{first.request_id}\tinfo through logging")
    assert first.log.lines[1] == "through print"
    assert len(harness.logs("Logs").invocations) == 2
    assert harness.logs("Logs").framed_text().startswith(f"START RequestId: {first.request_id}")


def test_a_handler_that_invokes_another_function_through_boto3_does_not_deadlock(harness):
    register(harness, "Caller", "call_other")
    register(harness, "Callee", "env_probe", environment={"GREETING": "from callee"})

    result = harness.invoke("Caller", {"target": "Callee", "payload": {"keys": ["GREETING"]}})

    assert result.value() == {"status": 200, "payload": {"GREETING": "from callee"}}


def test_a_function_can_invoke_itself_recursively_through_the_api(harness):
    register(harness, "Caller", "call_other")
    register(harness, "Inner", "call_other")
    register(harness, "Leaf", "context_probe")

    result = harness.invoke("Caller", {"target": "Inner", "payload": {"target": "Leaf", "payload": {}}})

    assert result.value()["payload"]["payload"]["function_name"] == "Leaf"


def test_lambda_api_lists_and_describes_functions(harness):
    register(harness, "Alpha", "env_probe", environment={"GREETING": "hi"}, timeout=12)
    register(harness, "Beta", "fail")
    client = harness.client("lambda")

    names = [f["FunctionName"] for f in client.list_functions()["Functions"]]
    described = client.get_function(FunctionName="Alpha")["Configuration"]

    assert names == ["Alpha", "Beta"]
    assert described["Timeout"] == 12
    assert described["Handler"] == f"{PROBES}.env_probe"
    assert described["Environment"] == {"Variables": {"GREETING": "hi"}}
    assert described["Role"] == f"arn:aws:iam::{harness.account.account_id}:role/LambdaLabRole"


def test_lambda_api_invoke_returns_payload_errors_and_log_tail(harness):
    register(harness, "Alpha", "env_probe", environment={"GREETING": "hi"})
    register(harness, "Beta", "fail")
    client = harness.client("lambda")

    ok = client.invoke(FunctionName="Alpha", Payload=json.dumps({"keys": ["GREETING"]}), LogType="Tail")
    failed = client.invoke(
        FunctionName=f"arn:aws:lambda:us-east-1:{harness.account.account_id}:function:Beta", Payload=b"{}"
    )

    assert ok["StatusCode"] == 200
    assert json.loads(ok["Payload"].read()) == {"GREETING": "hi"}
    assert base64.b64decode(ok["LogResult"]).decode().startswith("START RequestId:")
    assert failed["FunctionError"] == "Unhandled"
    assert json.loads(failed["Payload"].read())["errorType"] == "InventoryError"


def test_lambda_api_event_and_dry_run_invocations(harness):
    register(harness, "Logs", "log_probe")
    client = harness.client("lambda")

    dry = client.invoke(FunctionName="Logs", InvocationType="DryRun")
    queued = client.invoke(FunctionName="Logs", InvocationType="Event", Payload=b"{}")
    harness.drain()

    assert dry["StatusCode"] == 204
    assert queued["StatusCode"] == 202
    assert len(harness.logs("Logs").invocations) == 1


def test_lambda_api_errors_name_what_is_wrong(harness):
    register(harness, "Alpha", "env_probe")
    client = harness.client("lambda")

    with pytest.raises(ClientError) as missing:
        client.invoke(FunctionName="Nope", Payload=b"{}")
    with pytest.raises(ClientError) as bad_json:
        client.invoke(FunctionName="Alpha", Payload=b"{not json")

    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert "function:Nope" in missing.value.response["Error"]["Message"]
    assert bad_json.value.response["Error"]["Code"] == "InvalidRequestContentException"


def test_failed_async_invocations_are_retried_twice_on_the_clock(harness):
    register(harness, "Fails", "fail")

    harness.invoke_async("Fails", {"item": "x"})
    harness.drain()
    assert len(harness.logs("Fails").invocations) == 1

    harness.advance(minutes=1)
    assert len(harness.logs("Fails").invocations) == 2
    harness.advance(minutes=2)
    assert len(harness.logs("Fails").invocations) == 3
    harness.advance(minutes=10)
    assert len(harness.logs("Fails").invocations) == 3
    assert len(harness.async_invocations.failures) == 1


def test_registering_a_function_twice_is_refused(harness):
    register(harness, "Alpha", "env_probe")

    with pytest.raises(ValueError, match="function Alpha already exists"):
        register(harness, "Alpha", "fail")


def test_a_missing_handler_module_is_reported_as_an_import_error(harness):
    harness.register(FunctionSpec("Ghost", "tests.handlers.no_such_module.handler"))

    result = harness.invoke("Ghost")

    assert result.error["errorType"] == "ModuleNotFoundError"
    assert "tests.handlers.no_such_module" in result.error["errorMessage"]


def test_an_event_too_deep_or_not_json_is_refused_at_once_sync_and_async(harness):
    register(harness, "Alpha", "env_probe")
    deep: list = []
    for _ in range(5000):
        deep = [deep]

    for call in (harness.invoke, harness.invoke_async):
        with pytest.raises(ValueError, match="nested too deeply"):
            call("Alpha", {"deep": deep})
        with pytest.raises(ValueError, match="not JSON-serializable"):
            call("Alpha", {"x": float("nan")})
    assert harness.drain() == 0
