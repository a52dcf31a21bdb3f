"""SNS subscription filter policies, decided by the harness's event-pattern engine.

Written from the SNS developer guide's "Amazon SNS message filtering" pages: a filter policy uses the
same operators as an EventBridge pattern (exact values, prefix, suffix, equals-ignore-case, anything-but,
numeric, cidr, exists, `$or`). With the `MessageAttributes` scope it applies to the message attributes
(String values as strings, Number values as numbers, String.Array values as arrays; Binary attributes are
ignored); with the `MessageBody` scope it applies to the message body, which must be a JSON object.
"""

from __future__ import annotations

import json
from typing import Any

from harness.routing.pattern_matching import matches

SCOPES = ("MessageAttributes", "MessageBody")


def attribute_values(attributes: dict[str, Any]) -> dict[str, Any]:
    """Message attributes (`{"name": {"Type": ..., "Value": ...}}`) as the values a filter policy sees."""
    values: dict[str, Any] = {}
    for name, attribute in attributes.items():
        kind = str(attribute.get("Type") or attribute.get("DataType") or "String")
        raw = attribute.get("Value", attribute.get("StringValue"))
        if kind.startswith("Binary") or raw is None:
            continue
        if kind.startswith("Number"):
            try:
                number = float(raw)
            except ValueError:
                continue
            values[name] = int(number) if number.is_integer() and "." not in str(raw) else number
        elif kind.startswith("String.Array"):
            try:
                values[name] = json.loads(raw)
            except ValueError:
                values[name] = raw
        else:
            values[name] = raw
    return values


def filter_policy_matches(
    policy: dict[str, Any], message: str, attributes: dict[str, Any], scope: str = "MessageAttributes"
) -> bool:
    """Whether SNS delivers a message with these attributes to a subscription with this policy."""
    if scope not in SCOPES:
        raise ValueError(f"filter policy scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    if not policy:
        return True
    if scope == "MessageAttributes":
        return matches(policy, attribute_values(attributes))
    try:
        body = json.loads(message)
    except (TypeError, ValueError):
        return False  # a body that is not JSON matches no payload-based policy
    return isinstance(body, dict) and matches(policy, body)
