"""One switch for where model answers come from: HARNESS_BEDROCK = local (default) | aws | replay.

- `local`: the local models. HARNESS_BEDROCK_EMBEDDINGS = hashed (default) or a sentence model from the
  `local-models` extra (`wordllama`).
- `aws`: Bedrock itself through boto3 (real credentials and the harness's opt-in to real AWS needed). With
  HARNESS_BEDROCK_RECORDINGS=<dir>, every exchange is recorded there.
- `replay`: answers recorded earlier in HARNESS_BEDROCK_RECORDINGS; an unrecorded request fails.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from adapters.bedrock.aws import AwsBedrock
from adapters.bedrock.embeddings import HashedEmbedder, TextEmbedder
from adapters.bedrock.interface import BedrockAdapter
from adapters.bedrock.local import LocalBedrock
from adapters.bedrock.recording import RecordingBedrock, ReplayBedrock

MODE = "HARNESS_BEDROCK"
RECORDINGS = "HARNESS_BEDROCK_RECORDINGS"
EMBEDDINGS = "HARNESS_BEDROCK_EMBEDDINGS"


def embedder(name: str) -> TextEmbedder:
    """The local embedder called `name`."""
    if name == "hashed":
        return HashedEmbedder()
    from adapters.bedrock.sentence_models import SENTENCE_MODELS

    if name in SENTENCE_MODELS:
        return SENTENCE_MODELS[name]()
    raise ValueError(f"{EMBEDDINGS}={name!r}: choose one of {['hashed', *SENTENCE_MODELS]}")


def bedrock_adapter(environ: Mapping[str, str] | None = None) -> BedrockAdapter:
    """The adapter the environment asks for (local unless HARNESS_BEDROCK says otherwise)."""
    env = os.environ if environ is None else environ
    mode = env.get(MODE, "local").strip().lower() or "local"
    recordings = env.get(RECORDINGS, "").strip()
    if mode == "local":
        return LocalBedrock(embedder(env.get(EMBEDDINGS, "hashed").strip().lower() or "hashed"))
    if mode == "aws":
        aws = AwsBedrock()
        return RecordingBedrock(aws, recordings) if recordings else aws
    if mode == "replay":
        if not recordings:
            raise ValueError(f"{MODE}=replay needs {RECORDINGS}=<directory of recorded exchanges>")
        return ReplayBedrock(recordings)
    raise ValueError(f"{MODE}={mode!r}: choose local, aws or replay")
