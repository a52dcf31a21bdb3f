"""The completion notice Textract publishes to a job's SNS topic, and the results it writes to S3.

Notice: https://docs.aws.amazon.com/textract/latest/dg/async-notification-payload.html
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from adapters.textract.errors import InvalidParameter
from harness.backends.base import Account


def check_topic(account: Account, channel: dict[str, Any]) -> None:
    """InvalidParameter unless the NotificationChannel's topic exists in the account."""
    arn = channel.get("SNSTopicArn", "")
    try:
        account.client("sns").get_topic_attributes(TopicArn=arn)
    except ClientError as exc:
        raise InvalidParameter(f"NotificationChannel: the SNS topic {arn!r} does not exist or cannot be used") from exc


def completion_notice(
    job_id: str, status: str, api: str, job_tag: str | None, finished_ms: int, s3_object: dict[str, Any]
) -> dict[str, Any]:
    """The message Textract publishes when a job ends."""
    notice: dict[str, Any] = {"JobId": job_id, "Status": status, "API": api}
    if job_tag:
        notice["JobTag"] = job_tag
    notice["Timestamp"] = finished_ms
    notice["DocumentLocation"] = {"S3ObjectName": s3_object["Name"], "S3Bucket": s3_object["Bucket"]}
    return notice


def publish_notice(account: Account, channel: dict[str, Any], notice: dict[str, Any]) -> None:
    """Publish the notice to the channel's topic on the backend."""
    account.client("sns").publish(TopicArn=channel["SNSTopicArn"], Message=json.dumps(notice))


def write_results(account: Account, output: dict[str, Any], job_id: str, pages: list[dict[str, Any]]) -> None:
    """Write each page of Get results as <S3Prefix>/<JobId>/<n> in the OutputConfig bucket."""
    prefix = (output.get("S3Prefix") or "textract_output").rstrip("/")
    s3 = account.client("s3")
    for number, page in enumerate(pages, start=1):
        s3.put_object(Bucket=output["S3Bucket"], Key=f"{prefix}/{job_id}/{number}", Body=json.dumps(page).encode())
