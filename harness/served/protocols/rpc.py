"""The RPC protocols: JSON with X-Amz-Target, and Smithy RPC v2 CBOR (`/service/S/operation/Op`)."""

from __future__ import annotations

import io
import json
import struct
from typing import Any

from botocore import parsers, serialize
from botocore.model import OperationModel, ServiceModel

from harness.served.protocols.base import JsonBodyReader, JsonBodyWriter, MalformedRequest, json_document
from harness.served.service import AwsError
from harness.served.wire import WireRequest, WireResponse, drop_none


class JsonCodec:
    """AWS JSON 1.0 / 1.1: the operation in X-Amz-Target, parameters in a JSON body."""

    name = "json"

    def __init__(self) -> None:
        self._reader = JsonBodyReader()
        self._writer = JsonBodyWriter()

    def operation_name(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The operation after the service's target prefix."""
        prefix, _, operation = (request.target or "").rpartition(".")
        if prefix != model.metadata.get("targetPrefix") or operation not in model.operation_names:
            return None
        return operation

    def parse(self, request: WireRequest, operation: OperationModel) -> dict[str, Any]:
        """The JSON body, read per the input shape."""
        return self._reader.read(json_document(request.body), operation.input_shape)

    def serialize(self, output: dict[str, Any], operation: OperationModel) -> WireResponse:
        """The output as a JSON body."""
        body = self._writer.body(drop_none(output), operation.output_shape)
        return WireResponse(200, {"Content-Type": _content_type(operation.service_model)}, json.dumps(body).encode())

    def error(self, error: AwsError, model: ServiceModel) -> WireResponse:
        """`{"__type": code, "message": ...}` with the code in x-amzn-ErrorType too."""
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        headers = {"Content-Type": _content_type(model), "x-amzn-ErrorType": error.code}
        return WireResponse(error.status, headers, body)


def _content_type(model: ServiceModel) -> str:
    return f"application/x-amz-json-{model.metadata.get('jsonVersion', '1.0')}"


class _CborReader(parsers.RpcV2CBORParser):
    def read(self, body: bytes, shape: Any) -> dict[str, Any]:
        if not body:
            return {}
        try:
            value = self._initial_body_parse(body)
        except Exception as exc:
            raise MalformedRequest(f"the request body is not valid CBOR: {exc}") from None
        if not isinstance(value, dict):
            raise MalformedRequest("the request body must be a CBOR map")
        return (self._parse_shape(shape, value) or {}) if shape is not None else {}


class _CborWriter(serialize.RpcV2CBORSerializer):
    def body(self, value: dict[str, Any], shape: Any) -> bytes:
        if shape is None:
            return b""
        return self._serialize_body_params(value, shape) or b""


def cbor_text_map(values: dict[str, str]) -> bytes:
    """A CBOR map of text to text (enough for an error document)."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        if length < 65536:
            return bytes([major << 5 | 25]) + struct.pack(">H", length)
        return bytes([major << 5 | 26]) + struct.pack(">I", length)

    out = io.BytesIO()
    out.write(head(5, len(values)))
    for key, value in values.items():
        for text in (key, value):
            raw = text.encode()
            out.write(head(3, len(raw)) + raw)
    return out.getvalue()


class CborCodec:
    """Smithy RPC v2 CBOR, which botocore speaks to Textract and CloudWatch."""

    name = "smithy-rpc-v2-cbor"

    def __init__(self) -> None:
        self._reader = _CborReader()
        self._writer = _CborWriter()

    def operation_name(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The operation in `/service/<ServiceName>/operation/<Operation>`."""
        parts = request.path.rstrip("/").split("/")
        if len(parts) < 5 or parts[-4] != "service" or parts[-2] != "operation":
            return None
        operation = parts[-1]
        return operation if operation in model.operation_names else None

    def parse(self, request: WireRequest, operation: OperationModel) -> dict[str, Any]:
        """The CBOR body, read per the input shape."""
        return self._reader.read(request.body, operation.input_shape)

    def serialize(self, output: dict[str, Any], operation: OperationModel) -> WireResponse:
        """The output as a CBOR body."""
        body = self._writer.body(drop_none(output), operation.output_shape)
        return WireResponse(200, {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}, body)

    def error(self, error: AwsError, model: ServiceModel) -> WireResponse:
        """A CBOR map with `__type` and `message`."""
        body = cbor_text_map({"__type": error.code, "message": error.message})
        headers = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
        return WireResponse(error.status, headers, body)
