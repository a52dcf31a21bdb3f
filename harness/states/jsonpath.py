"""JsonPath as the Amazon States Language uses it: read values and context, write a ResultPath.

A path starts with `$` (the state's data) or `$$` (the context object). Steps are `.name`, `['name']`,
`[0]`, `[-1]`, `*`, `[*]`, unions `['a','b']` / `[0,2]`, slices `[1:3]`, deep scan `..name` and filters
`[?(@.price > 10)]`. A *definite* path (names and single indexes only) reads one value; any other path
reads the list of every match, as Step Functions (Jayway JsonPath) does. A *reference path* (ResultPath,
a Choice rule's Variable, the `...Path` comparators) may only use definite steps.

Filters are evaluated with jsonpath-ng; the other steps are simple enough to walk directly.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jsonpath_ng.ext import parse as parse_extended
from jsonpath_ng.ext.filter import Filter
from jsonpath_ng.jsonpath import Child, DatumInContext

# Characters that end a name written in dot notation (`$.name`), or may not appear in one.
_NAME_STOP = frozenset(".[")
_NAME_FORBIDDEN = frozenset("]()'\",*?@ \t\r\n")
_INDICES = re.compile(r"-?\d+(,-?\d+)*")
_SLICE = re.compile(r"(-?\d+)?:(-?\d+)?(:(-?\d+)?)?")


class PathError(ValueError):
    """A path that is malformed, or that cannot be applied to the data it is used on."""


class PathNotFound(PathError):
    """A path that matches nothing in the data (Step Functions reports it as States.Runtime)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class _Step:
    """One step of a parsed path; `names`/`indices` hold one entry for a definite step."""

    kind: str  # "name", "index", "wildcard", "slice", "filter", "descend"
    names: tuple[str, ...] = ()
    indices: tuple[int, ...] = ()
    bounds: tuple[int | None, int | None, int | None] = (None, None, None)
    filter: Any = None
    inner: _Step | None = None
    text: str = field(default="", compare=False)

    @property
    def definite(self) -> bool:
        return (self.kind == "name" and len(self.names) == 1) or (self.kind == "index" and len(self.indices) == 1)

    def rendered(self) -> str:
        """The step as Jayway prints paths in its messages: `['name']`, `[0]`."""
        if self.kind == "name":
            return "[" + ",".join(f"'{name}'" for name in self.names) + "]"
        if self.kind == "index":
            return "[" + ",".join(str(index) for index in self.indices) + "]"
        return self.text


@dataclass(frozen=True)
class _Path:
    text: str
    context: bool  # `$$`: reads the context object
    steps: tuple[_Step, ...]

    @property
    def merges_last(self) -> bool:
        """Whether the path ends in a union of names, which reads one object holding those names."""
        return bool(self.steps) and self.steps[-1].kind == "name" and len(self.steps[-1].names) > 1

    @property
    def definite(self) -> bool:
        return all(step.definite for step in self.steps[:-1]) and (
            not self.steps or self.steps[-1].definite or self.merges_last
        )

    def rendered(self, upto: int) -> str:
        return "$" + "".join(step.rendered() for step in self.steps[:upto])


# -- parsing --------------------------------------------------------------------------------------------------


