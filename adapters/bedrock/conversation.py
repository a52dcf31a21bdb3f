"""Reading an Anthropic Messages conversation and shaping the model's reply as Bedrock returns it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from adapters.bedrock.text import token_count


def blocks(content: Any) -> list[dict[str, Any]]:
    """A message's content as a list of blocks (a plain string is one text block)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return list(content or [])


def text_of(content: Any) -> str:
    """The text blocks of a message's content (or a tool result's), joined by blank lines."""
    return "\n\n".join(b["text"] for b in blocks(content) if b.get("type") == "text")


def system_text(body: dict[str, Any]) -> str:
    """The system prompt of a request as one text."""
    system = body.get("system")
    return system if isinstance(system, str) else text_of(system or [])


def digest(value: Any, size: int = 12) -> str:
    """A short, stable hash of a JSON value."""
    raw = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:size]


@dataclass
class Reply:
    """What a model says in one turn: content blocks and why it stopped."""

    content: list[dict[str, Any]] = field(default_factory=list)
    stop_reason: str = "end_turn"
    stop_sequence: str | None = None

    @classmethod
    def text(cls, text: str) -> Reply:
        """A final answer."""
        return cls([{"type": "text", "text": text}], "end_turn")

    @classmethod
    def from_value(cls, value: Any) -> Reply:
        """A reply from a scripted value: a Reply, a string, one block, a list of blocks or a response dict."""
        if isinstance(value, Reply):
            return value
        if isinstance(value, str):
            return cls.text(value)
        if isinstance(value, list):
            value = {"content": value}
        if isinstance(value, dict) and "type" in value and "content" not in value:
            value = {"content": [value]}
        if not isinstance(value, dict):
            raise TypeError(f"a scripted reply must be text, a block, a list of blocks or a dict, not {value!r}")
        content = blocks(value.get("content", []))
        uses_tools = any(b.get("type") == "tool_use" for b in content)
        reason = value.get("stop_reason") or ("tool_use" if uses_tools else "end_turn")
        return cls(content, reason, value.get("stop_sequence"))


def tool_use(name: str, tool_input: dict[str, Any], tool_use_id: str | None = None) -> dict[str, Any]:
    """A tool_use block (ids are filled in when the reply is shaped)."""
    block: dict[str, Any] = {"type": "tool_use", "name": name, "input": tool_input}
    if tool_use_id:
        block["id"] = tool_use_id
    return block


def model_name(model_id: str) -> str:
    """The model name Anthropic's responses carry: the model id without its vendor prefix and version."""
    name = model_id.split("/")[-1]
    for prefix in ("us.", "eu.", "apac.", "global."):
        name = name.removeprefix(prefix)
    name = name.removeprefix("anthropic.")
    return name.rsplit("-v", 1)[0] if "-v" in name else name


def message_response(model_id: str, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """The InvokeModel response body of an Anthropic model for a reply, honouring max_tokens and stop_sequences."""
    key = digest([model_id, body.get("messages"), body.get("system"), body.get("tools")], 22)
    content, stop_reason, stop_sequence = _limited(reply, body)
    for index, block in enumerate(content):
        if block.get("type") == "tool_use" and not block.get("id"):
            block["id"] = f"toolu_bdrk_01{digest([key, index], 22)}"
    output = sum(token_count(b["text"]) if b["type"] == "text" else token_count(json.dumps(b)) for b in content)
    return {
        "id": f"msg_bdrk_01{key}",
        "type": "message",
        "role": "assistant",
        "model": model_name(model_id),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "usage": {"input_tokens": prompt_tokens(body), "output_tokens": max(output, 1)},
    }


def prompt_tokens(body: dict[str, Any]) -> int:
    """An estimate of a request's input tokens."""
    parts = [system_text(body), json.dumps(body.get("tools") or [])]
    for message in body.get("messages", []):
        for block in blocks(message.get("content")):
            parts.append(block["text"] if block.get("type") == "text" else json.dumps(block))
    return sum(token_count(p) for p in parts if p and p != "[]")


def _limited(reply: Reply, body: dict[str, Any]) -> tuple[list[dict[str, Any]], str, str | None]:
    content = [dict(b) for b in reply.content]
    stops = body.get("stop_sequences") or []
    for i, block in enumerate(content):
        if block.get("type") != "text":
            continue
        hits = [(block["text"].find(s), s) for s in stops if s and s in block["text"]]
        if hits:
            at, sequence = min(hits)
            block["text"] = block["text"][:at]
            return content[: i + 1], "stop_sequence", sequence
    budget = int(body.get("max_tokens") or 0)
    if budget:
        used = 0
        for i, block in enumerate(content):
            cost = token_count(block["text"]) if block.get("type") == "text" else token_count(json.dumps(block))
            if used + cost > budget:
                if block.get("type") == "text":
                    block["text"] = _first_tokens(block["text"], budget - used)
                    return content[: i + 1], "max_tokens", None
                return content[:i], "max_tokens", None
            used += cost
    return content, reply.stop_reason, reply.stop_sequence


def _first_tokens(text: str, count: int) -> str:
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if token_count(" ".join([*kept, word])) > count:
            break
        kept.append(word)
    return " ".join(kept)
