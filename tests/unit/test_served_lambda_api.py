"""The served Lambda API, operation by operation, checked against botocore's shapes (no backend, no wire).

Behaviour follows the Lambda API reference: https://docs.aws.amazon.com/lambda/latest/api/API_Operations.html
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from harness.backends.base import Account, Credentials
from harness.clock import VirtualClock
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.deployments import FunctionDeployments
from harness.functions.registry import FunctionRegistry
from harness.functions.spec import FunctionSpec
from harness.served.lambda_api import LambdaApi
from harness.served.service import AwsError
from harness.served.shapes import call_operation
from tests.zip_code import ROLE, package, zip_bytes

ACCOUNT_ID = "123456789012"
ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function"


@pytest.fixture
def api() -> Iterator[LambdaApi]:
    account = Account(
        account_id=ACCOUNT_ID, region="us-east-1", endpoint_url="http://127.0.0.1:1", credentials=Credentials("a", "b")
    )
    registry = FunctionRegistry(account)
    registry.register(FunctionSpec("Declared", "tests.handlers.probes.env_probe", environment={"GREETING": "hi"}))
    deployments = FunctionDeployments(registry)
    invoker = AsyncInvoker(VirtualClock(), workers=1)
    yield LambdaApi(registry, None, invoker, deployments)
    invoker.shutdown()
    deployments.close()


def create(api: LambdaApi, name: str = "Zipped", who: str = "a", **extra: object) -> dict:
    params = {
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": ROLE,
        "Handler": "lambda_function.lambda_handler",
        "Code": {"ZipFile": package(who)},
        **extra,
    }
    return call_operation(api, "CreateFunction", params)


def invoke(api: LambdaApi, name: str, event: object = None, **extra: object) -> tuple[dict, object]:
    params = {"FunctionName": name, "Payload": json.dumps(event or {}).encode(), **extra}
    answer = call_operation(api, "Invoke", params)
    return answer, json.loads(answer["Payload"]) if answer.get("Payload") else None


def error_of(api: LambdaApi, operation: str, params: dict) -> AwsError:
    with pytest.raises(AwsError) as caught:
        call_operation(api, operation, params)
    return caught.value


# -- CreateFunction / GetFunction / ListFunctions ------------------------------------------------
def test_create_function_answers_pending_then_active(api: LambdaApi) -> None:
    created = create(api, Environment={"Variables": {"GREETING": "hello"}}, Timeout=10, MemorySize=256)
    assert created["FunctionArn"] == f"{ARN}:Zipped"
    assert created["State"] == "Pending" and created["StateReasonCode"] == "Creating"
    assert created["Runtime"] == "python3.12" and created["Timeout"] == 10 and created["MemorySize"] == 256
    assert created["CodeSize"] > 0 and created["CodeSha256"]
    got = call_operation(api, "GetFunction", {"FunctionName": "Zipped"})
    assert got["Configuration"]["State"] == "Active"
    assert got["Configuration"]["Environment"] == {"Variables": {"GREETING": "hello"}}
    assert got["Code"]["RepositoryType"] == "S3"
    config = call_operation(api, "GetFunctionConfiguration", {"FunctionName": f"{ARN}:Zipped"})
    assert config["Handler"] == "lambda_function.lambda_handler"


def test_create_function_refuses_duplicates_and_bad_inputs(api: LambdaApi) -> None:
    create(api)
    error = error_of(
        api,
        "CreateFunction",
        {
            "FunctionName": "Zipped",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "a.b",
            "Code": {"ZipFile": package("a")},
        },
    )
    assert (error.code, error.status, error.message) == (
        "ResourceConflictException",
        409,
        "Function already exist: Zipped",
    )
    base = {"FunctionName": "Other", "Role": ROLE, "Handler": "a.b"}
    assert error_of(
        api, "CreateFunction", {**base, "Runtime": "nodejs20.x", "Code": {"ZipFile": package("a")}}
    ).code == ("InvalidParameterValueException")
    bad_zip = error_of(api, "CreateFunction", {**base, "Runtime": "python3.12", "Code": {"ZipFile": b"not a zip"}})
    assert bad_zip.code == "InvalidParameterValueException" and "Could not unzip uploaded file" in bad_zip.message
    no_code = error_of(api, "CreateFunction", {**base, "Runtime": "python3.12", "Code": {}})
    assert no_code.message == "Please provide a source for function code."
    reserved = error_of(
        api,
        "CreateFunction",
        {
            **base,
            "Runtime": "python3.12",
            "Code": {"ZipFile": package("a")},
            "Environment": {"Variables": {"AWS_REGION": "x"}},
        },
    )
    assert reserved.code == "InvalidParameterValueException" and "AWS_REGION" in reserved.message
    timeout = error_of(
        api, "CreateFunction", {**base, "Runtime": "python3.12", "Code": {"ZipFile": package("a")}, "Timeout": 901}
    )
    assert timeout.code == "ValidationException" and "less than or equal to 900" in timeout.message
    role = error_of(
        api,
        "CreateFunction",
        {**base, "Runtime": "python3.12", "Code": {"ZipFile": package("a")}, "Role": "not-a-role"},
    )
    assert role.code == "ValidationException"


def test_every_python_runtime_is_accepted(api: LambdaApi) -> None:
    for minor in range(9, 14):
        assert create(api, f"Py3{minor}", Runtime=f"python3.{minor}")["Runtime"] == f"python3.{minor}"


def test_list_functions_pages_and_lists_versions(api: LambdaApi) -> None:
    create(api, "A")
    create(api, "B")
    call_operation(api, "PublishVersion", {"FunctionName": "A"})
    first = call_operation(api, "ListFunctions", {"MaxItems": 2})
    assert [f["FunctionName"] for f in first["Functions"]] == ["A", "B"]
    rest = call_operation(api, "ListFunctions", {"Marker": first["NextMarker"]})
    assert [f["FunctionName"] for f in rest["Functions"]] == ["Declared"] and "NextMarker" not in rest
    every = call_operation(api, "ListFunctions", {"FunctionVersion": "ALL"})
    assert [(f["FunctionName"], f["Version"]) for f in every["Functions"]][:2] == [("A", "$LATEST"), ("A", "1")]
    assert error_of(api, "ListFunctions", {"Marker": "x"}).code == "InvalidParameterValueException"


def test_unknown_function_is_not_found_in_lambdas_words(api: LambdaApi) -> None:
    for operation in ("GetFunction", "GetFunctionConfiguration", "DeleteFunction", "PublishVersion", "GetPolicy"):
        error = error_of(api, operation, {"FunctionName": "Nope"})
        assert (error.code, error.status) == ("ResourceNotFoundException", 404)
        assert error.message == f"Function not found: {ARN}:Nope"
    other_account = error_of(
        api, "GetFunction", {"FunctionName": "arn:aws:lambda:us-east-1:999999999999:function:Zipped"}
    )
    assert other_account.code == "ResourceNotFoundException"


# -- Invoke -----------------------------------------------------------------------------------------
def test_invoke_runs_the_zip_in_a_worker_with_log_tail(api: LambdaApi) -> None:
    create(api, Environment={"Variables": {"GREETING": "hello"}})
    answer, payload = invoke(api, "Zipped", {"x": 1}, LogType="Tail")
    assert answer["StatusCode"] == 200 and answer["ExecutedVersion"] == "$LATEST"
    assert payload == {"utils": "a", "version": "$LATEST", "greeting": "hello"}
    tail = base64.b64decode(answer["LogResult"]).decode()
    assert "cold start of Zipped" in tail and "event {'x': 1}" in tail
    assert "Init Duration:" in tail and "Max Memory Used:" in tail


def test_invoke_reports_function_errors_event_and_dry_run(api: LambdaApi) -> None:
    create(api)
    answer, payload = invoke(api, "Zipped", {"fail": True})
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "ValueError" and payload["errorMessage"] == "asked to fail"
    assert invoke(api, "Zipped", InvocationType="DryRun")[0]["StatusCode"] == 204
    assert invoke(api, "Zipped", InvocationType="Event")[0]["StatusCode"] == 202
    bad = error_of(api, "Invoke", {"FunctionName": "Zipped", "Payload": b"{nope"})
    assert bad.code == "InvalidRequestContentException"


def test_invoke_declared_function_keeps_working(api: LambdaApi) -> None:
    answer, payload = invoke(api, "Declared", {"keys": ["GREETING"]})
    assert payload == {"GREETING": "hi"} and answer["ExecutedVersion"] == "$LATEST"


def test_missing_handler_module_or_function_fails_at_invoke(api: LambdaApi) -> None:
    create(api, "NoModule", Handler="missing.lambda_handler")
    _, payload = invoke(api, "NoModule")
    assert payload["errorType"] == "Runtime.ImportModuleError"
    assert payload["errorMessage"] == "Unable to import module 'missing': No module named 'missing'"
    create(api, "NoFunction", Handler="lambda_function.other")
    _, payload = invoke(api, "NoFunction")
    assert payload["errorType"] == "Runtime.HandlerNotFound"
    assert payload["errorMessage"] == "Handler 'other' missing on module 'lambda_function'"


def test_handler_in_a_subdirectory(api: LambdaApi) -> None:
    code = zip_bytes({"src/app.py": "def handler(event, context):\n    return 'nested'\n"})
    call_operation(
        api,
        "CreateFunction",
        {
            "FunctionName": "Nested",
            "Runtime": "python3.12",
            "Role": ROLE,
            "Handler": "src/app.handler",
            "Code": {"ZipFile": code},
        },
    )
    assert invoke(api, "Nested")[1] == "nested"


def test_two_zips_with_the_same_module_names_see_their_own(api: LambdaApi) -> None:
    create(api, "First", who="first")
    create(api, "Second", who="second")
    assert invoke(api, "First")[1]["utils"] == "first"
    assert invoke(api, "Second")[1]["utils"] == "second"
    assert invoke(api, "First")[1]["utils"] == "first"


# -- UpdateFunctionCode / UpdateFunctionConfiguration / DeleteFunction --------------------------------
def test_update_code_runs_the_new_code_and_changes_the_sha(api: LambdaApi) -> None:
    before = create(api)
    assert invoke(api, "Zipped")[1]["utils"] == "a"
    updated = call_operation(api, "UpdateFunctionCode", {"FunctionName": "Zipped", "ZipFile": package("b")})
    assert updated["CodeSha256"] != before["CodeSha256"] and updated["LastUpdateStatus"] == "InProgress"
    assert invoke(api, "Zipped")[1]["utils"] == "b"
    stale = error_of(api, "UpdateFunctionCode", {"FunctionName": "Zipped", "ZipFile": package("c"), "RevisionId": "x"})
    assert stale.code == "PreconditionFailedException"


def test_update_configuration_changes_only_what_is_given(api: LambdaApi) -> None:
    create(api, Environment={"Variables": {"GREETING": "hello"}})
    answer = call_operation(
        api,
        "UpdateFunctionConfiguration",
        {
            "FunctionName": "Zipped",
            "Timeout": 30,
            "MemorySize": 512,
            "Description": "d",
            "Environment": {"Variables": {"GREETING": "changed"}},
            "LoggingConfig": {"LogFormat": "JSON"},
        },
    )
    assert (answer["Timeout"], answer["MemorySize"], answer["Description"]) == (30, 512, "d")
    assert answer["LoggingConfig"] == {"LogFormat": "JSON", "LogGroup": "/aws/lambda/Zipped"}
    assert answer["Handler"] == "lambda_function.lambda_handler"
    assert invoke(api, "Zipped")[1]["greeting"] == "changed"
    bad = error_of(api, "UpdateFunctionConfiguration", {"FunctionName": "Zipped", "MemorySize": 20000})
    assert bad.code == "ValidationException"


def test_delete_function_then_it_is_gone(api: LambdaApi) -> None:
    create(api)
    invoke(api, "Zipped")
    assert call_operation(api, "DeleteFunction", {"FunctionName": "Zipped"}) == {}
    assert error_of(api, "GetFunction", {"FunctionName": "Zipped"}).code == "ResourceNotFoundException"
    create(api)  # the name is free again


# -- versions and aliases -------------------------------------------------------------------------
def test_publish_version_and_invoke_by_qualifier(api: LambdaApi) -> None:
    create(api)
    one = call_operation(api, "PublishVersion", {"FunctionName": "Zipped", "Description": "first"})
    assert (one["Version"], one["FunctionArn"], one["Description"]) == ("1", f"{ARN}:Zipped:1", "first")
    assert call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})["Version"] == "1"  # nothing changed
    call_operation(api, "UpdateFunctionCode", {"FunctionName": "Zipped", "ZipFile": package("b")})
    two = call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})
    assert two["Version"] == "2"
    answer, payload = invoke(api, "Zipped", Qualifier="1")
    assert answer["ExecutedVersion"] == "1" and payload == {"utils": "a", "version": "1", "greeting": None}
    assert invoke(api, "Zipped:2")[1]["utils"] == "b"
    assert invoke(api, "Zipped")[1]["utils"] == "b"
    listed = call_operation(api, "ListVersionsByFunction", {"FunctionName": "Zipped"})
    assert [v["Version"] for v in listed["Versions"]] == ["$LATEST", "1", "2"]
    missing = error_of(api, "Invoke", {"FunctionName": "Zipped", "Qualifier": "9"})
    assert missing.code == "ResourceNotFoundException" and missing.message == f"Function not found: {ARN}:Zipped:9"
    sha = error_of(api, "PublishVersion", {"FunctionName": "Zipped", "CodeSha256": "abc"})
    assert sha.code == "InvalidParameterValueException"


def test_aliases_name_versions(api: LambdaApi) -> None:
    create(api)
    call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})
    alias = call_operation(api, "CreateAlias", {"FunctionName": "Zipped", "Name": "live", "FunctionVersion": "1"})
    assert alias["AliasArn"] == f"{ARN}:Zipped:live" and alias["FunctionVersion"] == "1"
    call_operation(api, "UpdateFunctionCode", {"FunctionName": "Zipped", "ZipFile": package("b")})
    assert invoke(api, "Zipped", Qualifier="live")[1]["utils"] == "a"
    call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})
    updated = call_operation(api, "UpdateAlias", {"FunctionName": "Zipped", "Name": "live", "FunctionVersion": "2"})
    assert updated["FunctionVersion"] == "2" and updated["RevisionId"] != alias["RevisionId"]
    assert invoke(api, "Zipped:live")[1]["utils"] == "b"
    assert call_operation(api, "GetAlias", {"FunctionName": "Zipped", "Name": "live"})["FunctionVersion"] == "2"
    assert [a["Name"] for a in call_operation(api, "ListAliases", {"FunctionName": "Zipped"})["Aliases"]] == ["live"]
    assert call_operation(api, "ListAliases", {"FunctionName": "Zipped", "FunctionVersion": "1"})["Aliases"] == []
    conflict = error_of(api, "CreateAlias", {"FunctionName": "Zipped", "Name": "live", "FunctionVersion": "1"})
    assert conflict.code == "ResourceConflictException"
    no_version = error_of(api, "CreateAlias", {"FunctionName": "Zipped", "Name": "next", "FunctionVersion": "7"})
    assert no_version.code == "ResourceNotFoundException"
    in_use = error_of(api, "DeleteFunction", {"FunctionName": "Zipped", "Qualifier": "2"})
    assert in_use.code == "ResourceConflictException"
    call_operation(api, "DeleteAlias", {"FunctionName": "Zipped", "Name": "live"})
    assert error_of(api, "GetAlias", {"FunctionName": "Zipped", "Name": "live"}).code == "ResourceNotFoundException"
    call_operation(api, "DeleteFunction", {"FunctionName": "Zipped", "Qualifier": "1"})
    listed = call_operation(api, "ListVersionsByFunction", {"FunctionName": "Zipped"})
    assert [v["Version"] for v in listed["Versions"]] == ["$LATEST", "2"]


def test_weighted_alias_routes_to_both_versions(api: LambdaApi) -> None:
    create(api)
    call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})
    call_operation(api, "UpdateFunctionCode", {"FunctionName": "Zipped", "ZipFile": package("b")})
    call_operation(api, "PublishVersion", {"FunctionName": "Zipped"})
    call_operation(
        api,
        "CreateAlias",
        {
            "FunctionName": "Zipped",
            "Name": "canary",
            "FunctionVersion": "1",
            "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.5}},
        },
    )
    seen = {invoke(api, "Zipped", Qualifier="canary")[0]["ExecutedVersion"] for _ in range(40)}
    assert seen == {"1", "2"}


# -- policy and concurrency -----------------------------------------------------------------------
def test_add_permission_get_policy_remove_permission(api: LambdaApi) -> None:
    create(api)
    added = call_operation(
        api,
        "AddPermission",
        {
            "FunctionName": "Zipped",
            "StatementId": "s3-invoke",
            "Action": "lambda:InvokeFunction",
            "Principal": "s3.amazonaws.com",
            "SourceArn": "arn:aws:s3:::bucket",
            "SourceAccount": ACCOUNT_ID,
        },
    )
    statement = json.loads(added["Statement"])
    assert statement == {
        "Sid": "s3-invoke",
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": f"{ARN}:Zipped",
        "Condition": {
            "StringEquals": {"AWS:SourceAccount": ACCOUNT_ID},
            "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::bucket"},
        },
    }
    policy = json.loads(call_operation(api, "GetPolicy", {"FunctionName": "Zipped"})["Policy"])
    assert policy["Version"] == "2012-10-17" and policy["Statement"] == [statement]
    duplicate = error_of(
        api,
        "AddPermission",
        {"FunctionName": "Zipped", "StatementId": "s3-invoke", "Action": "lambda:InvokeFunction", "Principal": "*"},
    )
    assert duplicate.code == "ResourceConflictException"
    call_operation(api, "RemovePermission", {"FunctionName": "Zipped", "StatementId": "s3-invoke"})
    assert (
        error_of(api, "GetPolicy", {"FunctionName": "Zipped"}).message == "The resource you requested does not exist."
    )
    gone = error_of(api, "RemovePermission", {"FunctionName": "Zipped", "StatementId": "s3-invoke"})
    assert gone.code == "ResourceNotFoundException"


def test_reserved_concurrency_of_zero_throttles(api: LambdaApi) -> None:
    create(api)
    assert call_operation(api, "GetFunctionConcurrency", {"FunctionName": "Zipped"}) == {}
    put = call_operation(api, "PutFunctionConcurrency", {"FunctionName": "Zipped", "ReservedConcurrentExecutions": 0})
    assert put == {"ReservedConcurrentExecutions": 0}
    throttled = error_of(api, "Invoke", {"FunctionName": "Zipped"})
    assert (throttled.code, throttled.status) == ("TooManyRequestsException", 429)
    call_operation(api, "DeleteFunctionConcurrency", {"FunctionName": "Zipped"})
    assert invoke(api, "Zipped")[0]["StatusCode"] == 200


def test_event_source_mappings_list_is_empty_without_mappings(api: LambdaApi) -> None:
    assert call_operation(api, "ListEventSourceMappings", {}) == {"EventSourceMappings": []}


def test_invoke_by_arn_with_no_payload_and_dry_run_does_not_run(api: LambdaApi) -> None:
    runtime = api.functions.get("Declared")
    answer = call_operation(api, "Invoke", {"FunctionName": f"{ARN}:Declared", "Payload": b'{"keys": []}'})
    assert json.loads(answer["Payload"]) == {}
    before = runtime.invocation_count
    assert call_operation(api, "Invoke", {"FunctionName": "Declared", "InvocationType": "DryRun"})["StatusCode"] == 204
    assert runtime.invocation_count == before
    missing = error_of(api, "Invoke", {"FunctionName": "Nope", "InvocationType": "DryRun"})
    assert missing.code == "ResourceNotFoundException"
    mismatch = error_of(api, "Invoke", {"FunctionName": "Declared:1", "Qualifier": "2"})
    assert mismatch.code == "InvalidParameterValueException"


def test_declared_functions_are_described_and_configurable(api: LambdaApi) -> None:
    config = call_operation(api, "GetFunctionConfiguration", {"FunctionName": "Declared"})
    assert config["Handler"] == "tests.handlers.probes.env_probe" and config["State"] == "Active"
    call_operation(
        api,
        "UpdateFunctionConfiguration",
        {"FunctionName": "Declared", "Environment": {"Variables": {"GREETING": "changed"}}},
    )
    assert invoke(api, "Declared", {"keys": ["GREETING"]})[1] == {"GREETING": "changed"}
    refused = error_of(api, "UpdateFunctionCode", {"FunctionName": "Declared", "ZipFile": package("x")})
    assert refused.code == "InvalidParameterValueException"
    version = call_operation(api, "PublishVersion", {"FunctionName": "Declared"})
    assert invoke(api, "Declared", {"keys": ["GREETING"]}, Qualifier=version["Version"])[0]["ExecutedVersion"] == "1"
