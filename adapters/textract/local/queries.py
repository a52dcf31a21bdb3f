"""QUERIES: a QUERY block per question and, where the page answers it, a QUERY_RESULT linked by ANSWER.

The local engine answers from the page's labelled fields, then from text that follows a matching label on
its row. A query applies to the first page unless its Pages say otherwise.
https://docs.aws.amazon.com/textract/latest/dg/queryresponse.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from adapters.textract.errors import InvalidParameter
from adapters.textract.local.blocks import Block, PageBlocks, geometry, new_id
from adapters.textract.local.forms import Field
from adapters.textract.local.page import Box, Word

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "do",
        "does",
        "for",
        "from",
        "how",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "with",
    ]
)
_PAGE_RANGE = re.compile(r"^(\d+|\*)(?:-(\d+|\*))?$")


def tokens(text: str) -> set[str]:
    """The meaningful lower-case words of a text."""
    return {t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS}


def pages_of(query: dict[str, Any], page_count: int) -> set[int]:
    """The page numbers a query applies to: its Pages ("1", "2-4", "*", "3-*"), or the first page."""
    selected: set[int] = set()
    for spec in query.get("Pages") or ["1"]:
        match = _PAGE_RANGE.match(spec.strip())
        if not match:
            raise InvalidParameter(f"Query {query['Text']!r}: page {spec!r} is not a number, a range like 2-4, or *")
        first = 1 if match.group(1) == "*" else int(match.group(1))
        last_text = match.group(2) if match.group(2) is not None else match.group(1)
        last = page_count if last_text == "*" else int(last_text)
        if first < 1 or last < first:
            raise InvalidParameter(f"Query {query['Text']!r}: page range {spec!r} is empty")
        selected.update(range(first, min(last, page_count) + 1))
    return selected


@dataclass(frozen=True)
class Answer:
    """The words answering a query and how sure the engine is."""

    words: tuple[Word, ...]
    confidence: float

    @property
    def text(self) -> str:
        """The answer's words joined by spaces."""
        return " ".join(w.text for w in self.words)


def answer(question: str, page: PageBlocks, fields: list[Field]) -> Answer | None:
    """The best answer on the page, or None."""
    wanted = tokens(question)
    if not wanted:
        return None
    best: tuple[float, Answer] | None = None
    for item in fields:
        score = _score(wanted, item.key_text)
        if item.value and score > 0 and (best is None or score > best[0]):
            best = (score, Answer(item.value, 100.0 * score))
    if best is not None:
        return best[1]
    for row in page.rows:
        for index, segment in enumerate(row.segments[:-1]):
            score = _score(wanted, segment.text)
            if score > 0 and (best is None or score > best[0]):
                best = (score, Answer(row.segments[index + 1].words, 90.0 * score))
    return best[1] if best else None


def _score(wanted: set[str], label: str) -> float:
    found = tokens(label)
    return len(wanted & found) / len(found | wanted) if found else 0.0


def query_blocks(query: dict[str, Any], found: Answer | None, page: PageBlocks) -> list[Block]:
    """The QUERY block, and its QUERY_RESULT when there is an answer."""
    spec = {k: query[k] for k in ("Text", "Alias", "Pages") if k in query}
    block: Block = {"BlockType": "QUERY", "Id": new_id(), "Query": spec, "Page": page.page.number}
    if found is None:
        return [block]
    result: Block = {
        "BlockType": "QUERY_RESULT",
        "Confidence": found.confidence,
        "Text": found.text,
        "Geometry": geometry(Box.around([w.box for w in found.words]), page.page),
        "Id": new_id(),
        "Page": page.page.number,
    }
    block["Relationships"] = [{"Type": "ANSWER", "Ids": [result["Id"]]}]
    return [block, result]
