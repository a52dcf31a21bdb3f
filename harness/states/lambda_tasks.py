"""Lambda as a Task resource: a function ARN directly, or `arn:aws:states:::lambda:invoke` and its result shape."""

from __future__ import annotations

import base64
import contextlib
import json
import uuid
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionNotFound, FunctionRegistry
from harness.functions.result import InvocationResult
from harness.states.errors import StatesError

INVOKE_PARAMETERS = frozenset({"FunctionName", "Payload", "InvocationType", "Qualifier", "ClientContext", "LogType"})


def function_error(result: InvocationResult) -> StatesError:
    """A failed invocation as Step Functions reports it: the errorType as Error, Lambda's error JSON as Cause."""
    error = result.error or {}
    return StatesError(str(error.get("errorType") or "Lambda.Unknown"), result.body().decode())


def not_found(exc: FunctionNotFound) -> StatesError:
    """Lambda's ResourceNotFoundException, named as Step Functions names service errors."""
    request_id = str(uuid.uuid4())
    details = f"Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {request_id}"
    return StatesError("Lambda.ResourceNotFoundException", f"{exc} ({details}; Proxy: null)")


def invoke_function(functions: FunctionRegistry, function: str, payload: Any) -> Any:
    """Invoke a function synchronously for a Task whose Resource is its ARN; return its payload."""
    try:
        runtime = functions.get(function)
    except FunctionNotFound as exc:
        raise not_found(exc) from None
    result = runtime.invoke(payload)
    if not result.ok:
        raise function_error(result)
    return result.payload


def _http_metadata(request_id: str, status: int, extra: dict[str, str]) -> dict[str, Any]:
    headers = {
        "Connection": "keep-alive",
        "Content-Type": "application/json",
        "Date": format_datetime(datetime.now(UTC), usegmt=True),
        "x-amzn-RequestId": request_id,
        **extra,
    }
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": {name: [value] for name, value in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
    }


def lambda_invoke(functions: FunctionRegistry, async_invoker: AsyncInvoker, parameters: Any) -> dict[str, Any]:
    """The `lambda:invoke` integration: Invoke with the task's parameters, answer with Invoke's result shape."""
    if not isinstance(parameters, dict) or "FunctionName" not in parameters:
        raise StatesError("States.Runtime", "lambda:invoke needs Parameters with a FunctionName")
    unknown = sorted(set(parameters) - INVOKE_PARAMETERS)
    if unknown:
        raise StatesError("States.Runtime", f"lambda:invoke does not take the parameters {unknown}")
    kind = parameters.get("InvocationType", "RequestResponse")
    if kind not in {"RequestResponse", "Event", "DryRun"}:
        raise StatesError("Lambda.InvalidParameterValueException", f"InvocationType {kind!r} is not valid")
    try:
        runtime = functions.get(str(parameters["FunctionName"]))
    except FunctionNotFound as exc:
        raise not_found(exc) from None
    payload = parameters.get("Payload", {})
    if isinstance(payload, str):
        with contextlib.suppress(ValueError):  # a plain string is a valid JSON event too
            payload = json.loads(payload)
    if kind == "DryRun":
        return {"StatusCode": 204, "Payload": "", **_http_metadata("", 204, {})}
    if kind == "Event":
        async_invoker.submit(runtime, payload)
        return {"StatusCode": 202, "Payload": "", **_http_metadata("", 202, {})}
    result = runtime.invoke(payload)
    if not result.ok:
        raise function_error(result)
    extra = {"X-Amz-Executed-Version": "$LATEST"}
    output: dict[str, Any] = {"ExecutedVersion": "$LATEST", "Payload": result.payload}
    if parameters.get("LogType") == "Tail":
        output["LogResult"] = base64.b64encode(result.log.framed().encode()[-4096:]).decode()
    output.update(_http_metadata(result.request_id, 200, extra))
    output["StatusCode"] = 200
    return output
