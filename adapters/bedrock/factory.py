"""One switch for where model answers come from: HARNESS_BEDROCK = local (default) | aws | replay.

- `local`: the local models. HARNESS_BEDROCK_EMBEDDINGS = hashed (default) or a sentence model from the
  `local-models` extra (`wordllama`).
- `aws`: Bedrock itself through boto3. Needs the opt-in to real AWS (HARNESS_ALLOW_REAL_AWS=yes) and
  credentials in HARNESS_BEDROCK_AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY / _SESSION_TOKEN (the harness
  hides the usual AWS_* credentials and ~/.aws from everything it runs), region HARNESS_BEDROCK_REGION
  (default us-east-1). With HARNESS_BEDROCK_RECORDINGS=<dir>, every exchange is recorded there.
- `replay`: answers recorded earlier in HARNESS_BEDROCK_RECORDINGS; an unrecorded request fails.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from adapters.bedrock.aws import AwsBedrock
from adapters.bedrock.embeddings import HashedEmbedder, TextEmbedder
from adapters.bedrock.interface import BedrockAdapter
from adapters.bedrock.local import LocalBedrock
from adapters.bedrock.recording import RecordingBedrock, ReplayBedrock

MODE = "HARNESS_BEDROCK"
RECORDINGS = "HARNESS_BEDROCK_RECORDINGS"
EMBEDDINGS = "HARNESS_BEDROCK_EMBEDDINGS"
REGION = "HARNESS_BEDROCK_REGION"
ALLOW_REAL_AWS = "HARNESS_ALLOW_REAL_AWS"
_KEYS = {
    "aws_access_key_id": "HARNESS_BEDROCK_AWS_ACCESS_KEY_ID",
    "aws_secret_access_key": "HARNESS_BEDROCK_AWS_SECRET_ACCESS_KEY",
    "aws_session_token": "HARNESS_BEDROCK_AWS_SESSION_TOKEN",
}


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
        aws = AwsBedrock(aws_client(env))
        return RecordingBedrock(aws, recordings) if recordings else aws
    if mode == "replay":
        if not recordings:
            raise ValueError(f"{MODE}=replay needs {RECORDINGS}=<directory of recorded exchanges>")
        return ReplayBedrock(recordings)
    raise ValueError(f"{MODE}={mode!r}: choose local, aws or replay")


def aws_client(env: Mapping[str, str]) -> Any:
    """A bedrock-runtime client on AWS itself, with the credentials made for it, built now.

    Built when the adapter is, never inside a function's scope (whose environment points every client at
    the harness), and blind to configured endpoint URLs, so that it cannot call the harness back.
    """
    if env.get(ALLOW_REAL_AWS, "").strip().lower() not in {"1", "yes", "true"}:
        raise ValueError(f"{MODE}=aws calls real AWS: set {ALLOW_REAL_AWS}=yes as well if you mean it")
    import boto3
    from botocore.config import Config

    keys = {argument: env[name] for argument, name in _KEYS.items() if env.get(name)}
    session = boto3.session.Session(region_name=env.get(REGION) or "us-east-1", **keys)
    if session.get_credentials() is None:
        raise ValueError(
            f"{MODE}=aws found no AWS credentials: set {_KEYS['aws_access_key_id']} and "
            f"{_KEYS['aws_secret_access_key']} (and {_KEYS['aws_session_token']} for temporary ones)"
        )
    return session.client("bedrock-runtime", config=Config(ignore_configured_endpoint_urls=True))
