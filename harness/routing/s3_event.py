"""An S3 event record as Lambda receives it, rebuilt from what the emulator sent to a plumbing queue.

Fields the emulator leaves out are filled in the way S3 fills them: `userIdentity`, `requestParameters`,
`responseElements`, the bucket's `ownerIdentity` and the object's `sequencer` (increasing hex, so events
of one key sort in order). The object key is URL-encoded as S3 does: spaces as '+', '/' kept, other
reserved characters percent-encoded. Removal events carry no size or eTag.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from harness.backends.base import Account
from harness.routing.direct_ledger import DEFAULT_LIMIT


class Sequencer:
    """Increasing 18-digit hex values, like the `sequencer` S3 puts on each event."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        """A value greater than every earlier one."""
        with self._lock:
            self._last = max(self._last + 1, time.time_ns())
            return f"{self._last:018X}"


def s3_scope(bucket: str) -> str:
    """The ledger scope of a bucket's events."""
    return f"s3:{bucket}"


def event_identity(record: dict[str, Any]) -> tuple[str, str, str]:
    """What both routes know of an event: its name, its key (decoded) and, for a creation, the eTag."""
    event_name = record.get("eventName", "")
    obj = record.get("s3", {}).get("object", {})
    etag = "" if event_name.startswith("ObjectRemoved") else str(obj.get("eTag", "")).strip('"')
    return event_name, unquote_plus(obj.get("key", "")), etag


class Occurrences:
    """Counts events per identity: the first, the second ... event with the same name, key and eTag.

    It remembers as many identities as the ledger remembers keys (`limit`), the least recently counted
    forgotten first, so a long run writing many objects holds a bounded number.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._seen: OrderedDict[tuple[str, str, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def next(self, identity: tuple[str, str, str]) -> int:
        """1 for the first event with this identity, 2 for the next one, and so on."""
        with self._lock:
            self._seen[identity] = count = self._seen.get(identity, 0) + 1
            self._seen.move_to_end(identity)
            while len(self._seen) > self.limit:
                self._seen.popitem(last=False)
            return count

    def __len__(self) -> int:
        with self._lock:
            return len(self._seen)


def lambda_s3_record(record: dict[str, Any], account: Account, sequencer: Sequencer) -> dict[str, Any]:
    """One record of the S3 event Lambda receives."""
    s3 = record.get("s3", {})
    bucket = s3.get("bucket", {})
    obj = dict(s3.get("object", {}))
    obj["key"] = quote_plus(unquote_plus(obj.get("key", "")), safe="/")
    event_name = record.get("eventName", "")
    if event_name.startswith("ObjectRemoved"):
        obj.pop("size", None)
        obj.pop("eTag", None)
    obj.setdefault("sequencer", sequencer.next())
    principal = {"principalId": f"AWS:{account.account_id}"}
    return {
        "eventVersion": record.get("eventVersion", "2.1"),
        "eventSource": "aws:s3",
        "awsRegion": record.get("awsRegion", account.region),
        "eventTime": record.get("eventTime"),
        "eventName": event_name,
        "userIdentity": record.get("userIdentity") or principal,
        "requestParameters": record.get("requestParameters") or {"sourceIPAddress": "127.0.0.1"},
        "responseElements": record.get("responseElements")
        or {"x-amz-request-id": secrets.token_hex(8).upper(), "x-amz-id-2": secrets.token_urlsafe(48)},
        "s3": {
            "s3SchemaVersion": s3.get("s3SchemaVersion", "1.0"),
            "configurationId": s3.get("configurationId"),
            "bucket": {
                "name": bucket.get("name"),
                "ownerIdentity": bucket.get("ownerIdentity") or {"principalId": account.account_id},
                "arn": bucket.get("arn") or f"arn:aws:s3:::{bucket.get('name')}",
            },
            "object": obj,
        },
    }
