"""What a served AWS API is to the gateway: a botocore service name and one handler per operation.

The wing parses each request into the operation's input parameters (exactly what a boto3 client
passes as keyword arguments: blobs as bytes, timestamps as datetimes) and serializes the handler's
answer (a dict shaped like the operation's output shape) in the service's own protocol. A handler
reports a service error by raising `AwsError`; anything else it raises becomes an InternalFailure.
A handler that returns `FORWARD` lets the request go on to the backend unchanged; one that returns
`Forward(watch=...)` does too, and learns the backend's answer (see `Forward`).

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
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

Operation = Callable[[dict[str, Any]], Any]


class AwsError(Exception):
    """An error a served operation answers with: the AWS error code, its message and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ForwardOutcome:
    """The backend's answer to a forwarded request: HTTP status, response headers (lower-case names), body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def succeeded(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300


Observer = Callable[[ForwardOutcome], None]


class Forward:
    """Returned by a handler that lets the original request go on to the backend unchanged.

    `watch`, when given, is a context manager the gateway enters just before it forwards the request
    and leaves once the backend answered; it yields a callback that gets the `ForwardOutcome` before
    the caller does. The request's bytes are never re-encoded (streamed and chunked bodies, checksums
    and signatures stay the client's); only the answer of a watched request is read whole before it
    is passed back. A callback that raises is logged and the caller still gets the backend's answer.

    Example:
        >>> @contextlib.contextmanager  # doctest: +SKIP
        ... def watch():
        ...     with ledger.publishing("s3:bucket") as seen:
        ...         yield lambda outcome: print(outcome.status, outcome.headers.get("etag"))
        >>> return Forward(watch())  # doctest: +SKIP
    """

    def __init__(self, watch: AbstractContextManager[Observer] | None = None) -> None:
        self.watch = watch


FORWARD = Forward()


class ServedService(Protocol):
    """One AWS service, or the part of it the harness answers itself."""

    service: str  # the botocore service name, e.g. "bedrock-runtime", "textract", "athena"

    def operations(self) -> Mapping[str, Operation]:
        """Operation name (as in botocore's model, e.g. "InvokeModel") -> handler(params) -> output dict."""
        ...