class _Parser:
    """Reads a path's text into steps, naming the position and the problem when it cannot."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, problem: str) -> PathError:
        return PathError(f"Invalid path '{self.text}': {problem}")

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def parse(self) -> _Path:
        if not self.text.startswith("$"):
            raise self.fail("a path must start with '$'")
        context = self.text.startswith("$$")
        self.pos = 2 if context else 1
        steps: list[_Step] = []
        while self.pos < len(self.text):
            steps.append(self.step())
        return _Path(self.text, context, tuple(steps))

    def step(self) -> _Step:
        start = self.pos
        char = self.peek()
        if char == "." and self.peek(1) == ".":
            self.pos += 2
            if self.peek() in ("", "."):
                raise self.fail(f"'..' at position {start} must be followed by a name, '*' or '['")
            inner = self.bracket() if self.peek() == "[" else self.dotted()
            return _Step("descend", inner=inner, text=self.text[start : self.pos])
        if char == ".":
            self.pos += 1
            # `$.abc.['def ghi']`: AWS's own examples put a dot before a bracket.
            return self.bracket() if self.peek() == "[" else self.dotted()
        if char == "[":
            return self.bracket()
        raise self.fail(f"unexpected {char!r} at position {start}")

    def dotted(self) -> _Step:
        start = self.pos
        if self.peek() == "*":
            self.pos += 1
            return _Step("wildcard", text=".*")
        while self.pos < len(self.text) and self.text[self.pos] not in _NAME_STOP:
            char = self.text[self.pos]
            if char in _NAME_FORBIDDEN:
                if char == "(" and self.pos > start:
                    raise self.fail(f"functions such as '{self.text[start:]}' are not supported")
                raise self.fail(f"unexpected {char!r} at position {self.pos}")
            self.pos += 1
        if self.pos == start:
            raise self.fail(f"a name is missing at position {start}")
        return _Step("name", names=(self.text[start : self.pos],))

    def bracket(self) -> _Step:
        start = self.pos
        self.pos += 1  # '['
        self.skip_spaces()
        char = self.peek()
        if char == "?":
            return self.filter(start)
        if char == "*":
            self.pos += 1
            self.close(start)
            return _Step("wildcard", text="[*]")
        if char in ("'", '"'):
            names = [self.quoted()]
            self.skip_spaces()
            while self.peek() == ",":
                self.pos += 1
                self.skip_spaces()
                if self.peek() not in ("'", '"'):
                    raise self.fail(f"a quoted name is expected at position {self.pos}")
                names.append(self.quoted())
                self.skip_spaces()
            self.close(start)
            return _Step("name", names=tuple(names))
        return self.numeric(start)

    def numeric(self, start: int) -> _Step:
        end = self.text.find("]", self.pos)
        if end < 0:
            raise self.fail(f"'[' at position {start} is never closed with ']'")
        body = self.text[self.pos : end].replace(" ", "")
        self.pos = end + 1
        text = self.text[start : self.pos]
        if _SLICE.fullmatch(body):
            bounds = tuple(int(part) if part else None for part in body.split(":"))
            bounds += (None,) * (3 - len(bounds))
            if bounds[2] == 0:
                raise self.fail(f"the slice {text} has a step of 0")
            return _Step("slice", bounds=bounds, text=text)  # type: ignore[arg-type]
        if _INDICES.fullmatch(body):
            return _Step("index", indices=tuple(int(part) for part in body.split(",")), text=text)
        raise self.fail(f"{text} is neither a quoted name, an index, a slice, '*' nor a filter")

    def quoted(self) -> str:
        quote = self.peek()
        start = self.pos
        self.pos += 1
        chars: list[str] = []
        while True:
            char = self.peek()
            if char == "":
                raise self.fail(f"the name quoted at position {start} is never closed")
            self.pos += 1
            if char == "\\":
                chars.append(self.peek())
                self.pos += 1
            elif char == quote:
                return "".join(chars)
            else:
                chars.append(char)

    def filter(self, start: int) -> _Step:
        if self.peek(1) != "(":
            raise self.fail(f"a filter at position {start} must be written [?(...)]")
        end = _filter_end(self.text, self.pos + 2)
        if end is None:
            raise self.fail(f"the filter at position {start} is never closed with ')]'")
        self.pos = end + 2
        text = self.text[start : self.pos]
        return _Step("filter", filter=_compile_filter(self.text, text), text=text)

    def close(self, start: int) -> None:
        self.skip_spaces()
        if self.peek() != "]":
            raise self.fail(f"'[' at position {start} is never closed with ']'")
        self.pos += 1

    def skip_spaces(self) -> None:
        while self.peek() == " ":
            self.pos += 1


def _filter_end(text: str, pos: int) -> int | None:
    """The index of the `)` that, followed by `]`, closes a filter whose body starts at `pos`."""
    depth = 0
    quote = ""
    while pos < len(text):
        char = text[pos]
        if quote:
            if char == "\\":
                pos += 1
            elif char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                return pos if text.startswith(")]", pos) else None
            depth -= 1
        pos += 1
    return None


def _compile_filter(path: str, text: str) -> Filter:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            expression = parse_extended("$" + text)
    except Exception as error:  # jsonpath-ng signals a bad filter with several exception types
        raise PathError(f"Invalid path '{path}': the filter {text} is not supported ({error})") from None
    if not (isinstance(expression, Child) and isinstance(expression.right, Filter)):
        raise PathError(f"Invalid path '{path}': {text} is not a filter")
    return expression.right


def _parse(path: str) -> _Path:
    if not isinstance(path, str):
        raise PathError(f"A path must be a string, not {type(path).__name__}")
    return _parse_text(path)


@lru_cache(maxsize=4096)
def _parse_text(path: str) -> _Path:
    return _Parser(path).parse()


# -- public API -----------------------------------------------------------------------------------------------


def validate_path(path: str, *, reference: bool = False) -> None:
    """Raise PathError naming the path and the problem unless `path` is valid JsonPath for ASL.

    With `reference=True` only a Reference Path is valid: names and single indexes, no wildcard, union,
    slice, deep scan or filter.
    """
    parsed = _parse(path)
    if reference:
        for step in parsed.steps:
            if not step.definite:
                raise PathError(
                    f"Invalid reference path '{path}': {_describe(step)} is not allowed;"
                    " a reference path may only use names and single indexes"
                )


def is_definite(path: str) -> bool:
    """Whether a (valid) path reads one value rather than a list of matches."""
    return _parse(path).definite


def read_path(path: str, data: Any, context: Any = None) -> Any:
    """The value at `path` in `data` (or, for `$$...`, in `context`), sharing nothing with either.

    A definite path returns its value; any other path returns the list of its matches. Raises
    PathNotFound naming the path when a definite path (or the definite start of another) matches nothing.
    """
    parsed = _parse(path)
    document = context if parsed.context else data
    nodes = [document]
    upstream_definite = True
    last = len(parsed.steps) - 1
    for position, step in enumerate(parsed.steps):
        if position == last and upstream_definite and parsed.merges_last:
            # Jayway reads a final `['a','b']` as one object holding those of the names that are present.
            if not isinstance(nodes[0], dict):
                raise _not_found(parsed, position)
            return copy.deepcopy({name: nodes[0][name] for name in step.names if name in nodes[0]})
        found = list(_apply(step, nodes, document))
        if not found and upstream_definite and step.definite:
            if not parsed.definite:
                # An indefinite path ($.items[*], $.a.items[1:5].b) over data without the field reads
                # an empty list in Step Functions, not an error.
                return []
            raise _not_found(parsed, position)
        upstream_definite = upstream_definite and step.definite
        nodes = found
    return copy.deepcopy(nodes[0] if upstream_definite else nodes)


def _not_found(parsed: _Path, position: int) -> PathNotFound:
    if position == len(parsed.steps) - 1:
        detail = f"No results for path: {parsed.rendered(position + 1)}"
    else:
        detail = f"Missing property in path {parsed.rendered(position + 1)}"
    return PathNotFound(f"Invalid path '{parsed.text}' : {detail}", parsed.text)


def write_path(path: str, data: Any, value: Any) -> Any:
    """`data` with `value` placed at the reference path `path` (ResultPath); `data` itself is unchanged.

    `$` replaces the whole document; missing objects along `$.a.b` are created. Raises PathError when the
    path goes through something that is not an object (or, for an index, not a long enough array).
    """
    parsed = _parse(path)
    if parsed.context:
        raise PathError(f"Invalid reference path '{path}': a result cannot be written to the context object")
    validate_path(path, reference=True)
    value = copy.deepcopy(value)
    if not parsed.steps:
        return value
    result = copy.deepcopy(data)
    node = result
    *leading, last = parsed.steps
    for step in leading:
        if step.kind == "name" and isinstance(node, dict):
            node = node.setdefault(step.names[0], {})
        elif step.kind == "index" and _has_index(node, step.indices[0]):
            node = node[step.indices[0]]
        else:
            raise _unable_to_apply(path, data)
    if last.kind == "name" and isinstance(node, dict):
        node[last.names[0]] = value
    elif last.kind == "index" and _has_index(node, last.indices[0]):
        node[last.indices[0]] = value
    else:
        raise _unable_to_apply(path, data)
    return result


# -- evaluation -----------------------------------------------------------------------------------------------


def _apply(step: _Step, nodes: list[Any], document: Any) -> Iterator[Any]:
    for node in nodes:
        yield from _children(step, node, document)


def _children(step: _Step, node: Any, document: Any) -> Iterator[Any]:
    kind = step.kind
    if kind == "name":
        if isinstance(node, dict):
            yield from (node[name] for name in step.names if name in node)
    elif kind == "index":
        if isinstance(node, list):
            yield from (node[index] for index in step.indices if _has_index(node, index))
    elif kind == "wildcard":
        if isinstance(node, dict):
            yield from node.values()
        elif isinstance(node, list):
            yield from node
    elif kind == "slice":
        if isinstance(node, list):
            start, end, stride = step.bounds
            yield from node[slice(start, end, stride)]
    elif kind == "filter":
        datum = DatumInContext(node, context=DatumInContext(document))
        yield from (match.value for match in step.filter.find(datum))
    elif kind == "descend":
        assert step.inner is not None
        for descendant in _self_and_descendants(node):
            yield from _children(step.inner, descendant, document)


def _self_and_descendants(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _self_and_descendants(child)


def _describe(step: _Step) -> str:
    if step.kind in ("name", "index"):
        return f"the union {step.rendered()}"
    return {"wildcard": "the wildcard", "slice": "the slice", "filter": "the filter", "descend": "the deep scan"}[
        step.kind
    ] + f" {step.text}"


def _has_index(node: Any, index: int) -> bool:
    return isinstance(node, list) and -len(node) <= index < len(node)


def _unable_to_apply(path: str, data: Any) -> PathError:
    return PathError(f"Unable to apply ReferencePath {path} to input {json.dumps(data, separators=(',', ':'))}")
