"""Local text embeddings with the Titan response shape: deterministic, no model files, no network.

The default `HashedEmbedder` hashes each word's canonical stem (synonyms folded, stopwords dropped), word
pairs and character trigrams into the requested number of dimensions with a random sign per feature, so
texts that share meaning-bearing words point the same way. `adapters.bedrock.sentence_models` brings real
sentence-embedding models behind the same interface.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from functools import lru_cache
from typing import Any, Protocol

from adapters.bedrock.requests import EmbeddingRequest
from adapters.bedrock.text import content_terms, token_count


class TextEmbedder(Protocol):
    """Turns a text into a vector of the requested size."""

    name: str

    def vector(self, text: str, dimensions: int) -> list[float]:
        """The (not necessarily normalised) vector of `text` in `dimensions` dimensions."""
        ...


@lru_cache(maxsize=262144)
def _slot(feature: str, dimensions: int) -> tuple[int, float]:
    digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
    return digest % dimensions, 1.0 if (digest >> 63) & 1 else -1.0


class HashedEmbedder:
    """Hashed word, word-pair and character-trigram features of canonical stems (the default)."""

    name = "hashed"

    def __init__(self, word: float = 1.0, pair: float = 0.5, trigram: float = 0.3) -> None:
        self.weights = {"w": word, "p": pair, "c": trigram}

    def features(self, text: str) -> Counter[str]:
        """The weighted features of a text."""
        terms = content_terms(text)
        features: Counter[str] = Counter()
        for term in terms:
            features[f"w:{term}"] += self.weights["w"]
            padded = f"<{term}>"
            grams = [padded[i : i + 3] for i in range(len(padded) - 2)]
            for gram in grams:
                features[f"c:{gram}"] += self.weights["c"] / max(len(grams), 1)
        for first, second in itertools.pairwise(terms):
            features[f"p:{first}_{second}"] += self.weights["p"]
        return features

    def vector(self, text: str, dimensions: int) -> list[float]:
        """Sublinear feature weights hashed into `dimensions` slots."""
        vector = [0.0] * dimensions
        for feature, weight in self.features(text).items():
            index, sign = _slot(feature, dimensions)
            vector[index] += sign * (1.0 + math.log(weight)) if weight >= 1 else sign * weight
        return vector


def l2_normalized(vector: list[float]) -> list[float]:
    """The vector scaled to length 1 (the zero vector stays zero)."""
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm else list(vector)


def cosine(a: list[float], b: list[float]) -> float:
    """The cosine similarity of two vectors of one size."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def embedding_response(embedder: TextEmbedder, request: EmbeddingRequest) -> dict[str, Any]:
    """The Titan Text Embeddings V2 response body for a request."""
    vector = embedder.vector(request.input_text, request.dimensions)
    if request.normalize:
        vector = l2_normalized(vector)
    vector = [round(x, 8) for x in vector]
    by_type: dict[str, Any] = {}
    if "float" in request.embedding_types:
        by_type["float"] = vector
    if "binary" in request.embedding_types:
        by_type["binary"] = [1 if x > 0 else 0 for x in vector]
    return {
        "embedding": vector,
        "inputTextTokenCount": token_count(request.input_text),
        "embeddingsByType": by_type,
    }
