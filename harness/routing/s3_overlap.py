"""S3's rule that two notification configurations of a bucket may not share an event for the same keys."""

from __future__ import annotations

from typing import Any


def _events_overlap(first: str, second: str) -> bool:
    a, b = first.split(":")[1:], second.split(":")[1:]
    if a[0] != b[0]:
        return False
    detail_a = a[1] if len(a) > 1 else "*"
    detail_b = b[1] if len(b) > 1 else "*"
    return "*" in (detail_a, detail_b) or detail_a == detail_b


def _filters(configuration: dict[str, Any]) -> tuple[str, str]:
    rules = configuration.get("Filter", {}).get("Key", {}).get("FilterRules", [])
    values = {rule["Name"].lower(): rule["Value"] for rule in rules}
    return values.get("prefix", ""), values.get("suffix", "")


def overlapping(existing: dict[str, Any], events: tuple[str, ...], prefix: str, suffix: str) -> str | None:
    """The Id of an existing configuration that shares an event type and possible keys, or None."""
    for kind in ("QueueConfigurations", "TopicConfigurations", "LambdaFunctionConfigurations"):
        for configuration in existing.get(kind, []):
            other_prefix, other_suffix = _filters(configuration)
            keys_meet = (prefix.startswith(other_prefix) or other_prefix.startswith(prefix)) and (
                suffix.endswith(other_suffix) or other_suffix.endswith(suffix)
            )
            if keys_meet and any(_events_overlap(a, b) for a in events for b in configuration.get("Events", [])):
                return configuration.get("Id", "(unnamed)")
    return None
