"""Finding a demo by its key, its pattern number or its name, and running them in pattern order."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Demo = tuple[str, Callable[..., Any]]


def pattern_number(title: str) -> int | None:
    """The N of a title that starts with "Pattern N:"."""
    match = re.match(r"Pattern (\d+)\b", title)
    return int(match.group(1)) if match else None


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def resolve_pattern(requested: str, demos: Mapping[str, Demo]) -> str:
    """The key of the demo `requested` names: a key, a pattern number (`7`) or a name (`Stream processing`).

    ValueError names the request and lists what there is.
    """
    wanted = requested.strip()
    if wanted in demos:
        return wanted
    if wanted.isdigit():
        for key, (title, _) in demos.items():
            if pattern_number(title) == int(wanted):
                return key
    simple = _simple(wanted)
    for key, (title, _) in demos.items():
        name = title.split(":", 1)[-1]
        if simple and simple in (_simple(key), _simple(name), _simple(title)):
            return key
    known = ", ".join(f"{pattern_number(title) or '?'} {key}" for key, (title, _) in demos.items())
    raise ValueError(f"no demo for pattern {requested!r}; there are: {known}")


def in_pattern_order(keys: list[str], demos: Mapping[str, Demo]) -> list[str]:
    """The keys, each once, ordered by pattern number."""
    unique = list(dict.fromkeys(keys))
    return sorted(unique, key=lambda key: (pattern_number(demos[key][0]) or 1000, key))
