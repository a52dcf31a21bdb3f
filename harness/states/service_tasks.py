"""The optimized service integrations, called against the backend in the harness's account.

`arn:aws:states:::dynamodb:putItem|getItem|updateItem|deleteItem`, `sqs:sendMessage`, `sns:publish` and
`events:putEvents`. Parameters use the API's own member names; results are the API's response with the
`SdkHttpMetadata` / `SdkResponseMetadata` that Step Functions adds (not for `events:putEvents`).
"""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from harness.backends.base import Account
from harness.states.errors import StatesError
from harness.states.history import to_json


@dataclass(frozen=True)
class Integration:
    """One supported `service:action`: its boto3 name, allowed parameters and error naming."""

    boto_service: str
    operation: str
    parameters: frozenset[str]
    error_prefix: str
    service_label: str
    sdk_metadata: bool = True


_DYNAMODB_COMMON = {"TableName", "ReturnConsumedCapacity", "ExpressionAttributeNames"}
_DYNAMODB_WRITE = _DYNAMODB_COMMON | {
    "ConditionalOperator",
    "ConditionExpression",
    "Expected",
    "ExpressionAttributeValues",
    "ReturnItemCollectionMetrics",
    "ReturnValues",
    "ReturnValuesOnConditionCheckFailure",
}


def _dynamodb(operation: str, parameters: set[str]) -> Integration:
    return Integration("dynamodb", operation, frozenset(parameters), "DynamoDB", "AmazonDynamoDBv2")


INTEGRATIONS: dict[str, Integration] = {
    "dynamodb:putItem": _dynamodb("put_item", _DYNAMODB_WRITE | {"Item"}),
    "dynamodb:getItem": _dynamodb(
        "get_item", _DYNAMODB_COMMON | {"Key", "AttributesToGet", "ConsistentRead", "ProjectionExpression"}
    ),
    "dynamodb:updateItem": _dynamodb("update_item", _DYNAMODB_WRITE | {"Key", "AttributeUpdates", "UpdateExpression"}),
    "dynamodb:deleteItem": _dynamodb("delete_item", _DYNAMODB_WRITE | {"Key"}),
    "sqs:sendMessage": Integration(
        "sqs",
        "send_message",
        frozenset(
            {
                "QueueUrl",
                "MessageBody",
                "DelaySeconds",
                "MessageAttributes",
                "MessageSystemAttributes",
                "MessageDeduplicationId",
                "MessageGroupId",
            }
        ),
        "SQS",
        "AmazonSQS",
    ),
    "sns:publish": Integration(
        "sns",
        "publish",
        frozenset(
            {
                "TopicArn",
                "TargetArn",
                "PhoneNumber",
                "Message",
                "Subject",
                "MessageAttributes",
                "MessageStructure",
                "MessageDeduplicationId",
                "MessageGroupId",
            }
        ),
        "SNS",
        "AmazonSNS",
    ),
    "events:putEvents": Integration(
        "events", "put_events", frozenset({"Entries", "EndpointId"}), "EventBridge", "AmazonEventBridge", False
    ),
}

# Error codes some backends send in a form other than the exception name Step Functions shows.
_CODE_ALIASES = {"AWS.SimpleQueueService.NonExistentQueue": "QueueDoesNotExist"}


def service_error(integration: Integration, exc: ClientError) -> StatesError:
    """A service's error as Step Functions names it: `<Service>.<Exception>`, the message and request as Cause."""
    response = exc.response
    code = str(response.get("Error", {}).get("Code", "") or "Unknown")
    name = _CODE_ALIASES.get(code, code).rsplit(".", 1)[-1]
    if not name.endswith("Exception"):
        name += "Exception"
    metadata = response.get("ResponseMetadata", {})
    details = "; ".join(
        [
            f"Service: {integration.service_label}",
            f"Status Code: {metadata.get('HTTPStatusCode', 400)}",
            f"Error Code: {code}",
            f"Request ID: {metadata.get('RequestId', '')}",
            "Proxy: null",
        ]
    )
    message = response.get("Error", {}).get("Message", "")
    return StatesError(f"{integration.error_prefix}.{name}", f"{message} ({details})")


def _as_text(value: Any) -> Any:
    """Step Functions sends a JSON value given for a text member (a message body, a detail) as JSON text."""
    return value if isinstance(value, str) else to_json(value)


def _request(key: str, parameters: dict[str, Any]) -> dict[str, Any]:
    request = dict(parameters)
    if key == "sqs:sendMessage" and "MessageBody" in request:
        request["MessageBody"] = _as_text(request["MessageBody"])
    elif key == "sns:publish" and "Message" in request:
        request["Message"] = _as_text(request["Message"])
    elif key == "events:putEvents" and isinstance(request.get("Entries"), list):
        entries = []
        for entry in request["Entries"]:
            entry = dict(entry) if isinstance(entry, dict) else entry
            if isinstance(entry, dict) and "Detail" in entry:
                entry["Detail"] = _as_text(entry["Detail"])
            if isinstance(entry, dict) and isinstance(entry.get("Time"), str):
                entry["Time"] = datetime.fromisoformat(entry["Time"].replace("Z", "+00:00"))
            entries.append(entry)
        request["Entries"] = entries
    return request


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _with_sdk_metadata(response: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    request_id = metadata.get("RequestId") or str(uuid.uuid4())
    status = int(metadata.get("HTTPStatusCode", 200))
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "Date": format_datetime(datetime.now(UTC), usegmt=True),
        "x-amzn-RequestId": request_id,
    }
    response["SdkHttpMetadata"] = {
        "AllHttpHeaders": {name: [value] for name, value in headers.items()},
        "HttpHeaders": headers,
        "HttpStatusCode": status,
    }
    response["SdkResponseMetadata"] = {"RequestId": request_id}
    return response


class ServiceTasks:
    """Calls the optimized integrations with clients of one account (created once per service)."""

    def __init__(self, account: Account) -> None:
        self.account = account
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self.account.client(service)
            return self._clients[service]

    def call(self, key: str, parameters: Any) -> dict[str, Any]:
        """Run `service:action` with the task's parameters and return the task result."""
        integration = INTEGRATIONS[key]
        if not isinstance(parameters, dict):
            raise StatesError("States.Runtime", f"{key} needs Parameters that are a JSON object")
        unknown = sorted(set(parameters) - integration.parameters)
        if unknown:
            raise StatesError(
                "States.Runtime",
                f"{key} does not take the parameters {unknown}; it takes {sorted(integration.parameters)}",
            )
        client = self._client(integration.boto_service)
        try:
            response = getattr(client, integration.operation)(**_request(key, parameters))
        except ClientError as exc:
            raise service_error(integration, exc) from None
        except BotoCoreError as exc:  # bad parameters (a missing TableName, a wrong type) fail on the client side
            name = f"{integration.error_prefix}.Amazon{integration.error_prefix}Exception"
            raise StatesError(name, str(exc)) from None
        metadata = response.pop("ResponseMetadata", {})
        result = _jsonable(response)
        if key == "events:putEvents" and result.get("FailedEntryCount"):
            raise StatesError("EventBridge.FailedEntry", to_json(result))
        return _with_sdk_metadata(result, metadata) if integration.sdk_metadata else result
