"""The event-stream encoder, read back by botocore's own parser.

https://docs.aws.amazon.com/transcribe/latest/dg/event-stream.html
"""

from __future__ import annotations

import json

import pytest
from botocore.eventstream import ChecksumMismatch, EventStream, EventStreamBuffer
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamJSONParser

from harness.served.event_stream import encode_event, encode_message, encode_stream
from harness.served.shapes import operation_model


def event_message(event_type: str, payload: bytes) -> bytes:
    return encode_message(
        {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"}, payload
    )


def parsed(data: bytes) -> list:
    buffer = EventStreamBuffer()
    buffer.add_data(data)
    return list(buffer)


def stream_of(operation: str, member: str):
    return operation_model("bedrock-runtime", operation).output_shape.members[member]


class RawStream:
    """What botocore reads an HTTP response body through."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self):
        for i in range(0, len(self.data), 7):  # awkward chunk sizes: messages split across reads
            yield self.data[i : i + 7]

    def close(self) -> None:
        pass


def decoded(operation: str, member: str, data: bytes) -> list[dict]:
    return list(EventStream(RawStream(data), stream_of(operation, member), EventStreamJSONParser(), operation))


def test_a_message_carries_its_headers_and_payload_through_the_prelude_and_crcs():
    (message,) = parsed(event_message("chunk", b'{"bytes": "e30="}'))

    assert message.headers == {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"}
    assert message.payload == b'{"bytes": "e30="}'
    assert message.prelude.total_length == len(event_message("chunk", b'{"bytes": "e30="}'))


def test_several_messages_in_one_buffer_come_back_in_order():
    data = b"".join(event_message(f"e{i}", json.dumps({"i": i}).encode()) for i in range(5))

    assert [json.loads(m.payload)["i"] for m in parsed(data)] == [0, 1, 2, 3, 4]


def test_a_corrupted_message_fails_botocore_s_crc_check():
    data = bytearray(event_message("chunk", b"{}"))
    data[-5] ^= 0xFF

    with pytest.raises(ChecksumMismatch):
        parsed(bytes(data))


def test_invoke_model_chunks_decode_to_their_bytes():
    events = [{"chunk": {"bytes": json.dumps({"type": "message_start"}).encode()}}, {"chunk": {"bytes": b"{}"}}]

    data = b"".join(encode_stream(events, stream_of("InvokeModelWithResponseStream", "body")))

    assert decoded("InvokeModelWithResponseStream", "body", data) == events


def test_converse_stream_events_decode_to_the_same_dicts():
    events = [
        {"messageStart": {"role": "assistant"}},
        {"contentBlockDelta": {"delta": {"text": "Hello"}, "contentBlockIndex": 0}},
        {"contentBlockStop": {"contentBlockIndex": 0}},
        {"messageStop": {"stopReason": "end_turn"}},
        {"metadata": {"usage": {"inputTokens": 3, "outputTokens": 1, "totalTokens": 4}, "metrics": {"latencyMs": 0}}},
    ]

    data = b"".join(encode_stream(events, stream_of("ConverseStream", "stream")))

    assert decoded("ConverseStream", "stream", data) == events


def test_a_modelled_exception_in_the_stream_is_raised_by_botocore_with_its_message():
    data = encode_event({"__exception__": ("modelStreamErrorException", "the model stopped")}, None)

    with pytest.raises(EventStreamError, match="the model stopped"):
        decoded("InvokeModelWithResponseStream", "body", data)
