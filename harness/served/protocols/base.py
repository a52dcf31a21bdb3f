"""What every protocol codec does, and botocore's own parsers and serializers turned around.

botocore serializes requests (input shapes) and parses responses (output shapes). A server needs the
reverse; for the body formats the two directions are the same walk over a shape, so the codecs reuse
botocore's walkers: its JSON/CBOR *parsers* read request bodies and its *serializers* write responses.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from typing import Any, Protocol

from botocore import parsers, serialize
from botocore.model import OperationModel, ServiceModel

from harness.served.service import AwsError
from harness.served.wire import WireRequest, WireResponse


class Codec(Protocol):
    """Reads one protocol's requests and writes its responses and errors."""

    name: str

    def operation_name(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The operation the request names, or None when it names none of the model's."""
        ...

    def parse(self, request: WireRequest, operation: OperationModel) -> dict[str, Any]:
        """The request's input parameters, as a boto3 client would have passed them."""
        ...

    def serialize(self, output: dict[str, Any], operation: OperationModel) -> WireResponse:
        """The operation's answer on the wire."""
        ...

    def error(self, error: AwsError, model: ServiceModel) -> WireResponse:
        """An error on the wire, as this protocol's clients parse it."""
        ...


class MalformedRequest(AwsError):
    """The request cannot be read at all."""

    def __init__(self, message: str) -> None:
        super().__init__("SerializationException", message, 400)


def _epoch(value: Any) -> float | int:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        seconds = calendar.timegm(value.utctimetuple()) + value.microsecond / 1e6
        return int(seconds) if seconds == int(seconds) else round(seconds, 3)
    return value


class JsonBodyWriter(serialize.JSONSerializer):
    """botocore's JSON serializer, keeping fractions of a second in epoch timestamps."""

    def _timestamp_unixtimestamp(self, value: Any) -> float | int:
        return _epoch(value)

    def body(self, value: dict[str, Any], shape: Any) -> dict[str, Any]:
        """The JSON document of `value` per `shape`."""
        out: dict[str, Any] = {}
        if shape is not None:
            self._serialize(out, value, shape)
        return out


class JsonBodyReader(parsers.BaseJSONParser):
    """botocore's JSON parser, used on request bodies."""

    def read(self, value: Any, shape: Any) -> dict[str, Any]:
        """The parameters of a decoded JSON body per `shape`."""
        if shape is None:
            return {}
        return self._parse_shape(shape, value) or {}


def json_document(body: bytes) -> dict[str, Any]:
    """A request body that must be one JSON object ({} when empty)."""
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedRequest(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise MalformedRequest("the request body must be a JSON object")
    return document
