"""The AWS implementation: Bedrock Runtime through boto3, used only when the user opts in."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from adapters.bedrock.errors import ServiceError
from adapters.bedrock.requests import EmbeddingRequest


class AwsBedrock:
    """Sends each request to Bedrock with a `bedrock-runtime` client and returns Bedrock's answer."""

    def __init__(self, client: Any = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        """The boto3 client (created on first use, from the default session)."""
        if self._client is None:
            import boto3

            self._client = boto3.client("bedrock-runtime")
        return self._client

    def embed(self, model_id: str, request: EmbeddingRequest) -> dict[str, Any]:
        """InvokeModel with a Titan embeddings body."""
        return self._invoke(model_id, request.body())

    def create_message(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """InvokeModel with an Anthropic Messages body."""
        return self._invoke(model_id, body)

    def converse(self, model_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """Converse, as is."""
        try:
            response = self.client.converse(modelId=model_id, **request)
        except ClientError as exc:
            raise _service_error(exc) from exc
        return {k: v for k, v in response.items() if k != "ResponseMetadata"}

    def _invoke(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.client.invoke_model(
                modelId=model_id, body=json.dumps(body), contentType="application/json", accept="application/json"
            )
        except ClientError as exc:
            raise _service_error(exc) from exc
        return json.loads(response["body"].read())


def _service_error(exc: ClientError) -> ServiceError:
    error = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
    return ServiceError(error.get("Code", "ValidationException"), error.get("Message", str(exc)), status)
