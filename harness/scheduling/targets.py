"""Hands a schedule's payload to its target: an in-process Lambda function, an SQS queue or an SNS topic.

Lambda targets are invoked asynchronously, as EventBridge Scheduler and scheduled rules invoke them: the
delivery succeeds once Lambda accepts the event, and a failing handler is retried by Lambda's own
asynchronous retries (the harness's AsyncInvoker), not by the schedule's retry policy.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from harness.backends.base import Account
from harness.functions.asynchronous import AsyncInvoker
from harness.functions.registry import FunctionNotFound, FunctionRegistry

DELIVERED_SERVICES = ("lambda", "sqs", "sns")
_MISSING_CODES = frozenset(
    {
        "ResourceNotFoundException",
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "NotFound",
        "NotFoundException",
    }
)
_PERMANENT_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "InvalidParameter",
        "InvalidParameterValue",
        "InvalidParameterValueException",
        "InvalidRequestContentException",
        "RequestTooLargeException",
        "ValidationException",
    }
)
ASYNC_PAYLOAD_LIMIT = 256 * 1024  # Lambda's limit for an asynchronous invocation's event


class DeliveryFailed(Exception):
    """The target refused the payload; `code` and `message` are what its API answered."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def target_missing(self) -> bool:
        """True when the target does not exist (a deleted function, queue or topic)."""
        return self.code in _MISSING_CODES

    @property
    def permanent(self) -> bool:
        """True for errors that retrying cannot fix (a malformed or oversized payload, no permission)."""
        return self.code in _PERMANENT_CODES


def target_service(arn: str) -> str:
    """The service part of an ARN (`lambda` in `arn:aws:lambda:...`), or '' if it is not an ARN."""
    parts = arn.split(":")
    return parts[2] if len(parts) > 5 and parts[0] == "arn" else ""


class TargetDeliverer:
    """Delivers payloads to targets in one account: functions in-process, queues and topics on the backend."""

    def __init__(self, account: Account, functions: FunctionRegistry, async_invocations: AsyncInvoker) -> None:
        self.account = account
        self.functions = functions
        self.async_invocations = async_invocations
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()  # a boto3 session must not build two clients at once

    def deliver(self, arn: str, payload: str, *, message_group_id: str | None = None) -> None:
        """Send `payload` (text; JSON for functions) to the target `arn`; DeliveryFailed if it is refused."""
        service = target_service(arn)
        if service == "lambda":
            self._invoke(arn, payload)
        elif service == "sqs":
            self._send_message(arn, payload, message_group_id)
        elif service == "sns":
            self._call("sns", "publish", TopicArn=arn, Message=payload)
        else:
            raise DeliveryFailed("ValidationException", f"the harness does not deliver to {arn}")

    def dead_letter(self, queue_arn: str, body: str, attributes: dict[str, dict[str, str]]) -> None:
        """Send an undeliverable payload, with its message attributes, to a dead-letter queue."""
        self._send_message(queue_arn, body or "{}", None, attributes)

    def _invoke(self, arn: str, payload: str) -> None:
        region, account_id = arn.split(":")[3:5]
        if (region, account_id) != (self.account.region, self.account.account_id):
            raise DeliveryFailed("ResourceNotFoundException", f"Function not found: {arn}")
        try:
            function = self.functions.get(arn)
        except FunctionNotFound as exc:
            raise DeliveryFailed("ResourceNotFoundException", str(exc)) from None
        if len(payload.encode()) > ASYNC_PAYLOAD_LIMIT:
            raise DeliveryFailed(
                "RequestTooLargeException", f"Request must be smaller than {ASYNC_PAYLOAD_LIMIT} bytes for Event"
            )
        try:
            event = json.loads(payload)
        except ValueError:
            raise DeliveryFailed("InvalidRequestContentException", "Could not parse request body into json") from None
        self.async_invocations.submit(function, event)

    def _send_message(
        self,
        arn: str,
        payload: str,
        message_group_id: str | None,
        attributes: dict[str, dict[str, str]] | None = None,
    ) -> None:
        owner, name = arn.split(":")[4:6]
        url = self._call("sqs", "get_queue_url", QueueName=name, QueueOwnerAWSAccountId=owner)["QueueUrl"]
        request: dict[str, Any] = {"QueueUrl": url, "MessageBody": payload}
        if message_group_id:
            request["MessageGroupId"] = message_group_id
        if attributes:
            request["MessageAttributes"] = attributes
        self._call("sqs", "send_message", **request)

    def _call(self, service: str, operation: str, **request: Any) -> Any:
        with self._clients_lock:
            client = self._clients.get(service)
            if client is None:
                client = self._clients[service] = self.account.client(service)
        try:
            return getattr(client, operation)(**request)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise DeliveryFailed(str(error.get("Code", "")), str(error.get("Message", ""))) from None
        except BotoCoreError as exc:  # the backend did not answer: worth retrying
            raise DeliveryFailed("ServiceUnavailable", str(exc)) from None
