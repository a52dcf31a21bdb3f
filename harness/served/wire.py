"""An HTTP request and response as the gateway sees them, independent of the WSGI server."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request")


class Headers:
    """Case-insensitive header lookup over what the client sent."""

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = {key.lower(): value for key, value in items}

    def get(self, name: str, default: str | None = None) -> str | None:
        """The header's value, or `default`."""
        return self._items.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def items(self) -> Iterable[tuple[str, str]]:
        """Every header, names lower-cased."""
        return self._items.items()


@dataclass
class WireRequest:
    """One request: method, raw path and query, headers and the whole body."""

    method: str
    path: str
    query: str
    headers: Headers
    body: bytes

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        """The query string's pairs in order, keys without a value as ''."""
        return parse_qsl(self.query, keep_blank_values=True)

    @property
    def signing_name(self) -> str | None:
        """The service the request was signed for (SigV4 credential scope), if signed."""
        header = self.headers.get("authorization") or ""
        found = _CREDENTIAL_SCOPE.search(header)
        if found:
            return found.group(1)
        for key, value in self.query_pairs:
            if key == "X-Amz-Credential":
                parts = value.split("/")
                return parts[3] if len(parts) > 3 else None
        return None

    @property
    def target(self) -> str | None:
        """The X-Amz-Target header of the JSON protocol."""
        return self.headers.get("x-amz-target")

    @property
    def is_cbor(self) -> bool:
        """True for a Smithy RPC v2 CBOR request."""
        return (self.headers.get("smithy-protocol") or "").lower() == "rpc-v2-cbor"

    @property
    def form(self) -> dict[str, str]:
        """The body as a form (query protocol), or {} when it is not one."""
        content_type = (self.headers.get("content-type") or "").lower()
        if self.method != "POST" or "x-www-form-urlencoded" not in content_type:
            return dict(self.query_pairs)
        try:
            return dict(parse_qsl(self.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return {}


@dataclass
class WireResponse:
    """What the gateway answers: status, headers and a body (bytes, or chunks for a stream)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""

    def __post_init__(self) -> None:
        self.headers.setdefault("x-amzn-RequestId", str(uuid.uuid4()))


def drop_none(value: Any) -> Any:
    """A copy without None values in dicts (an absent optional member, not a null one)."""
    if isinstance(value, Mapping):
        return {key: drop_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [drop_none(item) for item in value]
    return value
