"""Pages of a plain UTF-8 text document, laid out as a monospaced page (form feeds start new pages)."""

from __future__ import annotations

import re

from adapters.textract.local.page import Box, Page, Word

CHAR_WIDTH = 6.0  # points: 10-point monospace
LINE_HEIGHT = 14.0
FONT_HEIGHT = 10.0
MARGIN = 72.0
LETTER = (612.0, 792.0)
_WORD = re.compile(r"\S+")


def read_text_document(document: bytes) -> list[Page]:
    """One page per form-feed-separated part of the text."""
    text = document.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return [_page(number, part) for number, part in enumerate(text.split("\f"), start=1)]


def _page(number: int, text: str) -> Page:
    lines = [line.expandtabs(8) for line in text.split("\n")]
    width = max(LETTER[0], 2 * MARGIN + CHAR_WIDTH * max((len(line) for line in lines), default=0))
    height = max(LETTER[1], 2 * MARGIN + LINE_HEIGHT * len(lines))
    page = Page(number, width, height)
    for row, line in enumerate(lines):
        top = MARGIN + row * LINE_HEIGHT
        for match in _WORD.finditer(line):
            left = MARGIN + match.start() * CHAR_WIDTH
            box = Box(left, top, left + CHAR_WIDTH * len(match.group()), top + FONT_HEIGHT)
            page.words.append(Word(match.group(), box, 99.9))
    return page
