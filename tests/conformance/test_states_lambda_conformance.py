"""Step Functions' Lambda integrations against the developer guide's "Invoke an AWS Lambda function with
Step Functions" page and Lambda's Invoke reference."""

from __future__ import annotations

import pytest

from harness.functions.spec import FunctionSpec
from tests.integration.states_helpers import deploy_machine

CONNECT_LAMBDA = "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html"
ERRORS = "https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html"
FAMILY = "states.lambda"
ECHO = FunctionSpec("Echo", "tests.conformance.lambda_handlers.echo")


def _invoke_machine(parameters: dict) -> dict:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": parameters,
                "End": True,
            }
        },
    }


def test_a_null_payload_reaches_the_function_as_an_empty_object(harness):
    arn = deploy_machine(harness, _invoke_machine({"FunctionName": "Echo", "Payload": None}), functions=(ECHO,))

    execution = harness.states.run(arn, {})

    assert execution.status == "SUCCEEDED", CONNECT_LAMBDA
    assert execution.output["Payload"] == {"received": {}}


def test_the_invoke_result_carries_lambdas_response_headers(harness):
    arn = deploy_machine(harness, _invoke_machine({"FunctionName": "Echo", "Payload.$": "$"}), functions=(ECHO,))

    output = harness.states.run(arn, {"n": 1}).output

    headers = output["SdkHttpMetadata"]["HttpHeaders"]
    for name in ("Content-Length", "Content-Type", "Date", "X-Amz-Executed-Version", "X-Amzn-Trace-Id"):
        assert name in headers, (CONNECT_LAMBDA, name)
    assert headers["x-amzn-Remapped-Content-Length"] == "0"
    assert headers["Content-Length"] == str(len(b'{"received": {"n": 1}}'))
    assert headers["X-Amzn-Trace-Id"].startswith("root=1-") and headers["X-Amzn-Trace-Id"].endswith(";sampled=0")
    assert output["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"] == [headers["Content-Length"]]
    assert output["SdkResponseMetadata"]["RequestId"] == headers["x-amzn-RequestId"]


@pytest.mark.parametrize("use_arn", [False, True])
def test_a_missing_function_is_named_with_latest(harness, use_arn):
    missing = harness.account.arn("lambda", "function:Missing") if use_arn else "Missing"
    arn = deploy_machine(harness, _invoke_machine({"FunctionName": missing, "Payload": {}}), functions=(ECHO,))

    execution = harness.states.run(arn, {})

    assert (execution.status, execution.error) == ("FAILED", "Lambda.ResourceNotFoundException"), ERRORS
    qualified = harness.account.arn("lambda", "function:Missing:$LATEST")
    assert execution.cause.startswith(f"Function not found: {qualified} (Service: AWSLambda; Status Code: 404;")


def test_a_missing_function_as_the_resource_is_named_with_latest(harness):
    missing = harness.account.arn("lambda", "function:Missing")
    definition = {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": missing, "End": True}}}
    arn = deploy_machine(harness, definition, functions=(ECHO,))

    execution = harness.states.run(arn, {})

    assert execution.error == "Lambda.ResourceNotFoundException", ERRORS
    assert f"Function not found: {missing}:$LATEST " in execution.cause


def test_a_handler_returning_bytes_passes_them_through(harness):
    spec = FunctionSpec("Raw", "tests.conformance.lambda_handlers.returns_bytes")
    arn = deploy_machine(harness, _invoke_machine({"FunctionName": "Raw", "Payload": {}}), functions=(spec,))

    execution = harness.states.run(arn, {})

    assert execution.status == "SUCCEEDED", CONNECT_LAMBDA
    assert execution.output["Payload"] == {"raw": True}
