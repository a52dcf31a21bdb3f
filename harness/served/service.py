"""What a served AWS API is to the gateway: a botocore service name and one handler per operation.

The wing parses each request into the operation's input parameters (exactly what a boto3 client
passes as keyword arguments: blobs as bytes, timestamps as datetimes) and serializes the handler's
answer (a dict shaped like the operation's output shape) in the service's own protocol. A handler
reports a service error by raising `AwsError`; anything else it raises becomes an InternalFailure.

Example:
    >>> class EchoApi:  # doctest: +SKIP
    ...     service = "textract"
    ...     def operations(self):
    ...         return {"DetectDocumentText": self.detect}
    ...     def detect(self, params):
    ...         return {"Blocks": [], "DocumentMetadata": {"Pages": 1}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

Operation = Callable[[dict[str, Any]], Any]


class AwsError(Exception):
    """An error a served operation answers with: the AWS error code, its message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class Forward:
    """Returned by a handler that lets the original request go on to the backend unchanged."""


FORWARD = Forward()


class ServedService(Protocol):
    """One AWS service, or the part of it the harness answers itself."""

    service: str  # the botocore service name, e.g. "bedrock-runtime", "textract", "athena"

    def operations(self) -> Mapping[str, Operation]:
        """Operation name (as in botocore's model, e.g. "InvokeModel") -> handler(params) -> output dict."""
        ...
