"""The Lambda API, served by the harness on loopback so boto3 and the AWS CLI reach in-process functions.

Covers Invoke (RequestResponse, Event, DryRun), ListFunctions, GetFunction, GetFunctionConfiguration and
ListEventSourceMappings, with Lambda's REST paths, headers and error shapes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from harness.event_sources.manager import EventSourceManager
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionNotFound, FunctionRegistry
from harness.functions.runtime import FunctionRuntime
from harness.served_api import ServedApi

_ROUTES = Map(
    [
        Rule("/2015-03-31/functions/<name>/invocations", methods=["POST"], endpoint="invoke"),
        Rule("/2015-03-31/functions/", methods=["GET"], endpoint="list_functions"),
        Rule("/2015-03-31/functions", methods=["GET"], endpoint="list_functions"),
        Rule("/2015-03-31/functions/<name>", methods=["GET"], endpoint="get_function"),
        Rule("/2015-03-31/functions/<name>/configuration", methods=["GET"], endpoint="get_configuration"),
        Rule("/2015-03-31/event-source-mappings/", methods=["GET"], endpoint="list_mappings"),
        Rule("/2015-03-31/event-source-mappings", methods=["GET"], endpoint="list_mappings"),
    ],
    strict_slashes=False,
)


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


def _error(status: int, error_type: str, message: str) -> Response:
    body = json.dumps({"Type": "User", "Message": message, "message": message, "__type": error_type})
    return Response(body, status=status, headers={"x-amzn-ErrorType": error_type}, content_type="application/json")


class LambdaApi(ServedApi):
    """The Lambda API for one account's functions, served on loopback.

    Example:
        >>> api = LambdaApi(registry, mappings, async_invoker).start()  # doctest: +SKIP
        >>> boto3.client("lambda", endpoint_url=api.url).list_functions()  # doctest: +SKIP
    """

    thread_name = "lambda-api"

    def __init__(
        self,
        functions: FunctionRegistry,
        mappings: EventSourceManager | None,
        async_invoker: AsyncInvoker,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.functions = functions
        self.mappings = mappings
        self.async_invoker = async_invoker
        super().__init__(host, port)

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The WSGI entry point."""
        request = Request(environ)
        try:
            endpoint, args = _ROUTES.bind_to_environ(environ).match()
            response = getattr(self, f"_{endpoint}")(request, **args)
        except FunctionNotFound as exc:
            response = _error(404, "ResourceNotFoundException", str(exc))
        except Exception as exc:
            code = getattr(exc, "code", None)
            if isinstance(code, int) and code in {404, 405}:
                response = _error(code, "UnknownOperationException", f"{request.method} {request.path} is not served")
            else:
                response = _error(500, "ServiceException", f"{type(exc).__name__}: {exc}")
        return response(environ, start_response)

    def _invoke(self, request: Request, name: str) -> Response:
        function = self.functions.get(name)
        qualifier = request.args.get("Qualifier")
        if qualifier not in (None, "$LATEST"):
            return _error(404, "ResourceNotFoundException", f"Function not found: {function.arn}:{qualifier}")
        raw = request.get_data() or b"{}"
        try:
            event = json.loads(raw)
        except ValueError:
            return _error(400, "InvalidRequestContentException", "Could not parse request body into json")
        kind = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if kind == "DryRun":
            return Response(status=204)
        if kind == "Event":
            self.async_invoker.submit(function, event)
            return Response(status=202)
        if kind != "RequestResponse":
            return _error(400, "InvalidParameterValueException", f"X-Amz-Invocation-Type {kind!r} is not valid")
        result = function.invoke(event)
        headers = {"X-Amz-Executed-Version": "$LATEST"}
        if result.function_error:
            headers["X-Amz-Function-Error"] = result.function_error
        if request.headers.get("X-Amz-Log-Type") == "Tail":
            tail = result.log.framed().encode()[-4096:]
            headers["X-Amz-Log-Result"] = base64.b64encode(tail).decode()
        return Response(result.body(), status=200, headers=headers, content_type="application/json")

    def _list_functions(self, request: Request) -> Response:
        functions = [function_configuration(f) for f in self.functions.all()]
        marker, max_items = request.args.get("Marker") or "0", request.args.get("MaxItems") or "50"
        if not marker.isdigit():
            return _error(400, "InvalidParameterValueException", f"Marker {marker!r} is not one this API returned")
        if not max_items.isdigit() or not 1 <= int(max_items) <= 10000:
            return _error(400, "InvalidParameterValueException", f"MaxItems {max_items!r} must be between 1 and 10000")
        start, size = int(marker), int(max_items)
        page = functions[start : start + size]
        body: dict[str, Any] = {"Functions": page}
        if start + size < len(functions):
            body["NextMarker"] = str(start + size)
        return Response(json.dumps(body), content_type="application/json")

    def _get_function(self, request: Request, name: str) -> Response:
        function = self.functions.get(name)
        body = {
            "Configuration": function_configuration(function),
            "Code": {"RepositoryType": "S3", "Location": f"{self.url}/code/{function.spec.name}"},
        }
        return Response(json.dumps(body), content_type="application/json")

    def _get_configuration(self, request: Request, name: str) -> Response:
        return Response(json.dumps(function_configuration(self.functions.get(name))), content_type="application/json")

    def _list_mappings(self, request: Request) -> Response:
        mappings = self.mappings.all() if self.mappings else []
        wanted = request.args.get("FunctionName")
        if wanted:
            mappings = [m for m in mappings if m.function.spec.name == self.functions.resolve_name(wanted)]
        return Response(
            json.dumps({"EventSourceMappings": [m.describe() for m in mappings]}), content_type="application/json"
        )
