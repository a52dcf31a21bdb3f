"""The Bedrock Runtime API the harness serves: InvokeModel, its response stream, Converse and ConverseStream.

Every answer comes from a `BedrockAdapter` (local models, AWS, or recordings). Requests are checked as
Bedrock checks them first, so an unknown model id, a malformed body or a body over the model's limits
is answered with a ValidationException, whatever the adapter.
https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from adapters.bedrock.converse import UNSUPPORTED
from adapters.bedrock.errors import BedrockError, InvalidRequest
from adapters.bedrock.interface import BedrockAdapter
from adapters.bedrock.models import Model, resolve
from adapters.bedrock.requests import embedding_request, messages_request, parse_body
from adapters.bedrock.streaming import anthropic_stream, converse_stream
from harness.served.service import AwsError
from harness.served.shapes import ShapeMismatch, check_input

JSON = "application/json"
_ACCEPTED_TYPES = {JSON, "*/*", "application/*"}


class BedrockRuntimeApi:
    """Bedrock Runtime's model-invocation operations, answered by an adapter."""

    service = "bedrock-runtime"

    def __init__(self, adapter: BedrockAdapter) -> None:
        self.adapter = adapter

    def operations(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """The operations served, by botocore name; each checks its parameters against the service model."""
        handlers = {
            "InvokeModel": self.invoke_model,
            "InvokeModelWithResponseStream": self.invoke_model_with_response_stream,
            "Converse": self.converse,
            "ConverseStream": self.converse_stream,
        }
        return {name: _checked(name, handler) for name, handler in handlers.items()}

    def invoke_model(self, params: dict[str, Any]) -> dict[str, Any]:
        """A model's native answer to a native request body."""
        answer = _bedrock_errors(lambda: self._invoke(params))
        return {"body": json.dumps(answer).encode(), "contentType": JSON}

    def invoke_model_with_response_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        """The same answer as chunks: for Anthropic models, its message_start ... message_stop events."""

        def answer() -> dict[str, Any]:
            model = resolve(params.get("modelId", ""))
            if model.kind != "messages":
                raise InvalidRequest("The model is unsupported for streaming.")
            return self._invoke(params, model)

        response = _bedrock_errors(answer)
        chunks = ({"chunk": {"bytes": json.dumps(event).encode()}} for event in anthropic_stream(response))
        return {"body": chunks, "contentType": JSON}

    def converse(self, params: dict[str, Any]) -> dict[str, Any]:
        """A chat model's next turn for Converse's messages, system prompt, tools and inference settings."""
        return _bedrock_errors(lambda: self._converse(params))

    def converse_stream(self, params: dict[str, Any]) -> dict[str, Any]:
        """The next turn as ConverseStream events."""
        output = _bedrock_errors(lambda: self._converse(params))
        stream: Iterator[dict[str, Any]] = converse_stream(output)
        return {"stream": stream}

    def _invoke(self, params: dict[str, Any], model: Model | None = None) -> dict[str, Any]:
        model_id = params.get("modelId", "")
        model = model or resolve(model_id)
        content_type = params.get("contentType") or JSON
        if content_type.split(";")[0].strip() != JSON:
            raise InvalidRequest(f"The content type {content_type} is not supported by {model.id}; use {JSON}.")
        accept = params.get("accept") or JSON
        if accept.split(";")[0].strip() not in _ACCEPTED_TYPES:
            raise InvalidRequest(f"The accept type {accept} is not supported by {model.id}; use {JSON}.")
        body = parse_body(params.get("body", b""))
        if model.kind == "embedding":
            return self.adapter.embed(model_id, embedding_request(model, body))
        return self.adapter.create_message(model_id, messages_request(model, body))

    def _converse(self, params: dict[str, Any]) -> dict[str, Any]:
        model_id = params.get("modelId", "")
        if resolve(model_id).kind != "messages":
            raise InvalidRequest(UNSUPPORTED)
        request = {k: v for k, v in params.items() if k != "modelId"}
        output = self.adapter.converse(model_id, request)
        output.setdefault("metrics", {"latencyMs": 0})
        return output


def _checked(operation: str, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """The handler, behind the check Bedrock makes of a request's parameters before anything else."""

    def checked(params: dict[str, Any]) -> dict[str, Any]:
        try:
            check_input(BedrockRuntimeApi.service, operation, params)
        except ShapeMismatch as exc:
            problems = str(exc).split("\n", 1)[-1].strip()
            raise AwsError("ValidationException", f"1 validation error detected: {problems}") from None
        return handler(params)

    return checked


def _bedrock_errors(call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return call()
    except BedrockError as exc:
        raise AwsError(exc.code, exc.message, exc.status) from exc
