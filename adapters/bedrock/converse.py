"""The Converse API in terms of the Anthropic Messages body, and back.

https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
"""

from __future__ import annotations

import json
from typing import Any

from adapters.bedrock.errors import InvalidRequest
from adapters.bedrock.models import Model
from adapters.bedrock.requests import ANTHROPIC_VERSION

UNSUPPORTED = "This action doesn't support the model that you provided. Try again with a supported text or chat model."
_STOP_REASONS = {"end_turn", "tool_use", "max_tokens", "stop_sequence"}


def messages_body(model: Model, request: dict[str, Any]) -> dict[str, Any]:
    """The Anthropic Messages body that says what a Converse request says."""
    if model.kind != "messages":
        raise InvalidRequest(UNSUPPORTED)
    config = request.get("inferenceConfig") or {}
    body: dict[str, Any] = {
        "anthropic_version": ANTHROPIC_VERSION,
        "max_tokens": config.get("maxTokens", model.max_output_tokens),
        "messages": [_message(m, i) for i, m in enumerate(request.get("messages") or [])],
    }
    system = [s["text"] for s in request.get("system") or [] if "text" in s]
    if system:
        body["system"] = "\n".join(system)
    for source, target in (("temperature", "temperature"), ("topP", "top_p"), ("stopSequences", "stop_sequences")):
        if source in config:
            body[target] = config[source]
    tool_config = request.get("toolConfig")
    if tool_config:
        body["tools"] = [_tool(t, i) for i, t in enumerate(tool_config.get("tools") or [])]
        choice = tool_config.get("toolChoice") or {}
        if "any" in choice:
            body["tool_choice"] = {"type": "any"}
        elif "tool" in choice:
            body["tool_choice"] = {"type": "tool", "name": choice["tool"]["name"]}
    return body


def _message(message: dict[str, Any], index: int) -> dict[str, Any]:
    content = []
    for j, block in enumerate(message.get("content") or []):
        if "text" in block:
            content.append({"type": "text", "text": block["text"]})
        elif "toolUse" in block:
            use = block["toolUse"]
            content.append({"type": "tool_use", "id": use["toolUseId"], "name": use["name"], "input": use["input"]})
        elif "toolResult" in block:
            result = block["toolResult"]
            parts = []
            for part in result.get("content") or []:
                if "json" in part:
                    parts.append({"type": "text", "text": json.dumps(part["json"])})
                elif "text" in part:
                    parts.append({"type": "text", "text": part["text"]})
            converted = {"type": "tool_result", "tool_use_id": result["toolUseId"], "content": parts}
            if result.get("status") == "error":
                converted["is_error"] = True
            content.append(converted)
        else:
            kind = next(iter(block), "empty")
            raise InvalidRequest(f"messages.{index}.content.{j}: the local model does not take {kind} content blocks")
    return {"role": message.get("role"), "content": content}


def _tool(tool: dict[str, Any], index: int) -> dict[str, Any]:
    spec = tool.get("toolSpec")
    if not spec:
        raise InvalidRequest(f"toolConfig.tools.{index}: only toolSpec tools are supported")
    return {
        "name": spec["name"],
        "description": spec.get("description", ""),
        "input_schema": spec["inputSchema"]["json"],
    }


def converse_output(response: dict[str, Any]) -> dict[str, Any]:
    """A Converse response for an Anthropic Messages response."""
    content = []
    for block in response["content"]:
        if block["type"] == "text":
            content.append({"text": block["text"]})
        elif block["type"] == "tool_use":
            content.append({"toolUse": {"toolUseId": block["id"], "name": block["name"], "input": block["input"]}})
    usage = response["usage"]
    reason = response["stop_reason"] if response["stop_reason"] in _STOP_REASONS else "end_turn"
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": reason,
        "usage": {
            "inputTokens": usage["input_tokens"],
            "outputTokens": usage["output_tokens"],
            "totalTokens": usage["input_tokens"] + usage["output_tokens"],
        },
        "metrics": {"latencyMs": 0},
    }
