"""The request bodies InvokeModel takes, checked as Bedrock checks them.

Titan Text Embeddings V2: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
Anthropic Messages: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from adapters.bedrock.errors import InvalidRequest
from adapters.bedrock.models import Model
from adapters.bedrock.text import token_count

ANTHROPIC_VERSION = "bedrock-2023-05-31"
_TOOL_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_BLOCK_TYPES = {"text", "image", "document", "tool_use", "tool_result"}


def malformed(path: str, problem: str) -> InvalidRequest:
    """Bedrock's message for a body that does not fit the model's schema."""
    return InvalidRequest(f"Malformed input request: {path}: {problem}, please reformat your input and try again.")


def parse_body(body: bytes | str) -> dict[str, Any]:
    """The JSON object of an InvokeModel body."""
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidRequest(f"Malformed input request: the body is not valid JSON ({exc}).") from None
    if not isinstance(parsed, dict):
        raise malformed("#", f"expected type: JSONObject, found: {_type_name(parsed)}")
    return parsed


def _type_name(value: Any) -> str:
    return {
        bool: "Boolean",
        int: "Integer",
        float: "Number",
        str: "String",
        list: "JSONArray",
        dict: "JSONObject",
        type(None): "Null",
    }.get(type(value), type(value).__name__)


def _expect(value: Any, kind: type | tuple[type, ...], path: str, name: str) -> None:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise malformed(path, f"expected type: {name}, found: Boolean")
    if not isinstance(value, kind):
        raise malformed(path, f"expected type: {name}, found: {_type_name(value)}")


def _only(body: dict[str, Any], allowed: set[str], path: str = "#") -> None:
    extra = sorted(set(body) - allowed)
    if extra:
        raise malformed(path, f"extraneous key [{extra[0]}] is not permitted")


def _required(body: dict[str, Any], key: str, path: str = "#") -> Any:
    if key not in body:
        raise malformed(path, f"required key [{key}] not found")
    return body[key]


@dataclass(frozen=True)
class EmbeddingRequest:
    """A Titan Text Embeddings request: the text, the vector's size, whether to normalise it."""

    input_text: str
    dimensions: int = 1024
    normalize: bool = True
    embedding_types: tuple[str, ...] = ("float",)

    def body(self) -> dict[str, Any]:
        """The InvokeModel body for this request."""
        return {
            "inputText": self.input_text,
            "dimensions": self.dimensions,
            "normalize": self.normalize,
            "embeddingTypes": list(self.embedding_types),
        }


def embedding_request(model: Model, body: dict[str, Any]) -> EmbeddingRequest:
    """Check a Titan embeddings body against the model's schema and limits."""
    v2 = len(model.dimensions) > 1
    _only(body, {"inputText", "dimensions", "normalize", "embeddingTypes"} if v2 else {"inputText"})
    text = _required(body, "inputText")
    _expect(text, str, "#/inputText", "String")
    if not text:
        raise malformed("#/inputText", "expected minLength: 1, actual: 0")
    if len(text) > model.max_input_chars:
        raise malformed("#/inputText", f"expected maxLength: {model.max_input_chars}, actual: {len(text)}")
    count = token_count(text)
    if count > model.max_input_tokens:
        raise InvalidRequest(
            f"400 Bad Request: Too many input tokens. Max input tokens: {model.max_input_tokens}, "
            f"request input token count: {count}"
        )
    dimensions = body.get("dimensions", model.dimensions[0])
    _expect(dimensions, int, "#/dimensions", "Integer")
    if dimensions not in model.dimensions:
        raise malformed("#/dimensions", f"{dimensions} is not a valid enum value")
    normalize = body.get("normalize", True)
    _expect(normalize, bool, "#/normalize", "Boolean")
    types = body.get("embeddingTypes", ["float"])
    _expect(types, list, "#/embeddingTypes", "JSONArray")
    if not types:
        raise malformed("#/embeddingTypes", "expected minimum item count: 1, found: 0")
    for i, kind in enumerate(types):
        if kind not in ("float", "binary"):
            raise malformed(f"#/embeddingTypes/{i}", f"{kind} is not a valid enum value")
    return EmbeddingRequest(text, dimensions, normalize, tuple(dict.fromkeys(types)))


