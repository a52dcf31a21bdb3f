"""Local embeddings benchmark: top-1 accuracy on the probe set (tests/data/embedding_probe.json) and speed.

For each embedder and each Titan V2 size (1024, 512, 256), ranks the probe's documents for each question
by cosine similarity and counts how often the right one comes first. The baseline, measured in the same
run, is plain bag-of-words (raw lower-case words hashed, no stemming, synonyms or stopwords). WordLlama
is measured when the `local-models` extra is installed. Prints figures; it never fails on them.

Run:
    .venv/bin/python -m bench.embeddings
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

from adapters.bedrock.embeddings import HashedEmbedder, TextEmbedder
from adapters.bedrock.ranking import Probe, top1_accuracy

PROBE = Path(__file__).parents[1] / "tests" / "data" / "embedding_probe.json"


class BagOfWords:
    """The baseline: raw words hashed into the vector, nothing else."""

    name = "bag-of-words (baseline)"

    def vector(self, text: str, dimensions: int) -> list[float]:
        """Counts of raw lower-case words, hashed."""
        vector = [0.0] * dimensions
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
            vector[digest % dimensions] += 1.0
        return vector


def embedders() -> list[TextEmbedder]:
    """The baseline, the default, and WordLlama if it is installed."""
    found: list[TextEmbedder] = [BagOfWords(), HashedEmbedder()]
    try:
        from adapters.bedrock.sentence_models import WordLlamaEmbedder

        found.append(WordLlamaEmbedder())
    except (ImportError, RuntimeError) as exc:
        print(f"(wordllama not measured: {exc})")
    return found


def speed(embedder: TextEmbedder, texts: list[str], rounds: int = 20) -> float:
    """Embeddings per second of the probe's texts at 1024 dimensions."""
    began = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            embedder.vector(text, 1024)
    return rounds * len(texts) / (time.perf_counter() - began)


def main() -> None:
    """Print accuracy and speed of every embedder."""
    probe = Probe.load(PROBE)
    texts = list(probe.documents.values()) + [q for q, _ in probe.questions]
    print(f"probe set: {len(probe.documents)} documents, {len(probe.questions)} paraphrased questions")
    print(f"{'embedder':<26} {'top-1 @1024':>11} {'@512':>6} {'@256':>6} {'embeddings/s':>13}")
    for embedder in embedders():
        accuracies = [top1_accuracy(embedder, probe, size)[0] for size in (1024, 512, 256)]
        shown = " ".join(f"{a:>6.0%}" for a in accuracies[1:])
        print(f"{embedder.name:<26} {accuracies[0]:>11.0%} {shown} {speed(embedder, texts):>13,.0f}")
        missed = top1_accuracy(embedder, probe, 1024)[1]
        for question in missed:
            print(f"    missed: {question}")


if __name__ == "__main__":
    main()
