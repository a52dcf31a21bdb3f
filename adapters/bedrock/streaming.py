"""The events a streaming call sends, derived from the complete response.

Anthropic's stream (InvokeModelWithResponseStream chunks):
https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html
ConverseStream: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_PIECE = re.compile(r"\S+\s*|\s+")


def _pieces(text: str, size: int = 4) -> list[str]:
    words = _PIECE.findall(text)
    return ["".join(words[i : i + size]) for i in range(0, len(words), size)] or [""]


def anthropic_stream(response: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The JSON events of an Anthropic model's stream, one per chunk."""
    usage = response["usage"]
    start = {**response, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {"input_tokens": usage["input_tokens"], "output_tokens": 1}
    yield {"type": "message_start", "message": start}
    for index, block in enumerate(response["content"]):
        if block["type"] == "text":
            yield {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
            for piece in _pieces(block["text"]):
                yield {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}}
        else:
            opening = {**block, "input": {}}
            yield {"type": "content_block_start", "index": index, "content_block": opening}
            partial = json.dumps(block["input"])
            yield {
                "type": "content_block_delta",
                "index": index,
                "delta": {"type": "input_json_delta", "partial_json": partial},
            }
        yield {"type": "content_block_stop", "index": index}
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": response["stop_reason"], "stop_sequence": response["stop_sequence"]},
        "usage": {"output_tokens": usage["output_tokens"]},
    }
    yield {
        "type": "message_stop",
        "amazon-bedrock-invocationMetrics": {
            "inputTokenCount": usage["input_tokens"],
            "outputTokenCount": usage["output_tokens"],
            "invocationLatency": 0,
            "firstByteLatency": 0,
        },
    }


def converse_stream(output: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The ConverseStream events of a Converse response."""
    message = output["output"]["message"]
    yield {"messageStart": {"role": message["role"]}}
    for index, block in enumerate(message["content"]):
        if "toolUse" in block:
            use = block["toolUse"]
            yield {
                "contentBlockStart": {
                    "start": {"toolUse": {"toolUseId": use["toolUseId"], "name": use["name"]}},
                    "contentBlockIndex": index,
                }
            }
            yield {
                "contentBlockDelta": {
                    "delta": {"toolUse": {"input": json.dumps(use["input"])}},
                    "contentBlockIndex": index,
                }
            }
        else:
            for piece in _pieces(block.get("text", "")):
                yield {"contentBlockDelta": {"delta": {"text": piece}, "contentBlockIndex": index}}
        yield {"contentBlockStop": {"contentBlockIndex": index}}
    yield {"messageStop": {"stopReason": output["stopReason"]}}
    yield {"metadata": {"usage": output["usage"], "metrics": output["metrics"]}}
