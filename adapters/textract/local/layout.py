"""Words into rows (same baseline) and rows into segments (Textract's LINEs: words without a wide gap)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from adapters.textract.local.page import Box, Page, Word

# A gap wider than this many text heights separates two LINEs of one row (table columns, label and value
# set apart); a word space is about a third of the text height.
SEGMENT_GAP = 1.2


@dataclass(frozen=True)
class Segment:
    """Contiguous words of one row: one LINE block."""

    words: tuple[Word, ...]

    @property
    def box(self) -> Box:
        """The box around its words."""
        return Box.around([w.box for w in self.words])

    @property
    def text(self) -> str:
        """Its words joined by single spaces."""
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Row:
    """Segments that share a baseline, left to right."""

    segments: tuple[Segment, ...]

    @property
    def box(self) -> Box:
        """The box around its segments."""
        return Box.around([s.box for s in self.segments])


def rows_of(page: Page) -> list[Row]:
    """The page's rows, top to bottom, each split into segments."""
    rows: list[list[Word]] = []
    for word in sorted(page.words, key=lambda w: (w.box.top, w.box.left)):
        row = _row_for(rows, word)
        if row is None:
            rows.append([word])
        else:
            row.append(word)
    ordered = sorted(rows, key=lambda words: min(w.box.top for w in words))
    return [Row(tuple(_segments(sorted(words, key=lambda w: w.box.left)))) for words in ordered]


def _row_for(rows: list[list[Word]], word: Word) -> list[Word] | None:
    """The row the word shares its line with: vertical overlap of at least half the smaller height."""
    best, best_overlap = None, 0.0
    for row in rows:
        top = statistics.median(w.box.top for w in row)
        bottom = statistics.median(w.box.bottom for w in row)
        overlap = min(bottom, word.box.bottom) - max(top, word.box.top)
        needed = 0.5 * min(bottom - top, word.box.height)
        if overlap >= needed and overlap > best_overlap:
            best, best_overlap = row, overlap
    return best


def _segments(words: list[Word]) -> list[Segment]:
    height = statistics.median(w.box.height for w in words)
    segments: list[list[Word]] = [[words[0]]]
    for word in words[1:]:
        if word.box.left - segments[-1][-1].box.right > SEGMENT_GAP * height:
            segments.append([word])
        else:
            segments[-1].append(word)
    return [Segment(tuple(s)) for s in segments]
