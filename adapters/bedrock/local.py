"""The local implementation: deterministic models in process, no network, no model files by default."""

from __future__ import annotations

from typing import Any

from adapters.bedrock.conversation import message_response
from adapters.bedrock.converse import converse_output, messages_body
from adapters.bedrock.embeddings import HashedEmbedder, TextEmbedder, embedding_response
from adapters.bedrock.errors import InvalidRequest
from adapters.bedrock.message_model import LocalMessageModel
from adapters.bedrock.models import resolve
from adapters.bedrock.requests import EmbeddingRequest, messages_request
from adapters.bedrock.scripted import ScriptedValue


class LocalBedrock:
    """Answers embeddings with a local embedder and messages with the local model (or scripted replies).

    Example:
        >>> bedrock = LocalBedrock()
        >>> bedrock.script("Hello from a script")
        >>> bedrock.create_message("anthropic.claude-3-haiku-20240307-v1:0", body)["content"]  # doctest: +SKIP
        [{'type': 'text', 'text': 'Hello from a script'}]
    """

    def __init__(self, embedder: TextEmbedder | None = None, model: LocalMessageModel | None = None) -> None:
        self.embedder = embedder or HashedEmbedder()
        self.model = model or LocalMessageModel()
        self.scripted = self.model.scripted

    def script(self, *replies: ScriptedValue, repeat: bool = False) -> None:
        """Answer the next messages requests with these replies, in order (the last forever with `repeat`)."""
        self.scripted.add(*replies, repeat=repeat)

    def embed(self, model_id: str, request: EmbeddingRequest) -> dict[str, Any]:
        """The local embedder's vector in Titan's response shape."""
        return embedding_response(self.embedder, request)

    def create_message(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The local model's next turn in Anthropic's response shape."""
        return message_response(model_id, body, self.model.reply(body))

    def converse(self, model_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """The local model's next turn for Converse parameters, checked as the Messages body they amount to."""
        model = resolve(model_id)
        try:
            converted = messages_body(model, request)
        except (KeyError, TypeError, AttributeError) as exc:  # a field Converse's shape requires is missing
            raise InvalidRequest(
                f"Malformed input request: the Converse request is missing or mistypes {exc}"
            ) from None
        body = messages_request(model, converted)
        return converse_output(self.create_message(model_id, body))
