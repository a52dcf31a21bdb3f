"""An EventBridge event as a target receives it, rebuilt from what the emulator put on a plumbing queue.

The plumbing target asks for the whole event (`<aws.events.event.json>`), so the message carries every
field; the harness puts them in EventBridge's order, turns an epoch `time` into its ISO form and keeps
the ingestion time apart (it is not part of the event a target receives).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.backends.base import Account

# The template the plumbing target carries: the unchanged event, whatever the backend.
WHOLE_EVENT_TEMPLATE = "<aws.events.event.json>"
FIELDS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail")


@dataclass(frozen=True)
class BusEvent:
    """One event a bus received, and when EventBridge took it in."""

    event: dict[str, Any]
    ingestion_time: str


def plumbing_target(target_id: str, queue_arn: str) -> dict[str, Any]:
    """A PutTargets entry that delivers the whole event to a plumbing queue."""
    return {
        "Id": target_id,
        "Arn": queue_arn,
        "InputTransformer": {"InputPathsMap": {}, "InputTemplate": WHOLE_EVENT_TEMPLATE},
    }


def bus_event_from_body(body: str, account: Account) -> BusEvent:
    """Parse a plumbing message body; ValueError says why it is not an event."""
    raw = json.loads(body)
    if not isinstance(raw, dict) or "detail-type" not in raw or "source" not in raw:
        raise ValueError(f"plumbing message is not an EventBridge event: {body[:200]}")
    ingestion = raw.pop("ingestion-time", None)
    event: dict[str, Any] = {
        "version": raw.pop("version", "0"),
        "id": raw.pop("id", ""),
        "detail-type": raw.pop("detail-type"),
        "source": raw.pop("source"),
        "account": raw.pop("account", account.account_id),
        "time": _iso_seconds(raw.pop("time", None)),
        "region": raw.pop("region", account.region),
        "resources": raw.pop("resources", []),
        "detail": raw.pop("detail", {}),
    }
    event.update(raw)  # fields such as replay-name stay, after the standard ones
    stamp = _iso_millis(ingestion) if isinstance(ingestion, int | float) else f"{event['time'][:-1]}.000Z"
    return BusEvent(event, stamp)


def events_scope(bus: str) -> str:
    """The direct ledger's scope for the events a bus receives."""
    return f"events:{bus}"


def bus_name(bus: str | None) -> str:
    """A bus's name from an EventBusName parameter (a name, an ARN, or nothing for the default bus)."""
    if not bus:
        return "default"
    return bus.rsplit("/", 1)[-1] if bus.startswith("arn:") else bus


def bus_event_from_entry(entry: dict[str, Any], event_id: str, account: Account, now: datetime) -> BusEvent:
    """The event a bus makes of one accepted PutEvents entry (boto3's parameters), received at `now`."""
    stamp = entry.get("Time")
    event: dict[str, Any] = {
        "version": "0",
        "id": event_id,
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": account.account_id,
        "time": (stamp if isinstance(stamp, datetime) else now).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": account.region,
        "resources": list(entry.get("Resources") or []),
        "detail": json.loads(entry["Detail"]),
    }
    return BusEvent(event, now.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"))


def _iso_seconds(value: Any) -> str:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str) and value:
        return value
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_millis(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
