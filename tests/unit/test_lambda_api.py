"""The Lambda REST API over in-process functions, driven through the gateway's WSGI app without a server or backend."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from werkzeug.test import Client, TestResponse

from harness.backends.base import Account, Credentials
from harness.clock import VirtualClock
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionRegistry
from harness.functions.spec import FunctionSpec
from harness.served.gateway import Gateway
from harness.served.lambda_api import LambdaApi

ACCOUNT_ID = "123456789012"
FUNCTIONS = "/2015-03-31/functions"


@pytest.fixture
def registry() -> FunctionRegistry:
    account = Account(
        account_id=ACCOUNT_ID, region="us-east-1", endpoint_url="http://127.0.0.1:1", credentials=Credentials("a", "b")
    )
    return FunctionRegistry(account)


@pytest.fixture
def invoker() -> Iterator[AsyncInvoker]:
    invoker = AsyncInvoker(VirtualClock(), workers=1)
    yield invoker
    invoker.shutdown()


@pytest.fixture
def client(registry: FunctionRegistry, invoker: AsyncInvoker) -> Client:
    registry.register(FunctionSpec("Env", "tests.handlers.probes.env_probe", environment={"GREETING": "hi"}))
    registry.register(FunctionSpec("Fail", "tests.handlers.probes.fail"))
    gateway = Gateway("http://127.0.0.1:1")
    gateway.serve(LambdaApi(registry, None, invoker), exclusive=True)
    return Client(gateway.wsgi)


def invoke(client: Client, name: str, body: bytes | str = b'{"keys": ["GREETING"]}', **headers: str) -> TestResponse:
    query = headers.pop("query", "")
    return client.post(f"{FUNCTIONS}/{name}/invocations{query}", data=body, headers=headers)


def assert_error(response: TestResponse, status: int, error_type: str) -> dict:
    assert response.status_code == status
    assert response.headers["x-amzn-ErrorType"] == error_type
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["__type"] == error_type
    assert body["Message"] == body["message"]
    return body


def test_list_functions_describes_every_function_by_name(client: Client) -> None:
    body = client.get(FUNCTIONS).get_json()

    assert [f["FunctionName"] for f in body["Functions"]] == ["Env", "Fail"]
    assert "NextMarker" not in body
    env = body["Functions"][0]
    assert env["FunctionArn"] == f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:Env"
    assert env["Role"] == f"arn:aws:iam::{ACCOUNT_ID}:role/LambdaLabRole"
    assert env["Environment"] == {"Variables": {"GREETING": "hi"}}
    assert (env["Timeout"], env["MemorySize"], env["Runtime"]) == (3, 128, "python3.12")


def test_list_functions_with_a_trailing_slash(client: Client) -> None:
    assert len(client.get(f"{FUNCTIONS}/").get_json()["Functions"]) == 2


def test_list_functions_pages_with_max_items_and_marker(registry: FunctionRegistry, client: Client) -> None:
    for name in ("A", "B", "C"):
        registry.register(FunctionSpec(name, "tests.handlers.probes.env_probe"))

    first = client.get(FUNCTIONS, query_string={"MaxItems": "2"}).get_json()
    second = client.get(FUNCTIONS, query_string={"MaxItems": "2", "Marker": first["NextMarker"]}).get_json()
    third = client.get(FUNCTIONS, query_string={"MaxItems": "2", "Marker": second["NextMarker"]}).get_json()

    assert [f["FunctionName"] for f in first["Functions"]] == ["A", "B"]
    assert [f["FunctionName"] for f in second["Functions"]] == ["C", "Env"]
    assert [f["FunctionName"] for f in third["Functions"]] == ["Fail"]
    assert "NextMarker" not in third


def test_list_functions_last_full_page_has_no_next_marker(client: Client) -> None:
    body = client.get(FUNCTIONS, query_string={"MaxItems": "2"}).get_json()

    assert len(body["Functions"]) == 2
    assert "NextMarker" not in body


def test_list_functions_refuses_max_items_zero(client: Client) -> None:
    assert_error(client.get(FUNCTIONS, query_string={"MaxItems": "0"}), 400, "InvalidParameterValueException")


def test_list_functions_refuses_a_bad_marker_as_a_client_error(client: Client) -> None:
    assert_error(client.get(FUNCTIONS, query_string={"Marker": "abc"}), 400, "InvalidParameterValueException")


def test_get_function_and_configuration(client: Client) -> None:
    function = client.get(f"{FUNCTIONS}/Env").get_json()
    configuration = client.get(f"{FUNCTIONS}/Env/configuration").get_json()

    assert function["Configuration"] == configuration
    assert configuration["Handler"] == "tests.handlers.probes.env_probe"
    assert function["Code"]["RepositoryType"] == "S3"


def test_get_unknown_function_is_404_resource_not_found(client: Client) -> None:
    body = assert_error(client.get(f"{FUNCTIONS}/Nope"), 404, "ResourceNotFoundException")

    assert body["Type"] == "User"
    assert body["Message"] == f"Function not found: arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:Nope"


def test_get_configuration_of_unknown_function_is_404(client: Client) -> None:
    assert_error(client.get(f"{FUNCTIONS}/Nope/configuration"), 404, "ResourceNotFoundException")


def test_invoke_unknown_function_is_404_naming_it(client: Client) -> None:
    body = assert_error(invoke(client, "Nope"), 404, "ResourceNotFoundException")

    assert "function:Nope" in body["Message"]


SIGNED_FOR_LAMBDA = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, "
    "SignedHeaders=host, Signature=0"
}


def test_a_path_that_is_no_lambda_operation_is_404_unknown_operation(client: Client) -> None:
    body = assert_error(client.get("/2015-03-31/layers", headers=SIGNED_FOR_LAMBDA), 404, "UnknownOperationException")

    assert body["Message"] == "GET /2015-03-31/layers is no lambda operation the harness serves"


def test_an_operation_the_harness_does_not_serve_is_named(client: Client) -> None:
    response = client.get("/2020-06-30/functions/Env/code-signing-config", headers=SIGNED_FOR_LAMBDA)

    body = assert_error(response, 400, "UnknownOperationException")
    assert body["Message"] == "the harness does not serve lambda operation GetFunctionCodeSigningConfig"


def test_invoke_returns_the_payload(client: Client) -> None:
    response = invoke(client, "Env")

    assert response.status_code == 200
    assert response.get_json() == {"GREETING": "hi"}
    assert response.headers["X-Amz-Executed-Version"] == "$LATEST"
    assert "X-Amz-Function-Error" not in response.headers


def test_invoke_by_arn(client: Client) -> None:
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:Env"

    assert invoke(client, arn).get_json() == {"GREETING": "hi"}


def test_invoke_with_an_empty_body_sends_an_empty_event(client: Client) -> None:
    response = invoke(client, "Fail", b"")

    assert response.get_json()["errorMessage"] == "out of stock: None"


def test_invoke_of_a_failing_function_is_200_with_function_error(client: Client) -> None:
    response = invoke(client, "Fail", b'{"item": "bolts"}')

    assert response.status_code == 200
    assert response.headers["X-Amz-Function-Error"] == "Unhandled"
    body = response.get_json()
    assert (body["errorType"], body["errorMessage"]) == ("InventoryError", "out of stock: bolts")


def test_invoke_with_log_tail_returns_the_framed_log(client: Client) -> None:
    response = invoke(client, "Fail", b"{}", **{"X-Amz-Log-Type": "Tail"})

    tail = base64.b64decode(response.headers["X-Amz-Log-Result"]).decode()
    assert tail.startswith("START RequestId: ")
    assert "about to fail" in tail
    assert "\nREPORT RequestId: " in tail


def test_invoke_with_invalid_json_is_400(registry: FunctionRegistry, client: Client) -> None:
    body = assert_error(invoke(client, "Env", b"{not json"), 400, "InvalidRequestContentException")

    assert body["Message"] == "Could not parse request body into json"
    assert registry.get("Env").invocation_count == 0


def test_dry_run_is_204_and_does_not_invoke(registry: FunctionRegistry, client: Client) -> None:
    response = invoke(client, "Env", **{"X-Amz-Invocation-Type": "DryRun"})

    assert response.status_code == 204
    assert response.data == b""
    assert registry.get("Env").invocation_count == 0


def test_dry_run_of_an_unknown_function_is_404(client: Client) -> None:
    response = invoke(client, "Nope", **{"X-Amz-Invocation-Type": "DryRun"})

    assert_error(response, 404, "ResourceNotFoundException")


def test_event_invocation_is_202_and_runs_asynchronously(
    registry: FunctionRegistry, invoker: AsyncInvoker, client: Client
) -> None:
    response = invoke(client, "Env", **{"X-Amz-Invocation-Type": "Event"})
    invoker.shutdown()  # waits for the queued invocation

    assert response.status_code == 202
    assert registry.get("Env").invocation_count == 1


def test_unknown_invocation_type_is_400_naming_it(client: Client) -> None:
    body = assert_error(
        invoke(client, "Env", **{"X-Amz-Invocation-Type": "Later"}), 400, "InvalidParameterValueException"
    )

    assert "'Later'" in body["Message"]


def test_qualifier_latest_is_accepted(client: Client) -> None:
    assert invoke(client, "Env", query="?Qualifier=$LATEST").status_code == 200


@pytest.mark.parametrize("qualifier", ["1", "prod"])
def test_qualifier_other_than_latest_is_404(registry: FunctionRegistry, client: Client, qualifier: str) -> None:
    body = assert_error(invoke(client, "Env", query=f"?Qualifier={qualifier}"), 404, "ResourceNotFoundException")

    assert body["Message"].endswith(f"function:Env:{qualifier}")
    assert registry.get("Env").invocation_count == 0


def test_qualifier_in_the_function_name_other_than_latest_is_404(client: Client) -> None:
    assert_error(invoke(client, "Env:prod"), 404, "ResourceNotFoundException")


def test_list_event_source_mappings_without_a_manager_is_empty(client: Client) -> None:
    response = client.get("/2015-03-31/event-source-mappings/", query_string={"FunctionName": "Env"})

    assert response.status_code == 200
    assert response.get_json() == {"EventSourceMappings": []}


def test_responses_are_json(client: Client) -> None:
    response = client.get(FUNCTIONS)

    assert response.content_type == "application/json"
    json.loads(response.data)


def test_payloads_over_lambdas_quotas_are_refused_with_413(client: Client) -> None:
    """Lambda quotas page: invocation payload 6 MB synchronous, 256 KB asynchronous."""
    big_sync = b'{"x": "' + b"a" * (6 * 1024 * 1024) + b'"}'
    big_async = b'{"x": "' + b"a" * (256 * 1024) + b'"}'

    assert_error(invoke(client, "Env", big_sync), 413, "RequestTooLargeException")
    assert_error(
        invoke(client, "Env", big_async, **{"X-Amz-Invocation-Type": "Event"}), 413, "RequestTooLargeException"
    )


@pytest.mark.parametrize("payload", [b'{"x": NaN}', b'{"x": Infinity}', b'{"x": 1e999}', b"[" * 100000])
def test_what_is_not_json_is_refused_and_never_echoed(client: Client, payload: bytes) -> None:
    assert_error(invoke(client, "Env", payload), 400, "InvalidRequestContentException")
