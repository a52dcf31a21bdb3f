"""AWS event-stream framing (`application/vnd.amazon.eventstream`), as botocore's EventStreamBuffer reads it."""

from __future__ import annotations

import binascii
import json
import struct
from collections.abc import Iterable, Iterator
from typing import Any

from harness.served.protocols.base import JsonBodyWriter
from harness.served.wire import drop_none

_STRING = 7


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return struct.pack("B", len(raw_name)) + raw_name + struct.pack(">BH", _STRING, len(raw_value)) + raw_value


def encode_message(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message: prelude with its CRC, string headers, payload, message CRC."""
    encoded_headers = b"".join(_header(k, v) for k, v in headers.items())
    total = 12 + len(encoded_headers) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded_headers))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + encoded_headers + payload
    return message + struct.pack(">I", binascii.crc32(message) & 0xFFFFFFFF)


def encode_event(event: dict[str, Any], stream_shape: Any, writer: JsonBodyWriter | None = None) -> bytes:
    """One event given as `{event_name: members}`, or an exception as `{"__exception__": (code, message)}`."""
    if "__exception__" in event:
        code, message = event["__exception__"]
        headers = {":message-type": "exception", ":exception-type": code, ":content-type": "application/json"}
        return encode_message(headers, json.dumps({"message": message}).encode())
    ((name, members),) = event.items()
    shape = stream_shape.members[name]
    payload_member = next((m for m, s in shape.members.items() if s.serialization.get("eventpayload")), None)
    if payload_member is not None:
        value = members.get(payload_member, b"")
        payload = value if isinstance(value, bytes) else json.dumps(value).encode()
        content_type = "application/octet-stream"
    else:
        payload = json.dumps((writer or JsonBodyWriter()).body(drop_none(members), shape)).encode()
        content_type = "application/json"
    headers = {":event-type": name, ":message-type": "event", ":content-type": content_type}
    return encode_message(headers, payload)


def encode_stream(events: Iterable[dict[str, Any]], stream_shape: Any) -> Iterator[bytes]:
    """Encode events one by one as they come, so the client sees each as soon as it is made."""
    writer = JsonBodyWriter()
    for event in events:
        yield encode_event(event, stream_shape, writer)
