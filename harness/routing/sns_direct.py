"""SNS messages published through the harness's endpoint, delivered to the topic's function subscriptions at once.

The backend still publishes the message and raises it onto the plumbing queues, where the queue route
skips it (see `DirectLedger`), unless it can be told not to (see `plumbing_skip`). The harness builds the
envelope SNS sends to a subscription (Type, MessageId, TopicArn, Subject, Message, Timestamp,
SignatureVersion, Signature, SigningCertURL, UnsubscribeURL, MessageAttributes as
`{"name": {"Type": ..., "Value": ...}}` with Binary values in base64) and hands it to each subscription's
route, whose filter policy decides, as for a queued one.

With `MessageStructure=json` a Lambda subscription receives the text of the message's "lambda" key, or
of its "default" key (SNS API reference, Publish: MessageStructure).
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.routing.sns_subscriptions import DeployedSubscription

SIGNATURE_VERSION = "1"  # a topic's default (SNS: "Verifying the signatures of Amazon SNS messages")


def envelope_attributes(attributes: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, str]]:
    """Publish's MessageAttributes as SNS's envelope spells them: `{"name": {"Type": ..., "Value": ...}}`."""
    shown: dict[str, dict[str, str]] = {}
    for name, attribute in (attributes or {}).items():
        kind = str(attribute.get("DataType", "String"))
        if "BinaryValue" in attribute:
            raw = attribute["BinaryValue"]
            value = base64.b64encode(raw if isinstance(raw, bytes) else str(raw).encode()).decode()
        else:
            value = str(attribute.get("StringValue", ""))
        shown[name] = {"Type": kind, "Value": value}
    return shown


def message_for_lambda(message: str, structure: str | None) -> str:
    """The text a Lambda subscription receives: with MessageStructure json the "lambda" key's, else "default"'s."""
    if structure != "json":
        return message
    try:
        texts = json.loads(message)
    except ValueError:
        return message  # the backend refuses such a publish before anything is delivered
    if not isinstance(texts, dict):
        return message
    chosen = texts.get("lambda", texts.get("default", ""))
    return chosen if isinstance(chosen, str) else json.dumps(chosen)


def sns_envelope(topic_arn: str, message_id: str, entry: Mapping[str, Any], subscription_arn: str) -> dict[str, Any]:
    """The envelope SNS sends a subscription for one published message (`entry`: Publish's parameters)."""
    region = topic_arn.split(":")[3] if topic_arn.count(":") >= 5 else "us-east-1"
    now = datetime.now(UTC)
    envelope: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic_arn,
        "Message": message_for_lambda(entry.get("Message", ""), entry.get("MessageStructure")),
        "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "SignatureVersion": SIGNATURE_VERSION,
        # Random bytes of a signature's size: the harness holds no SNS signing key.
        "Signature": base64.b64encode(secrets.token_bytes(256)).decode(),
        "SigningCertURL": f"https://sns.{region}.amazonaws.com/SimpleNotificationService-{uuid.uuid4().hex}.pem",
        "UnsubscribeURL": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
    }
    if entry.get("Subject"):
        envelope["Subject"] = entry["Subject"]
    attributes = envelope_attributes(entry.get("MessageAttributes"))
    if attributes:
        envelope["MessageAttributes"] = attributes
    return envelope


def deliver_published(
    subscriptions: Iterable[DeployedSubscription], topic_arn: str, message_id: str, entry: Mapping[str, Any]
) -> None:
    """Hand one published message to each of the topic's function subscriptions (their filter policies decide)."""
    for deployed in subscriptions:
        if deployed.removed:
            continue
        deployed.route.deliver(sns_envelope(topic_arn, message_id, entry, deployed.subscription_arn))
