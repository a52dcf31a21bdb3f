"""One endpoint for every AWS service: the operations the harness owns are answered here, the rest go on.

A request is matched to a service by its SigV4 signing name (or, unsigned, by X-Amz-Target, the
CBOR path or the REST route, as AWS's own endpoints tell services apart), then to an operation by its
protocol. An operation some served API handles is parsed, answered and serialized here; anything else
reaches the backend unchanged. A service served `exclusive` (Lambda: its functions live only in the
harness) answers an operation it does not serve with an error that names it, instead of passing it on.
"""

from __future__ import annotations

import http
import json
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from botocore.exceptions import ClientError
from botocore.model import ServiceModel
from botocore.validate import ParamValidator
from werkzeug.wsgi import get_input_stream

from harness.served.forwarder import BackendForwarder
from harness.served.protocols import Codec, codec_for
from harness.served.service import AwsError, Forward, ForwardOutcome, Operation, ServedService
from harness.served.shapes import ShapeMismatch, check_output, service_model
from harness.served.wire import Headers, WireRequest, WireResponse

HEALTH_PATH = "/_harness/health"
HARNESS_PREFIX = "/_harness/"  # the harness's own pages (the console), never an AWS API
_log = logging.getLogger(__name__)


@dataclass
class _Served:
    api: ServedService
    model: ServiceModel
    operations: dict[str, Operation]
    exclusive: bool

    @property
    def protocols(self) -> list[str]:
        return list(self.model.metadata.get("protocols") or [self.model.protocol])