def messages_request(model: Model, body: dict[str, Any]) -> dict[str, Any]:
    """Check an Anthropic Messages body against Bedrock's schema and the model's limits; return it."""
    _only(
        body,
        {
            "anthropic_version",
            "anthropic_beta",
            "max_tokens",
            "system",
            "messages",
            "temperature",
            "top_p",
            "top_k",
            "stop_sequences",
            "tools",
            "tool_choice",
            "metadata",
        },
    )
    version = _required(body, "anthropic_version")
    if version != ANTHROPIC_VERSION:
        raise InvalidRequest(f"anthropic_version: must be {ANTHROPIC_VERSION!r}, got {version!r}")
    max_tokens = _required(body, "max_tokens")
    _expect(max_tokens, int, "#/max_tokens", "Integer")
    if max_tokens < 1:
        raise malformed("#/max_tokens", f"{max_tokens} is not greater or equal to 1")
    if max_tokens > model.max_output_tokens:
        raise InvalidRequest(
            f"max_tokens: {max_tokens} > {model.max_output_tokens}, which is the maximum allowed number of "
            f"output tokens for {model.id}"
        )
    for key, low, high in (("temperature", 0, 1), ("top_p", 0, 1)):
        if key in body:
            _expect(body[key], (int, float), f"#/{key}", "Number")
            if not low <= body[key] <= high:
                raise malformed(f"#/{key}", f"{body[key]} is not between {low} and {high}")
    if "top_k" in body:
        _expect(body["top_k"], int, "#/top_k", "Integer")
    if "stop_sequences" in body:
        _expect(body["stop_sequences"], list, "#/stop_sequences", "JSONArray")
        for i, seq in enumerate(body["stop_sequences"]):
            _expect(seq, str, f"#/stop_sequences/{i}", "String")
    _check_system(body.get("system"))
    _check_tools(body.get("tools"))
    messages = _required(body, "messages")
    _expect(messages, list, "#/messages", "JSONArray")
    if not messages:
        raise InvalidRequest("messages: at least one message is required")
    _check_messages(messages)
    if token_count(json.dumps(body)) + max_tokens > model.max_input_tokens:
        raise InvalidRequest("Input is too long for requested model.")
    return body


def _check_system(system: Any) -> None:
    if system is None or isinstance(system, str):
        return
    _expect(system, list, "#/system", "String or JSONArray")
    for i, block in enumerate(system):
        if not isinstance(block, dict) or block.get("type") != "text" or not isinstance(block.get("text"), str):
            raise InvalidRequest(f"system.{i}: each system block must be {{'type': 'text', 'text': ...}}")


def _check_tools(tools: Any) -> None:
    if tools is None:
        return
    _expect(tools, list, "#/tools", "JSONArray")
    names = set()
    for i, tool in enumerate(tools):
        _expect(tool, dict, f"#/tools/{i}", "JSONObject")
        if tool.get("type") not in (None, "custom"):
            continue  # Anthropic-defined tools (computer use, ...) carry no schema here
        name = tool.get("name")
        if not isinstance(name, str) or not _TOOL_NAME.match(name):
            raise InvalidRequest(f"tools.{i}.name: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$'")
        if name in names:
            raise InvalidRequest(f"tools: Tool names must be unique ({name!r} appears twice)")
        names.add(name)
        if not isinstance(tool.get("description", ""), str):
            raise InvalidRequest(f"tools.{i}.description: Input should be a valid string")
        _check_schema(tool.get("input_schema"), f"tools.{i}.input_schema")


