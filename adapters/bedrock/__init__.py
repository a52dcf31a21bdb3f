"""Bedrock behind one small interface: Titan embeddings, Anthropic messages and Converse.

`bedrock_adapter()` picks the implementation from HARNESS_BEDROCK: `local` (default, no network),
`aws` (boto3, optionally recording every exchange) or `replay` (recorded exchanges only).
"""

from adapters.bedrock.aws import AwsBedrock
from adapters.bedrock.conversation import Reply, tool_use
from adapters.bedrock.errors import BedrockError, InvalidRequest, RecordingMissing, ServiceError
from adapters.bedrock.factory import bedrock_adapter
from adapters.bedrock.interface import BedrockAdapter
from adapters.bedrock.local import LocalBedrock
from adapters.bedrock.recording import RecordingBedrock, ReplayBedrock
from adapters.bedrock.requests import EmbeddingRequest

__all__ = [
    "AwsBedrock",
    "BedrockAdapter",
    "BedrockError",
    "EmbeddingRequest",
    "InvalidRequest",
    "LocalBedrock",
    "RecordingBedrock",
    "RecordingMissing",
    "ReplayBedrock",
    "Reply",
    "ServiceError",
    "bedrock_adapter",
    "tool_use",
]
