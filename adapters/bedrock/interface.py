"""The one interface the served Bedrock Runtime API calls: embeddings, Anthropic messages, Converse."""

from __future__ import annotations

from typing import Any, Protocol

from adapters.bedrock.requests import EmbeddingRequest


class BedrockAdapter(Protocol):
    """A source of model answers: AWS itself, the local models, or recordings of AWS's answers.

    Requests arrive checked (see `adapters.bedrock.requests`); answers are the bodies Bedrock returns.
    """

    def embed(self, model_id: str, request: EmbeddingRequest) -> dict[str, Any]:
        """A Titan Text Embeddings response body: `embedding`, `inputTextTokenCount`, `embeddingsByType`."""
        ...

    def create_message(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """An Anthropic Messages response body: `id`, `content` blocks, `stop_reason`, `usage`, ..."""
        ...

    def converse(self, model_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """A Converse response (`output`, `stopReason`, `usage`, `metrics`) for Converse's parameters."""
        ...
