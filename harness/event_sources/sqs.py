"""SQS as an event source: batches, visibility on the harness clock, partial batch responses, redrive.

The poller receives with a long visibility timeout so the backend never redelivers on its own; when a
message fails, the harness makes it visible again once the queue's own visibility timeout has passed on
the harness clock. The backend's redrive policy then moves it to the dead-letter queue after
`maxReceiveCount` receives, as SQS does.
"""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

from harness.event_sources.mapping import EventSourceMapping
from harness.write_keys import ANY_QUEUE, Key, sqs_key

HOLD_SECONDS = 43200  # SQS's maximum visibility timeout


class SqsMapping(EventSourceMapping):
    """Receives from one queue for one function."""

    kind = "sqs"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings.validate_for_queue(self.source_arn)
        parts = self.source_arn.split(":")
        self._client = self.account.internal_client("sqs")
        self._url = self._client.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]
        attributes = self._client.get_queue_attributes(QueueUrl=self._url, AttributeNames=["VisibilityTimeout"])
        self.visibility_timeout = int(attributes["Attributes"].get("VisibilityTimeout", 30))
        self.waiting_for_visibility = 0

    def wake_keys(self) -> tuple[Key, ...]:
        """Writes to the queue wake this mapping, and those the backend may carry on to any queue."""
        return (sqs_key(self.source_arn), ANY_QUEUE)

    def _receive(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while len(messages) < self.settings.batch_size:
            wanted = min(10, self.settings.batch_size - len(messages))
            received = self._client.receive_message(
                QueueUrl=self._url,
                MaxNumberOfMessages=wanted,
                VisibilityTimeout=HOLD_SECONDS,
                WaitTimeSeconds=0,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
            messages.extend(received)
            if len(received) < wanted:
                break
        return messages

    def _event_record(self, message: dict[str, Any]) -> dict[str, Any]:
        attributes = {}
        for name, value in message.get("MessageAttributes", {}).items():
            attributes[name] = {
                "stringValue": value.get("StringValue"),
                "binaryValue": value.get("BinaryValue"),
                "stringListValues": value.get("StringListValues", []),
                "binaryListValues": value.get("BinaryListValues", []),
                "dataType": value["DataType"],
            }
            attributes[name] = {k: v for k, v in attributes[name].items() if v is not None}
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": attributes,
            "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.source_arn,
            "awsRegion": self.account.region,
        }

    def _pump_locked(self) -> int:
        messages = self._receive()
        if not messages:
            return 0
        self._moved()
        records = [self._event_record(m) for m in messages]
        result = self.function.invoke({"Records": records})
        self.batches.append(len(records))
        failed = self._failed_ids(result, records)
        succeeded = [r for r in records if r["messageId"] not in failed]
        for start in range(0, len(succeeded), 10):
            chunk = succeeded[start : start + 10]
            self._client.delete_message_batch(
                QueueUrl=self._url,
                Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)],
            )
        for record in records:
            if record["messageId"] in failed:
                self._release_later(record["receiptHandle"])
        if result.error:
            error = f"{result.error.get('errorType')}: {result.error.get('errorMessage')}"
            self._failed(error, f"batch of {len(records)} failed; it returns to the queue after its visibility timeout")
        elif failed:
            self._failed("batchItemFailures", f"{len(failed)} of {len(records)} message(s) reported as failed")
        else:
            self._succeeded()
        return len(records)

    def _failed_ids(self, result: Any, records: list[dict[str, Any]]) -> set[str]:
        ids = {r["messageId"] for r in records}
        if not result.ok:
            return ids
        if not self.settings.reports_item_failures or not isinstance(result.payload, dict):
            return set()
        failures = result.payload.get("batchItemFailures") or []
        reported = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
        if not reported <= ids:
            return ids  # an unknown or empty identifier fails the whole batch
        return reported  # type: ignore[return-value]

    def _release_later(self, receipt_handle: str) -> None:
        self.waiting_for_visibility += 1

        def release() -> None:
            self.waiting_for_visibility -= 1
            # the message may have been deleted or moved meanwhile
            with contextlib.suppress(self._client.exceptions.ClientError):
                self._client.change_message_visibility(
                    QueueUrl=self._url, ReceiptHandle=receipt_handle, VisibilityTimeout=0
                )

        self.clock.call_later(self.visibility_timeout, release)
