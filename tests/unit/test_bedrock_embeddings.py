"""Local embeddings: Titan's response shape, determinism, and ranking quality on a probe set.

Titan V2 response: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.bedrock import EmbeddingRequest, LocalBedrock
from adapters.bedrock.embeddings import HashedEmbedder, cosine
from adapters.bedrock.factory import bedrock_adapter
from adapters.bedrock.ranking import Probe, top1_accuracy

PROBE = Probe.load(Path(__file__).parents[1] / "data" / "embedding_probe.json")
TITAN = "amazon.titan-embed-text-v2:0"


def test_the_probe_set_has_at_least_twelve_documents_and_questions():
    assert len(PROBE.documents) >= 12 and len(PROBE.questions) >= 12
    assert {doc for _, doc in PROBE.questions} <= set(PROBE.documents)


@pytest.mark.parametrize("dimensions", [1024, 512, 256])
def test_the_default_embedder_ranks_the_right_document_first_for_most_paraphrases(dimensions):
    accuracy, missed = top1_accuracy(HashedEmbedder(), PROBE, dimensions)

    assert accuracy >= 0.6, missed


def test_the_wordllama_model_ranks_the_right_document_first_for_nine_in_ten():
    pytest.importorskip("wordllama")
    from adapters.bedrock.sentence_models import WordLlamaEmbedder

    accuracy, missed = top1_accuracy(WordLlamaEmbedder(), PROBE, 1024)

    assert accuracy >= 0.9, missed


def test_the_wordllama_model_keeps_cosines_when_mapped_to_more_dimensions():
    pytest.importorskip("wordllama")
    from adapters.bedrock.sentence_models import WordLlamaEmbedder

    model = WordLlamaEmbedder()
    a, b = "serverless functions", "code that runs without servers"

    assert math.isclose(
        cosine(model.vector(a, 256), model.vector(b, 256)), cosine(model.vector(a, 1024), model.vector(b, 1024))
    )


def test_the_factory_gives_the_local_adapter_the_embedder_the_environment_names():
    pytest.importorskip("wordllama")

    adapter = bedrock_adapter({"HARNESS_BEDROCK_EMBEDDINGS": "wordllama"})

    assert adapter.embedder.name == "wordllama"
    assert len(adapter.embed(TITAN, EmbeddingRequest("hello", 512))["embedding"]) == 512


def test_an_unknown_embedder_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"HARNESS_BEDROCK_EMBEDDINGS='bert'.*hashed"):
        bedrock_adapter({"HARNESS_BEDROCK_EMBEDDINGS": "bert"})


def test_paraphrases_are_closer_than_unrelated_texts():
    embedder = HashedEmbedder()
    scaling = embedder.vector("How does Lambda handle scaling?", 1024)

    related = cosine(scaling, embedder.vector("Lambda scales automatically to thousands of executions.", 1024))
    unrelated = cosine(scaling, embedder.vector("The capital of France is Paris.", 1024))

    assert related > 0.3 > unrelated


def test_an_embedding_is_the_same_in_another_process():
    text = "DynamoDB delivers millisecond performance"
    here = LocalBedrock().embed(TITAN, EmbeddingRequest(text, 256))
    script = (
        "import json; from adapters.bedrock import LocalBedrock, EmbeddingRequest; "
        f"print(json.dumps(LocalBedrock().embed({TITAN!r}, EmbeddingRequest({text!r}, 256))))"
    )

    # blake2b hashing, not Python's salted hash(): the vector does not depend on PYTHONHASHSEED.
    there = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "7"},
    )

    assert json.loads(there.stdout) == here
    assert here["inputTextTokenCount"] == 4


def test_text_without_meaningful_words_embeds_to_zero_without_failing():
    body = LocalBedrock().embed(TITAN, EmbeddingRequest("the and of", 256))

    assert body["embedding"] == [0.0] * 256