class Gateway:
    """The WSGI app behind the harness's one endpoint.

    Example:
        >>> gateway = Gateway("http://127.0.0.1:5000")  # doctest: +SKIP
        >>> gateway.serve(LambdaApi(...), exclusive=True)  # doctest: +SKIP
        >>> boto3.client("lambda", endpoint_url=server.url).list_functions()  # doctest: +SKIP
    """

    def __init__(self, backend_url: str, *, backend_name: str = "backend", check_shapes: bool = False) -> None:
        self.backend_url = backend_url
        self.backend_name = backend_name
        self.check_shapes = check_shapes
        self.forwarder = BackendForwarder(backend_url)
        self._served: dict[str, _Served] = {}
        self._by_signing: dict[str, list[_Served]] = {}
        self._by_target: dict[str, _Served] = {}
        self.console: Callable[..., Iterable[bytes]] | None = None  # a WSGI app for the rest of HARNESS_PREFIX

    # -- what is served ----------------------------------------------------------------------------
    def serve(self, api: ServedService, *, exclusive: bool = False) -> None:
        """Answer the operations of `api` here (all of the service's, when `exclusive`)."""
        model = service_model(api.service)
        unknown = sorted(set(api.operations()) - set(model.operation_names))
        if unknown:
            raise ValueError(f"{type(api).__name__} serves {unknown}, which {api.service} does not have")
        served = _Served(api, model, dict(api.operations()), exclusive)
        self._served[api.service] = served
        self._by_signing.setdefault(model.signing_name or model.endpoint_prefix, []).append(served)
        if model.metadata.get("targetPrefix"):
            self._by_target[model.metadata["targetPrefix"]] = served

    def served_services(self) -> dict[str, list[str]]:
        """Each served service and the operations the harness answers for it."""
        return {name: sorted(s.operations) for name, s in sorted(self._served.items())}

    # -- WSGI --------------------------------------------------------------------------------------
    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """The WSGI entry point."""
        path = environ.get("PATH_INFO") or "/"
        if path == HEALTH_PATH:
            return _send(WireResponse(200, {"Content-Type": "application/json"}, self._health()), start_response)
        if self.console is not None and (path.startswith(HARNESS_PREFIX) or path == HARNESS_PREFIX.rstrip("/")):
            return self.console(environ, start_response)
        headers = Headers(_headers(environ))
        raw_path = _raw_path(environ)
        request = WireRequest(environ["REQUEST_METHOD"], raw_path, environ.get("QUERY_STRING", ""), headers, b"")
        candidates = self._candidates(request)
        if not candidates:
            return self.forwarder(environ, None, start_response)
        request.body = get_input_stream(environ).read()
        for served in candidates:
            codec = codec_for(request, served.protocols)
            operation = codec.operation_name(request, served.model)
            if operation is None:
                continue
            handler = served.operations.get(operation)
            if handler is None:
                if served.exclusive:
                    error = AwsError(
                        "UnknownOperationException",
                        f"the harness does not serve {served.model.service_name} operation {operation}",
                    )
                    return _send(codec.error(error, served.model), start_response)
                return self.forwarder(environ, request.body, start_response)
            response = self._answer(served, codec, operation, handler, request)
            if isinstance(response, Forward):
                return self._forward(environ, request.body, start_response, response)
            return _send(response, start_response)
        exclusive = next((s for s in candidates if s.exclusive and s.model.signing_name == request.signing_name), None)
        if exclusive is not None:
            codec = codec_for(request, exclusive.protocols)
            error = AwsError(
                "UnknownOperationException",
                f"{request.method} {request.path} is no {exclusive.model.service_name} operation the harness serves",
                404,
            )
            return _send(codec.error(error, exclusive.model), start_response)
        return self.forwarder(environ, request.body, start_response)

    def _candidates(self, request: WireRequest) -> list[_Served]:
        signing = request.signing_name
        if signing is not None:
            return self._by_signing.get(signing, [])
        target = request.target
        if target:
            served = self._by_target.get(target.rpartition(".")[0])
            return [served] if served else []
        parts = request.path.split("/")
        if request.is_cbor and len(parts) > 2 and parts[1] == "service":
            served = self._by_target.get(parts[2])
            return [served] if served else []
        return [s for s in self._served.values() if s.model.protocol.startswith("rest") or s.model.protocol == "query"]

    def _answer(
        self, served: _Served, codec: Codec, operation: str, handler: Operation, request: WireRequest
    ) -> WireResponse | Forward:
        model = served.model
        operation_model = model.operation_model(operation)
        try:
            params = codec.parse(request, operation_model)
            _validate(params, operation_model)
            output = handler(params)
            if isinstance(output, Forward):
                return output
            output = output or {}
            if self.check_shapes:
                check_output(model.service_name, operation, output)
            return codec.serialize(output, operation_model)
        except AwsError as exc:
            return codec.error(exc, model)
        except ClientError as exc:  # the backend's answer to a call a handler made on the caller's behalf
            error = exc.response.get("Error", {})
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
            return codec.error(AwsError(error.get("Code", "ServiceException"), error.get("Message", ""), status), model)
        except ShapeMismatch as exc:
            return codec.error(AwsError("InternalFailure", str(exc), 500), model)
        except Exception as exc:  # a defect must still answer like a service, never drop the connection
            _log.error("%s %s failed:\n%s", model.service_name, operation, traceback.format_exc())
            return codec.error(AwsError("InternalFailure", f"{type(exc).__name__}: {exc}", 500), model)

    def _forward(
        self, environ: dict[str, Any], body: bytes, start_response: Callable[..., Any], forward: Forward
    ) -> Iterable[bytes]:
        """Pass the request on unchanged; a watched one hands the backend's answer to its observer first."""
        if forward.watch is None:
            return self.forwarder(environ, body, start_response)
        answer: dict[str, Any] = {}
        chunks: list[bytes] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer["status"], answer["headers"] = status, headers
            return chunks.append  # WSGI's write(): data before the iterable's

        with forward.watch as observe:
            result = self.forwarder(environ, body, capture)
            try:
                chunks.extend(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            content = b"".join(chunks)
            outcome = ForwardOutcome(
                int(answer["status"].split()[0]), {k.lower(): v for k, v in answer["headers"]}, content
            )
            try:
                observe(outcome)
            except Exception:  # the write happened: the caller gets its answer whatever the observer did
                _log.error(
                    "observing %s %s failed:\n%s",
                    environ.get("REQUEST_METHOD"),
                    environ.get("PATH_INFO"),
                    traceback.format_exc(),
                )
        start_response(answer["status"], answer["headers"])
        return [content]

    def _health(self) -> bytes:
        services = {name: "running (harness)" for name in self._served}
        return json.dumps(
            {
                "status": "running",
                "backend": {"name": self.backend_name, "url": self.backend_url},
                "services": services,
                "served": self.served_services(),
                "forwarded": "every other service and operation goes to the backend unchanged",
            }
        ).encode()

    def close(self) -> None:
        """Release connections to the backend."""
        self.forwarder.close()


def _validate(params: dict[str, Any], operation_model: Any) -> None:
    shape = operation_model.input_shape
    if shape is None:
        return
    report = ParamValidator().validate(params, shape)
    # Ranges and lengths are each operation's own to check, in its service's words; types and
    # required members are what a handler must be able to rely on.
    report._errors = [e for e in report._errors if e[0] not in {"invalid range", "invalid length"}]
    if report.has_errors():
        message = report.generate_report().replace("Parameter validation failed:\n", "")
        raise AwsError("ValidationException", f"{operation_model.name}: {message}")


def _headers(environ: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            yield key[5:].replace("_", "-"), value
    if environ.get("CONTENT_TYPE"):
        yield "content-type", environ["CONTENT_TYPE"]


def _raw_path(environ: dict[str, Any]) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if not raw.startswith("/"):
            raw = "/" + raw.split("://", 1)[-1].split("/", 1)[-1]
        return raw.split("?", 1)[0]
    return quote(environ.get("PATH_INFO") or "/", safe="/")


def _send(response: WireResponse, start_response: Callable[..., Any]) -> Iterable[bytes]:
    try:
        reason = http.HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    body = response.body
    headers = dict(response.headers)
    if isinstance(body, bytes):
        headers["Content-Length"] = str(len(body))
        start_response(f"{response.status} {reason}", list(headers.items()))
        return [body]
    start_response(f"{response.status} {reason}", list(headers.items()))
    return body
