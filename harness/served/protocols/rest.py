"""The REST protocols (rest-json, rest-xml): operations found by method and path, members by location."""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from botocore import parsers, serialize
from botocore.model import OperationModel, ServiceModel
from botocore.utils import parse_timestamp

from harness.served.protocols.base import JsonBodyReader, JsonBodyWriter, MalformedRequest, json_document
from harness.served.service import AwsError
from harness.served.wire import WireRequest, WireResponse, drop_none


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    required_query: tuple[tuple[str, str | None], ...]
    weight: int
    current: bool  # not deprecated: an old alias of the same route loses to it
    # Required members sent in headers or the query string: all that tells CopyObject (x-amz-copy-source)
    # or UploadPart (partNumber, uploadId) from PutObject, which share its method and path.
    required_headers: tuple[str, ...]
    required_params: tuple[str, ...]


def _compile(operation: OperationModel) -> _Route:
    uri = operation.http.get("requestUri", "/")
    path, _, query = uri.partition("?")
    regex, literal = "", 0
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{"):
            name = piece[1:-1]
            greedy = name.endswith("+")
            regex += f"(?P<{name.rstrip('+')}>{'.+' if greedy else '[^/]+'})"
        else:
            regex += re.escape(piece)
            literal += len(piece)
    required = []
    for pair in filter(None, query.split("&")):
        key, eq, value = pair.partition("=")
        required.append((key, value if eq else None))
    pattern = re.compile(f"^{regex}/?$" if not path.endswith("/") else f"^{regex}$")
    method = operation.http.get("method", "POST")
    return _Route(
        operation.name,
        method,
        pattern,
        tuple(required),
        literal,
        not operation.deprecated,
        _required_in(operation, "header", lower=True),
        _required_in(operation, "querystring"),
    )


def _required_in(operation: OperationModel, location: str, *, lower: bool = False) -> tuple[str, ...]:
    shape = operation.input_shape
    if shape is None:
        return ()
    names = (
        shape.members[name].serialization.get("name", name)
        for name in shape.required_members
        if shape.members[name].serialization.get("location") == location
    )
    return tuple(name.lower() if lower else name for name in names)


@functools.cache
def _routes(model: ServiceModel) -> tuple[_Route, ...]:
    routes = [_compile(model.operation_model(name)) for name in model.operation_names]
    # The most literal path wins, then the one that asks more of the query string, then the one that
    # requires more members in headers and query, then the current one.
    return tuple(
        sorted(
            routes,
            key=lambda r: (
                r.weight,
                len(r.required_query),
                len(r.required_headers) + len(r.required_params),
                r.current,
            ),
            reverse=True,
        )
    )


def match_route(request: WireRequest, model: ServiceModel) -> tuple[str, dict[str, str]] | None:
    """The operation whose method, path and query constraints the request meets, with its path parameters.

    Of routes alike in method, path and query (PutObject, CopyObject, UploadPart), the first whose required
    header and query members the request carries wins; without one, the first alike.
    """
    query = dict(request.query_pairs)
    fallback = None
    for route in _routes(model):
        if route.method != request.method:
            continue
        found = route.pattern.match(request.path)
        if found is None:
            continue
        if any(key not in query or (value is not None and query[key] != value) for key, value in route.required_query):
            continue
        matched = route.operation, {k: unquote(v) for k, v in found.groupdict().items()}
        if all(request.headers.get(name) is not None for name in route.required_headers) and all(
            name in query for name in route.required_params
        ):
            return matched
        fallback = fallback or matched
    return fallback


def _scalar(shape: Any, text: str) -> Any:
    kind = shape.type_name
    try:
        if kind in {"integer", "long"}:
            return int(text)
        if kind in {"float", "double"}:
            return float(text)
        if kind == "boolean":
            if text.lower() not in {"true", "false"}:
                raise ValueError(text)
            return text.lower() == "true"
        if kind == "timestamp":
            return parse_timestamp(text)
        if kind == "blob":
            return base64.b64decode(text)
    except (ValueError, TypeError) as exc:
        raise AwsError("ValidationException", f"{shape.name} value {text!r} is not a valid {kind}") from exc
    if kind == "string" and shape.serialization.get("jsonvalue"):
        return json.loads(base64.b64decode(text))
    return text


class _XmlReader(parsers.RestXMLParser):
    def read(self, body: bytes, shape: Any) -> Any:
        try:
            root = self._parse_xml_string_to_dom(body)
        except Exception as exc:
            raise MalformedRequest(f"the request body is not valid XML: {exc}") from None
        return self._parse_shape(shape, root)


class _XmlWriter(serialize.RestXMLSerializer):
    def document(self, value: dict[str, Any], shape: Any, root: str) -> bytes:
        element = ElementTree.Element(root)
        xmlns = shape.serialization.get("xmlNamespace", {}).get("uri")
        if xmlns:
            element.set("xmlns", xmlns)
        for name, item in value.items():
            member = shape.members[name]
            self._serialize(member, item, element, member.serialization.get("name", name))
        return ElementTree.tostring(element, encoding="utf-8")


class RestCodec:
    """rest-json and rest-xml: the route picks the operation; path, query, headers and body hold members."""

    def __init__(self, *, xml: bool) -> None:
        self.xml = xml
        self.name = "rest-xml" if xml else "rest-json"
        self._json_reader = JsonBodyReader()
        self._json_writer = JsonBodyWriter()
        self._header_writer = serialize.RestJSONSerializer()
        self._xml_reader = _XmlReader()
        self._xml_writer = _XmlWriter()

    def operation_name(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The operation whose route the request matches."""
        found = match_route(request, model)
        return found[0] if found else None

    def parse(self, request: WireRequest, operation: OperationModel) -> dict[str, Any]:
        """Members from the path, the query string, the headers and the body."""
        shape = operation.input_shape
        if shape is None:
            return {}
        found = match_route(request, operation.service_model)
        path_params = found[1] if found and found[0] == operation.name else {}
        query = request.query_pairs
        params: dict[str, Any] = {}
        body_members = {}
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "uri":
                if wire_name in path_params:
                    params[name] = _scalar(member, path_params[wire_name])
            elif location == "querystring":
                self._from_query(params, name, member, wire_name, query)
            elif location == "header":
                value = request.headers.get(wire_name)
                if value is not None:
                    params[name] = self._header_value(member, value)
            elif location == "headers":
                prefix = wire_name.lower()
                mapped = {k[len(prefix) :]: v for k, v in request.headers.items() if k.startswith(prefix)}
                if mapped:
                    params[name] = mapped
            else:
                body_members[name] = member
        payload = shape.serialization.get("payload")
        if payload:
            member = shape.members[payload]
            if member.type_name in {"blob", "string"}:
                if request.body:
                    params[payload] = request.body if member.type_name == "blob" else request.body.decode()
            elif request.body.strip():
                params[payload] = self._document(request.body, member)
        elif body_members and request.body.strip():
            parsed = self._document(request.body, shape)
            params.update({k: v for k, v in parsed.items() if k in body_members})
        return params

    def _document(self, body: bytes, shape: Any) -> Any:
        if self.xml:
            return self._xml_reader.read(body, shape)
        return self._json_reader.read(json_document(body), shape)

    @staticmethod
    def _from_query(
        params: dict[str, Any], name: str, member: Any, wire_name: str, query: list[tuple[str, str]]
    ) -> None:
        if member.type_name == "list":
            values = [v for k, v in query if k == wire_name]
            if values:
                params[name] = [_scalar(member.member, v) for v in values]
        elif member.type_name == "map":
            params[name] = dict(query)
        else:
            for key, value in query:
                if key == wire_name:
                    params[name] = _scalar(member, value)
                    break

    @staticmethod
    def _header_value(member: Any, value: str) -> Any:
        if member.type_name == "list":
            return [_scalar(member.member, part.strip()) for part in value.split(",")]
        return _scalar(member, value)

    def serialize(self, output: dict[str, Any], operation: OperationModel) -> WireResponse:
        """Status, header members, and the payload member or the remaining members as the body."""
        output = dict(output)
        shape = operation.output_shape
        status = int(operation.http.get("responseCode", 200))
        headers: dict[str, str] = {"Content-Type": "application/xml" if self.xml else "application/json"}
        if shape is None:
            return WireResponse(status, headers, b"" if self.xml else b"{}")
        body_values: dict[str, Any] = {}
        stream: Iterable[bytes] | None = None
        for name, value in list(output.items()):
            if value is None:
                continue
            member = shape.members.get(name)
            if member is None:
                continue
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "statusCode":
                status = int(value)
            elif location == "header":
                headers[wire_name] = self._header_writer._convert_header_value(member, value)
            elif location == "headers":
                headers.update({f"{wire_name}{k}": str(v) for k, v in value.items()})
            else:
                body_values[name] = value
        payload = shape.serialization.get("payload")
        body: bytes | Iterable[bytes] = b""
        if payload:
            member = shape.members[payload]
            value = body_values.get(payload)
            if member.serialization.get("eventstream"):
                from harness.served.event_stream import encode_stream

                headers["Content-Type"] = "application/vnd.amazon.eventstream"
                stream = encode_stream(value or (), member)
            elif member.type_name == "blob":
                body = value if isinstance(value, bytes) else (value or b"")
            elif member.type_name == "string":
                body = (value or "").encode()
            elif value is not None:
                body = self._structure(value, member, member.serialization.get("name", payload))
        elif body_values or not self.xml:
            body = self._structure(body_values, shape, shape.serialization.get("name") or shape.name)
        return WireResponse(status, headers, stream if stream is not None else body)

    def _structure(self, value: dict[str, Any], shape: Any, root: str) -> bytes:
        value = drop_none(value)
        if self.xml:
            return self._xml_writer.document(value, shape, root)
        return json.dumps(self._json_writer.body(value, shape)).encode()

    def error(self, error: AwsError, model: ServiceModel) -> WireResponse:
        """rest-json: the code in x-amzn-ErrorType and the body; rest-xml: an <Error> document."""
        if self.xml:
            root = ElementTree.Element("Error")
            for tag, text in (("Code", error.code), ("Message", error.message)):
                ElementTree.SubElement(root, tag).text = text
            body = ElementTree.tostring(root, encoding="utf-8")
            return WireResponse(error.status, {"Content-Type": "application/xml"}, body)
        kind = "User" if error.status < 500 else "Service"
        body = json.dumps({"Type": kind, "__type": error.code, "message": error.message, "Message": error.message})
        body = body.encode()
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": error.code}
        return WireResponse(error.status, headers, body)
