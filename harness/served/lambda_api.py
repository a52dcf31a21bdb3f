"""The Lambda API over the harness's functions: Invoke, and the read operations on functions and mappings."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from harness.event_sources.manager import EventSourceManager
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionNotFound, FunctionRegistry
from harness.functions.runtime import FunctionRuntime
from harness.served.service import AwsError, Operation


def function_configuration(function: FunctionRuntime) -> dict[str, Any]:
    """A function as GetFunctionConfiguration describes it."""
    spec = function.spec
    return {
        "FunctionName": spec.name,
        "FunctionArn": function.arn,
        "Runtime": spec.runtime,
        "Role": function.role_arn,
        "Handler": spec.handler,
        "CodeSize": 0,
        "CodeSha256": base64.b64encode(hashlib.sha256(spec.handler.encode()).digest()).decode(),
        "Description": spec.description,
        "Timeout": int(spec.timeout),
        "MemorySize": spec.memory_size,
        "LastModified": "1970-01-01T00:00:00.000+0000",
        "Version": "$LATEST",
        "Environment": {"Variables": dict(spec.environment)},
        "PackageType": "Zip",
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "Architectures": ["x86_64"],
    }


class LambdaApi:
    """Lambda for one account's in-process functions.

    Example:
        >>> gateway.serve(LambdaApi(functions, mappings, async_invoker), exclusive=True)  # doctest: +SKIP
    """

    service = "lambda"

    def __init__(
        self, functions: FunctionRegistry, mappings: EventSourceManager | None, async_invoker: AsyncInvoker
    ) -> None:
        self.functions = functions
        self.mappings = mappings
        self.async_invoker = async_invoker

    def operations(self) -> dict[str, Operation]:
        """The operations answered here."""
        return {
            "Invoke": self.invoke,
            "ListFunctions": self.list_functions,
            "GetFunction": self.get_function,
            "GetFunctionConfiguration": self.get_function_configuration,
            "ListEventSourceMappings": self.list_event_source_mappings,
        }

    def _function(self, name: str, qualifier: str | None = None) -> FunctionRuntime:
        try:
            function = self.functions.get(name)
        except FunctionNotFound as exc:
            raise AwsError("ResourceNotFoundException", str(exc), 404) from None
        if qualifier not in (None, "$LATEST"):
            raise AwsError("ResourceNotFoundException", f"Function not found: {function.arn}:{qualifier}", 404)
        return function

    def invoke(self, params: dict[str, Any]) -> dict[str, Any]:
        """Invoke: RequestResponse, Event or DryRun."""
        import json

        function = self._function(params["FunctionName"], params.get("Qualifier"))
        raw = params.get("Payload") or b"{}"
        try:
            event = json.loads(raw)
        except ValueError:
            raise AwsError("InvalidRequestContentException", "Could not parse request body into json", 400) from None
        kind = params.get("InvocationType") or "RequestResponse"
        if kind not in {"RequestResponse", "Event", "DryRun"}:
            raise AwsError("InvalidParameterValueException", f"X-Amz-Invocation-Type {kind!r} is not valid")
        if kind == "DryRun":
            return {"StatusCode": 204}
        if kind == "Event":
            self.async_invoker.submit(function, event)
            return {"StatusCode": 202}
        result = function.invoke(event)
        answer: dict[str, Any] = {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": result.body()}
        if result.function_error:
            answer["FunctionError"] = result.function_error
        if params.get("LogType") == "Tail":
            answer["LogResult"] = base64.b64encode(result.log.framed().encode()[-4096:]).decode()
        return answer

    def list_functions(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListFunctions, paged by Marker and MaxItems."""
        functions = [function_configuration(f) for f in self.functions.all()]
        marker, size = params.get("Marker") or "0", params.get("MaxItems", 50)
        if not marker.isdigit():
            raise AwsError("InvalidParameterValueException", f"Marker {marker!r} is not one this API returned")
        if not 1 <= size <= 10000:
            raise AwsError("InvalidParameterValueException", f"MaxItems {size!r} must be between 1 and 10000")
        start = int(marker)
        body: dict[str, Any] = {"Functions": functions[start : start + size]}
        if start + size < len(functions):
            body["NextMarker"] = str(start + size)
        return body

    def get_function(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetFunction."""
        function = self._function(params["FunctionName"], params.get("Qualifier"))
        return {"Configuration": function_configuration(function), "Code": {"RepositoryType": "S3"}}

    def get_function_configuration(self, params: dict[str, Any]) -> dict[str, Any]:
        """GetFunctionConfiguration."""
        return function_configuration(self._function(params["FunctionName"], params.get("Qualifier")))

    def list_event_source_mappings(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListEventSourceMappings, optionally for one function."""
        mappings = self.mappings.all() if self.mappings else []
        wanted = params.get("FunctionName")
        if wanted:
            mappings = [m for m in mappings if m.function.spec.name == self.functions.resolve_name(wanted)]
        return {"EventSourceMappings": [m.describe() for m in mappings]}
