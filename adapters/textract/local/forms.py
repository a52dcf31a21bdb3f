"""FORMS: label / value pairs as KEY_VALUE_SET blocks (a label ends with a colon, its value follows it).

A KEY block points at its VALUE block (relationship VALUE) and at its own words (CHILD); the VALUE block
points at the value's words, or at none when the field is empty.
https://docs.aws.amazon.com/textract/latest/dg/how-it-works-kvp.html
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from adapters.textract.local.blocks import Block, PageBlocks, children, geometry, new_id
from adapters.textract.local.page import Box, Word

MAX_KEY_WORDS = 6


@dataclass(frozen=True)
class Field:
    """One label and its value words (none for an empty field)."""

    key: tuple[Word, ...]
    value: tuple[Word, ...]

    @property
    def key_text(self) -> str:
        """The label without its colon."""
        return " ".join(w.text for w in self.key).rstrip(":").strip()

    @property
    def value_text(self) -> str:
        """The value's words joined by spaces."""
        return " ".join(w.text for w in self.value)


def _is_label_end(word: Word) -> bool:
    return (word.text.endswith(":") and len(word.text) > 1) or word.text == ":"


def fields_of(page: PageBlocks) -> list[Field]:
    """Every label on the page with the words that follow it on its row."""
    found: list[Field] = []
    for row in page.rows:
        segments = list(row.segments)
        for index, segment in enumerate(segments):
            found.extend(_fields_in(segment.words, segments[index + 1] if index + 1 < len(segments) else None))
    return found


def _fields_in(words: tuple[Word, ...], next_segment) -> list[Field]:
    ends = [i for i, w in enumerate(words) if _is_label_end(w)]
    fields = []
    start = 0
    for n, end in enumerate(ends):
        key = words[start : end + 1]
        if len(key) > MAX_KEY_WORDS:
            key = key[-1:]
        following = ends[n + 1] if n + 1 < len(ends) else None
        if following is None:
            value = words[end + 1 :]
            start = len(words)
        else:
            value = words[end + 1 : following]  # the next label is its colon word alone
            start = following
        if not value and following is None and next_segment is not None and not _starts_a_label(next_segment.words):
            value = next_segment.words
        fields.append(Field(tuple(key), tuple(value)))
    return fields


def _starts_a_label(words: tuple[Word, ...]) -> bool:
    return any(_is_label_end(w) for w in words[:MAX_KEY_WORDS])


def form_blocks(page: PageBlocks, fields: list[Field]) -> list[Block]:
    """A KEY and a VALUE block per field."""
    blocks: list[Block] = []
    for item in fields:
        value_id, key_id = new_id(), new_id()
        key_box = Box.around([w.box for w in item.key])
        if item.value:
            value_box = Box.around([w.box for w in item.value])
        else:  # Textract places an empty value just right of its label
            value_box = Box(key_box.right, key_box.top, key_box.right + key_box.height, key_box.bottom)
        blocks.append(
            {
                "BlockType": "KEY_VALUE_SET",
                "Confidence": statistics.fmean(w.confidence for w in item.key),
                "Geometry": geometry(key_box, page.page),
                "Id": key_id,
                "Relationships": [{"Type": "VALUE", "Ids": [value_id]}, *children(page.ids_of(item.key))],
                "EntityTypes": ["KEY"],
                "Page": page.page.number,
            }
        )
        value: Block = {
            "BlockType": "KEY_VALUE_SET",
            "Confidence": statistics.fmean(w.confidence for w in item.value or item.key),
            "Geometry": geometry(value_box, page.page),
            "Id": value_id,
            "EntityTypes": ["VALUE"],
            "Page": page.page.number,
        }
        if item.value:
            value["Relationships"] = children(page.ids_of(item.value))
        blocks.append(value)
    return blocks
