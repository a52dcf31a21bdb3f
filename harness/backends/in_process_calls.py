"""The harness's own calls to the embedded backend, made without HTTP: botocore's serializer and parser around moto.

A poller reads its source many times per event (GetRecords, ReceiveMessage). Through a boto3 client each
read resolves an endpoint, signs the request, builds a WSGI request from it and parses the answer, which
costs about twice what the emulator's handler does. An `InProcessClient` serializes the parameters with
the client's own serializer (validation included), hands the request straight to the emulator's app, and
parses the answer with the client's own parser, emitting the client's parameter and `after-call` events
around it. The emulator handles the same body and headers, so it answers as over the wire. Only
JSON-protocol services qualify (Kinesis, DynamoDB, DynamoDB Streams, SQS); the emulator checks no
signature, so none is computed, but the credential scope that selects the account and region is sent.

Given the account, the reads pollers make most (`moto_reads.READS`) skip the app as well: they are taken
from moto's models and shaped as the parser would give them; a read moto cannot answer that way goes to
the app, which answers it, or its error, as usual.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.validate import validate_parameters

from harness.backends import in_process, moto_reads

if TYPE_CHECKING:
    from harness.backends.base import Credentials

PROTOCOLS = frozenset({"json"})
_DATE = "20260101"  # the credential scope's date; the emulator reads the access key and region from it


def supports(client: Any) -> bool:
    """True when `client`'s service speaks a protocol an `InProcessClient` serializes and parses."""
    return client.meta.service_model.protocol in PROTOCOLS


class InProcessClient:
    """The operations of one boto3 client, called straight into the embedded backend's app in this process.

    Methods have the client's names and answers, and raise the client's exceptions:

        >>> reader = InProcessClient(account.client("kinesis"), account.credentials)  # doctest: +SKIP
        >>> reader.get_records(ShardIterator=iterator, Limit=100)["Records"]  # doctest: +SKIP
    """

    def __init__(self, client: Any, credentials: Credentials, account_id: str | None = None) -> None:
        meta = client.meta
        if not supports(client):
            raise ValueError(f"{meta.service_model.service_name} speaks {meta.service_model.protocol}, not JSON")
        app = in_process.app_for(meta.endpoint_url)
        if app is None:
            raise ValueError(f"{meta.endpoint_url} is not an endpoint served in this process")
        self.client = client
        self._app = app
        self._service_id = meta.service_model.service_id.hyphenize()
        self._serializer = create_serializer(meta.service_model.protocol, include_validation=True)
        self._parser = create_parser(meta.service_model.protocol)
        netloc = urlsplit(meta.endpoint_url).netloc
        host, _, port = netloc.partition(":")
        scope = f"{credentials.access_key_id}/{_DATE}/{meta.region_name}/{meta.service_model.signing_name}"
        self._environ = {
            "SERVER_NAME": host,
            "SERVER_PORT": port or "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": netloc,
            "REMOTE_ADDR": "127.0.0.1",
            "QUERY_STRING": "",
            "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential={scope}/aws4_request, SignedHeaders=host, Signature=0",
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if credentials.session_token:
            self._environ["HTTP_X_AMZ_SECURITY_TOKEN"] = credentials.session_token
        self._operations = meta.method_to_api_mapping
        # Reads taken from moto's models need to know the account; without it every call goes through the app.
        service = meta.service_model.service_name
        self._model_reads = (
            {op: read for (name, op), read in moto_reads.READS.items() if name == service} if account_id else {}
        )
        self._account_id = account_id or ""

    def __getattr__(self, name: str) -> Callable[..., dict[str, Any]]:
        operation = self._operations.get(name)
        if operation is None:
            return getattr(self.client, name)  # `exceptions`, `meta` and the like
        return lambda **params: self.call(operation, params)

    def call(self, operation_name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Make one call; the parsed answer, or the client's exception for an error answer."""
        model = self.client.meta.service_model.operation_model(operation_name)
        events = self.client.meta.events
        context: dict[str, Any] = {"client_region": self.client.meta.region_name}
        replaced = events.emit(
            f"provide-client-params.{self._service_id}.{operation_name}", params=params, model=model, context=context
        )
        params = next((answer for _, answer in replaced if answer is not None), params)
        events.emit(
            f"before-parameter-build.{self._service_id}.{operation_name}", params=params, model=model, context=context
        )
        read = self._model_reads.get(operation_name)
        parsed = self._read_model(read, model, params) if read is not None else None
        if parsed is not None:
            status = 200
        else:
            request = self._serializer.serialize_to_request(params, model)
            status, headers, body = self._send(request)
            parsed = self._parser.parse({"status_code": status, "headers": headers, "body": body}, model.output_shape)
        events.emit(
            f"after-call.{self._service_id}.{operation_name}",
            http_response=None,
            parsed=parsed,
            model=model,
            context=context,
        )
        if status >= 300:
            code = context.get("error_code_override") or parsed.get("Error", {}).get("Code")
            raise self.client.exceptions.from_code(code)(parsed, operation_name)
        return parsed

    def _read_model(self, read: moto_reads.ModelRead, model: Any, params: dict[str, Any]) -> dict[str, Any] | None:
        """The answer taken from moto in process, or None to ask the app (which then answers any error)."""
        validate_parameters(params, model.input_shape)
        try:
            value = read(self._account_id, self.client.meta.region_name, params)
        except moto_reads.Unanswered:
            return None
        answer = moto_reads.as_parsed(model.output_shape, value)
        answer["ResponseMetadata"] = {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}
        return answer

    def _send(self, request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        body = request["body"]
        body = body.encode() if isinstance(body, str) else bytes(body)
        environ = dict(self._environ)
        environ.update(
            {
                "REQUEST_METHOD": request["method"],
                "PATH_INFO": request["url_path"] or "/",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": io.StringIO(),
            }
        )
        for name, value in request["headers"].items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

        chunks = self._app(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        return answer["status"], {name.lower(): value for name, value in answer["headers"]}, content
