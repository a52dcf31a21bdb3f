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


def qualified_arn(function: str, region: str, account_id: str) -> str:
    """The ARN Lambda names in "Function not found": unqualified names and ARNs get `:$LATEST`."""
    if function.startswith("arn:"):
        arn = function
    else:
        name, _, qualifier = function.partition(":")
        arn = f"arn:aws:lambda:{region}:{account_id}:function:{name}" + (f":{qualifier}" if qualifier else "")
    return arn if len(arn.split(":")) > 7 else f"{arn}:$LATEST"


def not_found(function: str, region: str, account_id: str) -> StatesError:
    """Lambda's ResourceNotFoundException, named as Step Functions names service errors."""
    request_id = str(uuid.uuid4())
    details = f"Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {request_id}"
    arn = qualified_arn(function, region, account_id)
    return StatesError("Lambda.ResourceNotFoundException", f"Function not found: {arn} ({details}; Proxy: null)")


def invoke_function(functions: FunctionRegistry, function: str, payload: Any) -> Any:
    """Invoke a function synchronously for a Task whose Resource is its ARN; return its payload."""
    try:
        runtime = functions.get(function)
    except FunctionNotFound:
        parts = function.split(":")
        raise not_found(function, parts[3], parts[4]) from None
    result = runtime.invoke(payload)
    if not result.ok:
        raise function_error(result)
    return result.payload


def _http_metadata(request_id: str, status: int, extra: dict[str, str], body: bytes = b"") -> dict[str, Any]:
    # The headers of Lambda's Invoke response, as the lambda:invoke result carries them.
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(len(body)),
        "Content-Type": "application/json",
        "Date": format_datetime(datetime.now(UTC), usegmt=True),
        "X-Amzn-Trace-Id": _trace_id(),
        "x-amzn-Remapped-Content-Length": "0",
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


def _trace_id() -> str:
    """An X-Ray trace header as Lambda answers it: root=1-<epoch hex>-<24 hex>;sampled=0."""
    return f"root=1-{int(datetime.now(UTC).timestamp()):08x}-{uuid.uuid4().hex[:24]};sampled=0"


def lambda_invoke(
    functions: FunctionRegistry, async_invoker: AsyncInvoker, parameters: Any, region: str, account_id: str
) -> dict[str, Any]:
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
    except FunctionNotFound:
        raise not_found(str(parameters["FunctionName"]), region, account_id) from None
    payload = parameters.get("Payload")
    if payload is None:
        payload = {}  # an absent or null Payload reaches the function as {}
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
    output.update(_http_metadata(result.request_id, 200, extra, result.body()))
    output["StatusCode"] = 200
    return output