def _check_schema(schema: Any, where: str) -> None:
    """The parts of a tool's JSON Schema the model reads must have JSON Schema's types."""
    if not isinstance(schema, dict):
        raise InvalidRequest(f"{where}: Field required (a JSON Schema object)")
    if schema.get("type") != "object":
        raise InvalidRequest(f"{where}.type: Input should be 'object'")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict) or not all(isinstance(p, dict) for p in properties.values()):
        raise InvalidRequest(f"{where}.properties: should map each property name to a schema object")
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise InvalidRequest(f"{where}.required: should be a list of property names")
    for name, prop in properties.items():
        for key, kind in (("type", str), ("description", str), ("enum", list)):
            if key in prop and not isinstance(prop[key], kind):
                raise InvalidRequest(f"{where}.properties.{name}.{key}: has the wrong type")


def _check_messages(messages: list[Any]) -> None:
    previous_tool_uses: set[str] = set()
    for i, message in enumerate(messages):
        _expect(message, dict, f"#/messages/{i}", "JSONObject")
        role = message.get("role")
        if role not in ("user", "assistant"):
            raise InvalidRequest(f"messages.{i}.role: Input should be 'user' or 'assistant'")
        if i == 0 and role != "user":
            raise InvalidRequest('messages: first message must use the "user" role')
        if "content" not in message:
            raise InvalidRequest(f"messages.{i}.content: Field required")
        content = message["content"]
        if isinstance(content, str):
            blocks: list[Any] = [{"type": "text", "text": content}]
        elif isinstance(content, list):
            blocks = content
        else:
            raise InvalidRequest(f"messages.{i}.content: Input should be a valid string or list")
        tool_uses: set[str] = set()
        for j, block in enumerate(blocks):
            where = f"messages.{i}.content.{j}"
            if (
                not isinstance(block, dict)
                or not isinstance(block.get("type"), str)
                or block["type"] not in _BLOCK_TYPES
            ):
                raise InvalidRequest(f"{where}.type: Input should be one of {sorted(_BLOCK_TYPES)}")
            kind = block["type"]
            if kind == "text" and not isinstance(block.get("text"), str):
                raise InvalidRequest(f"{where}.text: Field required")
            if kind == "tool_result":
                _check_tool_result(block, where)
            if kind == "tool_use":
                if role != "assistant":
                    raise InvalidRequest(f"{where}: tool_use blocks may only appear in assistant messages")
                if not isinstance(block.get("id"), str) or not isinstance(block.get("name"), str):
                    raise InvalidRequest(f"{where}: tool_use blocks need an 'id' and a 'name'")
                if not isinstance(block.get("input"), dict):
                    raise InvalidRequest(f"{where}.input: Input should be a valid dictionary")
                tool_uses.add(block["id"])
            if kind == "tool_result":
                if role != "user":
                    raise InvalidRequest(f"{where}: tool_result blocks may only appear in user messages")
                if not isinstance(block.get("tool_use_id"), str) or block["tool_use_id"] not in previous_tool_uses:
                    raise InvalidRequest(
                        f"{where}: unexpected `tool_use_id` found in `tool_result` blocks: {block.get('tool_use_id')}. "
                        "Each `tool_result` block must have a corresponding `tool_use` block in the previous message."
                    )
        previous_tool_uses = tool_uses


def _check_tool_result(block: dict[str, Any], where: str) -> None:
    content = block.get("content", "")
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        raise InvalidRequest(f"{where}.content: Input should be a valid string or list")
    for k, part in enumerate(content):
        if not isinstance(part, dict) or part.get("type") not in ("text", "image", "document"):
            raise InvalidRequest(f"{where}.content.{k}.type: Input should be 'text', 'image' or 'document'")
        if part["type"] == "text" and not isinstance(part.get("text"), str):
            raise InvalidRequest(f"{where}.content.{k}.text: Field required")
