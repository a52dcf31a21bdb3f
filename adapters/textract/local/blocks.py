"""Textract blocks: ids, normalized geometry, and the PAGE / LINE / WORD blocks of a page."""

from __future__ import annotations

import statistics
import uuid
from typing import Any

from adapters.textract.local.layout import Row, Segment
from adapters.textract.local.page import Box, Page, Word

Block = dict[str, Any]


def new_id() -> str:
    """A block id as Textract writes them (a UUID)."""
    return str(uuid.uuid4())


def geometry(box: Box, page: Page) -> dict[str, Any]:
    """Textract's Geometry: a BoundingBox and a four-point Polygon as ratios of the page's size.

    The polygon runs clockwise from the text's top left; on a turned scan it is turned with the text.
    """
    corners = [(box.left, box.top), (box.right, box.top), (box.right, box.bottom), (box.left, box.bottom)]
    if page.to_original is not None:
        corners = [page.to_original(corner) for corner in corners]
    points = [(_ratio(x, page.width), _ratio(y, page.height)) for x, y in corners]
    left, top = min(x for x, _ in points), min(y for _, y in points)
    right, bottom = max(x for x, _ in points), max(y for _, y in points)
    return {
        "BoundingBox": {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top},
        "Polygon": [{"X": x, "Y": y} for x, y in points],
    }


def _whole_page(page: Page) -> dict[str, Any]:
    """The PAGE block's geometry: the whole page."""
    return geometry(Box(0, 0, page.width, page.height), Page(page.number, page.width, page.height))


def _ratio(value: float, whole: float) -> float:
    return min(1.0, max(0.0, value / whole)) if whole else 0.0


def children(ids: list[str]) -> list[dict[str, Any]]:
    """A CHILD relationship list, or none when there are no ids (Textract omits empty relationships)."""
    return [{"Type": "CHILD", "Ids": ids}] if ids else []


class PageBlocks:
    """The PAGE, LINE and WORD blocks of one page, with the id of each word and segment."""

    def __init__(self, page: Page, rows: list[Row]) -> None:
        self.page = page
        self.rows = rows
        self.word_ids: dict[int, str] = {}
        self.lines: list[Block] = []
        self.words: list[Block] = []
        for row in rows:
            for segment in row.segments:
                self._add_line(segment)
        self.page_block: Block = {
            "BlockType": "PAGE",
            "Geometry": _whole_page(page),
            "Id": new_id(),
            "Relationships": children([line["Id"] for line in self.lines]),
            "Page": page.number,
        }
        if not self.page_block["Relationships"]:
            del self.page_block["Relationships"]

    def _add_line(self, segment: Segment) -> None:
        ids = [self._add_word(word) for word in segment.words]
        self.lines.append(
            {
                "BlockType": "LINE",
                "Confidence": statistics.fmean(w.confidence for w in segment.words),
                "Text": segment.text,
                "Geometry": geometry(segment.box, self.page),
                "Id": new_id(),
                "Relationships": children(ids),
                "Page": self.page.number,
            }
        )

    def _add_word(self, word: Word) -> str:
        block_id = new_id()
        self.word_ids[id(word)] = block_id
        self.words.append(
            {
                "BlockType": "WORD",
                "Confidence": word.confidence,
                "Text": word.text,
                "TextType": "PRINTED",
                "Geometry": geometry(word.box, self.page),
                "Id": block_id,
                "Page": self.page.number,
            }
        )
        return block_id

    def ids_of(self, words: tuple[Word, ...] | list[Word]) -> list[str]:
        """The WORD block ids of these words."""
        return [self.word_ids[id(word)] for word in words]

    def text_blocks(self) -> list[Block]:
        """PAGE first, then its LINEs, then its WORDs (Textract's order)."""
        return [self.page_block, *self.lines, *self.words]
