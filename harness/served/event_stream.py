"""AWS event-stream messages (vnd.amazon.eventstream): how streamed operation outputs travel on the wire.

A message is a prelude (total length, headers length, CRC32 of both), headers (name, type, value), a
payload and a CRC32 of everything before it. Each event carries `:message-type` (event or exception),
`:event-type` (the event's member name in the stream shape) and `:content-type`.
https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html
https://smithy.io/2.0/aws/amazon-eventstream.html
"""

from __future__ import annotations

import binascii
import json
import struct
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from botocore.model import Shape
from botocore.serialize import RestJSONSerializer

HeaderValue = str | bytes | bool | int
MAX_PAYLOAD = 16 * 1024**2
MAX_HEADERS = 128 * 1024
_BOOL_TRUE, _BOOL_FALSE, _INT32, _BYTES, _STRING = 0, 1, 4, 6, 7


def _crc(data: bytes, start: int = 0) -> int:
    return binascii.crc32(data, start) & 0xFFFFFFFF


def encode_headers(headers: Mapping[str, HeaderValue]) -> bytes:
    """The header section: for each, name length, name, value type and value."""
    out = bytearray()
    for name, value in headers.items():
        raw_name = name.encode()
        if not 0 < len(raw_name) < 256:
            raise ValueError(f"event-stream header name {name!r} must be 1-255 bytes")
        out += struct.pack(">B", len(raw_name)) + raw_name
        if isinstance(value, bool):
            out += struct.pack(">B", _BOOL_TRUE if value else _BOOL_FALSE)
        elif isinstance(value, int):
            out += struct.pack(">Bi", _INT32, value)
        else:
            raw = value.encode() if isinstance(value, str) else bytes(value)
            if len(raw) > 0xFFFF:
                raise ValueError(f"event-stream header {name!r} is longer than 65535 bytes")
            out += struct.pack(">BH", _STRING if isinstance(value, str) else _BYTES, len(raw)) + raw
    return bytes(out)


def encode_message(headers: Mapping[str, HeaderValue], payload: bytes) -> bytes:
    """One complete event-stream message."""
    raw_headers = encode_headers(headers)
    if len(raw_headers) > MAX_HEADERS:
        raise ValueError(f"event-stream headers of {len(raw_headers)} bytes exceed {MAX_HEADERS}")
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"event-stream payload of {len(payload)} bytes exceeds {MAX_PAYLOAD}")
    total = 12 + len(raw_headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(raw_headers))
    head = prelude + struct.pack(">I", _crc(prelude))
    body = head + raw_headers + payload
    return body + struct.pack(">I", _crc(body))


def event_message(event_type: str, payload: bytes, content_type: str = "application/json") -> bytes:
    """An event message of the given type."""
    headers = {":event-type": event_type, ":content-type": content_type, ":message-type": "event"}
    return encode_message(headers, payload)


def exception_message(exception_type: str, message: str) -> bytes:
    """A modelled error inside a stream (e.g. `modelStreamErrorException`)."""
    headers = {":exception-type": exception_type, ":content-type": "application/json", ":message-type": "exception"}
    return encode_message(headers, json.dumps({"message": message}).encode())


def error_message(code: str, message: str) -> bytes:
    """An unmodelled error that ends a stream."""
    return encode_message({":error-code": code, ":error-message": message, ":message-type": "error"}, b"")


def encode_events(stream_shape: Shape, events: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """The messages for a served operation's event-stream member: one `{member name: value}` per event."""
    for event in events:
        if len(event) != 1:
            raise ValueError(f"an event names exactly one member of {stream_shape.name}, not {sorted(event)}")
        ((name, value),) = event.items()
        member = stream_shape.members.get(name)
        if member is None:
            raise ValueError(f"{stream_shape.name} has no event {name!r}; it has {sorted(stream_shape.members)}")
        if member.metadata.get("exception"):
            yield exception_message(name, str((value or {}).get("message", "")))
            continue
        yield _event(name, member, value or {})


def _event(name: str, shape: Shape, value: Mapping[str, Any]) -> bytes:
    headers: dict[str, HeaderValue] = {":event-type": name, ":message-type": "event"}
    body: dict[str, Any] = {}
    payload: bytes | None = None
    content_type = "application/json"
    for key, item in value.items():
        member = shape.members.get(key)
        if member is None:
            raise ValueError(f"event {name} has no member {key!r}")
        if member.serialization.get("eventheader"):
            headers[key] = item
        elif member.serialization.get("eventpayload"):
            if member.type_name == "blob":
                payload, content_type = bytes(item), "application/octet-stream"
            elif member.type_name == "string":
                payload, content_type = str(item).encode(), "text/plain"
            else:
                payload = _json(member, item)
        else:
            body[key] = item
    headers[":content-type"] = content_type
    return encode_message(headers, payload if payload is not None else _json(shape, body))


def _json(shape: Shape, value: Mapping[str, Any]) -> bytes:
    serialized = RestJSONSerializer()._serialize_body_params(dict(value), shape)
    return serialized if isinstance(serialized, bytes) else serialized.encode()
