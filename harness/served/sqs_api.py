"""SQS through the gateway: the harness's plumbing queues stay out of ListQueues."""

from __future__ import annotations

from typing import Any

from harness.routing.plumbing import PREFIX
from harness.served.service import Operation


class SqsApi:
    """ListQueues without the queues that carry the harness's deliveries; everything else is the backend's.

    Example:
        >>> gateway.serve(SqsApi(backend_sqs_client))  # doctest: +SKIP
    """

    service = "sqs"

    def __init__(self, backend: Any) -> None:
        self.backend = backend  # a boto3 SQS client on the backend, in the harness's account

    def operations(self) -> dict[str, Operation]:
        """The operations answered here; the rest go to the backend."""
        return {"ListQueues": self.list_queues}

    def list_queues(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListQueues, leaving out plumbing queues (unless asked for them by their prefix)."""
        answer = self.backend.list_queues(**params)
        asked = params.get("QueueNamePrefix") or ""
        urls = [u for u in answer.get("QueueUrls", []) if asked.startswith(PREFIX) or not _name(u).startswith(PREFIX)]
        body: dict[str, Any] = {"QueueUrls": urls} if urls else {}
        if answer.get("NextToken"):
            body["NextToken"] = answer["NextToken"]
        return body


def _name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]
