"""A boto3-shaped client over the served Lambda API, for tests that run without the gateway (not collected)."""

from __future__ import annotations

import io
from typing import Any

from botocore.exceptions import ClientError

from harness.served.lambda_api import LambdaApi
from harness.served.service import AwsError
from harness.served.shapes import call_operation


class ServedLambdaClient:
    """`client.create_function(**kwargs)` -> the served operation, checked against botocore's shapes.

    Errors come back as botocore's ClientError, and Invoke's Payload as a readable stream, as from boto3.
    """

    def __init__(self, api: LambdaApi) -> None:
        self._api = api
        self._operations = {_snake(name): name for name in api.operations()}

    def __getattr__(self, attribute: str) -> Any:
        operation = self._operations.get(attribute)
        if operation is None:
            raise AttributeError(f"the served Lambda API has no operation {attribute}")

        def call(**params: Any) -> Any:
            try:
                answer = call_operation(self._api, operation, params)
            except AwsError as exc:
                error = {
                    "Error": {"Code": exc.code, "Message": exc.message},
                    "ResponseMetadata": {"HTTPStatusCode": exc.status},
                }
                raise ClientError(error, operation) from None  # type: ignore[arg-type]
            if operation == "Invoke":
                answer = {**answer, "Payload": io.BytesIO(answer["Payload"])}
            return answer

        return call


def lambda_client(harness: Any) -> ServedLambdaClient:
    """The harness's Lambda API as a boto3-shaped client."""
    return ServedLambdaClient(LambdaApi(harness.functions, harness.event_sources, harness.async_invocations))


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
