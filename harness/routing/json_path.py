"""The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap.

Supported, as EventBridge documents it: `$`, dot notation (`$.detail.order-id`), names with dashes,
underscores, slashes and alphanumerics, array indices (`$.resources[0]`) and wildcards (`$.detail.*`,
`$.items[*]`). A path with a wildcard selects a list of every match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NAME = r"[A-Za-z0-9_\-/:@$]+"
_STEP = re.compile(rf"\.(?P<name>{_NAME})|\.(?P<star>\*)|\[(?P<index>\d+)\]|\[(?P<all>\*)\]|\['(?P<quoted>[^']+)'\]")

MISSING = object()


class InvalidJsonPath(ValueError):
    """The text is not a JSON path EventBridge accepts."""


@dataclass(frozen=True)
class JsonPath:
    """A parsed path; `find(document)` returns the value, a list for wildcards, or MISSING."""

    text: str
    steps: tuple[tuple[str, Any], ...]

    @property
    def has_wildcard(self) -> bool:
        """True when the path can select several values."""
        return any(kind == "*" for kind, _ in self.steps)

    def find(self, document: Any) -> Any:
        """The selected value, a list of values for a wildcard path, or MISSING when nothing matches."""
        matches = [document]
        for kind, key in self.steps:
            found = []
            for node in matches:
                named = kind == "name" and isinstance(node, dict) and key in node
                indexed = kind == "index" and isinstance(node, list) and key < len(node)
                if named or indexed:
                    found.append(node[key])
                elif kind == "*" and isinstance(node, dict):
                    found.extend(node.values())
                elif kind == "*" and isinstance(node, list):
                    found.extend(node)
            matches = found
        if self.has_wildcard:
            return matches if matches else MISSING
        return matches[0] if matches else MISSING


def parse_json_path(text: str) -> JsonPath:
    """Parse `text`; InvalidJsonPath says what is wrong with it."""
    if not isinstance(text, str) or not text.startswith("$"):
        raise InvalidJsonPath(f"{text!r} is not a JSON path: it must start with '$'")
    steps: list[tuple[str, Any]] = []
    position = 1
    while position < len(text):
        match = _STEP.match(text, position)
        if match is None:
            raise InvalidJsonPath(f"{text!r} is not a JSON path EventBridge supports (at {text[position:]!r})")
        if match["name"] is not None:
            steps.append(("name", match["name"]))
        elif match["quoted"] is not None:
            steps.append(("name", match["quoted"]))
        elif match["index"] is not None:
            steps.append(("index", int(match["index"])))
        else:
            steps.append(("*", None))
        position = match.end()
    return JsonPath(text, tuple(steps))
