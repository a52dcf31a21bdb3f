"""How well an embedder ranks documents for questions: top-1 accuracy over a probe set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from adapters.bedrock.embeddings import TextEmbedder, cosine


@dataclass(frozen=True)
class Probe:
    """Documents by id, and questions each paired with the id of the document that answers it."""

    documents: dict[str, str]
    questions: list[tuple[str, str]]

    @classmethod
    def load(cls, path: str | Path) -> Probe:
        """A probe set from a JSON file with `documents` and `questions`."""
        data = json.loads(Path(path).read_text())
        return cls(data["documents"], [(q, d) for q, d in data["questions"]])


def ranked(embedder: TextEmbedder, question: str, documents: dict[str, list[float]], dimensions: int) -> list[str]:
    """Document ids, most similar to the question first."""
    asked = embedder.vector(question, dimensions)
    return sorted(documents, key=lambda doc: -cosine(asked, documents[doc]))


def top1_accuracy(embedder: TextEmbedder, probe: Probe, dimensions: int = 1024) -> tuple[float, list[str]]:
    """The share of questions whose best-ranked document is the right one, and the questions missed."""
    vectors = {doc: embedder.vector(text, dimensions) for doc, text in probe.documents.items()}
    missed = [q for q, expected in probe.questions if ranked(embedder, q, vectors, dimensions)[0] != expected]
    return 1 - len(missed) / len(probe.questions), missed
