"""The foundation models the harness answers for, with the limits Bedrock enforces on each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.bedrock.errors import InvalidRequest

INVALID_MODEL = "The provided model identifier is invalid."
_ARN = re.compile(r"^arn:aws(?:-[a-z]+)?:bedrock:[a-z0-9-]*:\d{0,12}:(?:foundation-model|inference-profile)/(.+)$")
_PROFILE_PREFIXES = ("us.", "eu.", "apac.", "global.", "us-gov.")


@dataclass(frozen=True)
class Model:
    """One model: its id, what it does, and its limits."""

    id: str
    kind: str  # "embedding" or "messages"
    max_input_tokens: int
    max_output_tokens: int = 0
    max_input_chars: int = 0
    dimensions: tuple[int, ...] = ()


TITAN_EMBED_V2 = Model(
    "amazon.titan-embed-text-v2:0",
    "embedding",
    max_input_tokens=8192,
    max_input_chars=50_000,
    dimensions=(1024, 512, 256),
)
TITAN_EMBED_V1 = Model(
    "amazon.titan-embed-text-v1", "embedding", max_input_tokens=8192, max_input_chars=50_000, dimensions=(1536,)
)
CLAUDE_3_HAIKU = Model("anthropic.claude-3-haiku-20240307-v1:0", "messages", 200_000, max_output_tokens=4096)

MODELS: dict[str, Model] = {
    m.id: m
    for m in (
        TITAN_EMBED_V2,
        TITAN_EMBED_V1,
        CLAUDE_3_HAIKU,
        Model("anthropic.claude-3-sonnet-20240229-v1:0", "messages", 200_000, max_output_tokens=4096),
        Model("anthropic.claude-3-5-haiku-20241022-v1:0", "messages", 200_000, max_output_tokens=8192),
        Model("anthropic.claude-3-5-sonnet-20240620-v1:0", "messages", 200_000, max_output_tokens=8192),
        Model("anthropic.claude-3-5-sonnet-20241022-v2:0", "messages", 200_000, max_output_tokens=8192),
    )
}


def resolve(model_id: str) -> Model:
    """The model a modelId names (a model id, its foundation-model ARN or a cross-region profile id)."""
    if not isinstance(model_id, str) or not model_id:
        raise InvalidRequest(INVALID_MODEL)
    match = _ARN.match(model_id)
    name = match.group(1) if match else model_id
    for prefix in _PROFILE_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :] in MODELS:
            name = name[len(prefix) :]
    try:
        return MODELS[name]
    except KeyError:
        raise InvalidRequest(INVALID_MODEL) from None
