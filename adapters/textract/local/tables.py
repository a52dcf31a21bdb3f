"""TABLES: runs of rows whose segments line up in columns, as TABLE and CELL blocks.

Each CELL has RowIndex / ColumnIndex (from 1), RowSpan / ColumnSpan and CHILD relationships to its words;
the first row's cells are COLUMN_HEADERs. https://docs.aws.amazon.com/textract/latest/dg/how-it-works-tables.html
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from adapters.textract.local.blocks import Block, PageBlocks, children, geometry, new_id
from adapters.textract.local.layout import Row, Segment
from adapters.textract.local.page import Box, Word

# Rows further apart than this many row heights belong to different tables.
MAX_ROW_GAP = 2.5


@dataclass(frozen=True)
class Table:
    """A grid of cells: cells[r][c] holds the words in row r, column c."""

    rows: tuple[Row, ...]
    columns: tuple[tuple[float, float], ...]
    cells: tuple[tuple[tuple[Word, ...], ...], ...]

    def text(self) -> list[list[str]]:
        """The cells' text, row by row."""
        return [[" ".join(w.text for w in cell) for cell in row] for row in self.cells]


def tables_of(rows: list[Row]) -> list[Table]:
    """Every run of at least two rows of two or more aligned segments."""
    tables, run = [], []
    for row in rows:
        if len(row.segments) >= 2 and (not run or _close(run[-1], row)):
            run.append(row)
            continue
        tables.extend(_table(run))
        run = [row] if len(row.segments) >= 2 else []
    tables.extend(_table(run))
    return tables


def _close(above: Row, below: Row) -> bool:
    height = statistics.median(w.box.height for s in above.segments for w in s.words)
    return below.box.top - above.box.bottom <= MAX_ROW_GAP * height


def _table(run: list[Row]) -> list[Table]:
    if len(run) < 2:
        return []
    columns = _columns([s for row in run for s in row.segments])
    if len(columns) < 2:
        return []
    cells = []
    for row in run:
        grid: list[list[Word]] = [[] for _ in columns]
        for segment in row.segments:
            grid[_column_of(segment, columns)].extend(segment.words)
        cells.append(tuple(tuple(cell) for cell in grid))
    return [Table(tuple(run), tuple(columns), tuple(cells))]


def _columns(segments: list[Segment]) -> list[tuple[float, float]]:
    """Merge the segments' horizontal extents where they overlap: each merged extent is a column."""
    spans = sorted((s.box.left, s.box.right) for s in segments)
    merged = [list(spans[0])]
    for left, right in spans[1:]:
        if left <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    return [(left, right) for left, right in merged]


def _column_of(segment: Segment, columns: list[tuple[float, float]]) -> int:
    box = segment.box
    overlaps = [min(box.right, right) - max(box.left, left) for left, right in columns]
    return max(range(len(columns)), key=lambda i: overlaps[i])


def table_blocks(page: PageBlocks, table: Table) -> list[Block]:
    """The TABLE block and one CELL per row and column (empty cells included)."""
    cells: list[Block] = []
    bounds = _row_bounds(table.rows)
    edges = _column_bounds(table.columns)
    for r, row in enumerate(table.cells):
        for c, words in enumerate(row):
            top, bottom = bounds[r]
            left, right = edges[c]
            confidence = statistics.fmean(w.confidence for w in words) if words else 90.0
            cell: Block = {
                "BlockType": "CELL",
                "Confidence": confidence,
                "RowIndex": r + 1,
                "ColumnIndex": c + 1,
                "RowSpan": 1,
                "ColumnSpan": 1,
                "Geometry": geometry(Box(left, top, right, bottom), page.page),
                "Id": new_id(),
                "Page": page.page.number,
            }
            if words:
                cell["Relationships"] = children(page.ids_of(words))
            if r == 0:
                cell["EntityTypes"] = ["COLUMN_HEADER"]
            cells.append(cell)
    outline = Box(edges[0][0], bounds[0][0], edges[-1][1], bounds[-1][1])
    table_block: Block = {
        "BlockType": "TABLE",
        "Confidence": statistics.fmean(cell["Confidence"] for cell in cells),
        "Geometry": geometry(outline, page.page),
        "Id": new_id(),
        "Relationships": children([cell["Id"] for cell in cells]),
        "EntityTypes": ["STRUCTURED_TABLE"],
        "Page": page.page.number,
    }
    return [table_block, *cells]


def _row_bounds(rows: tuple[Row, ...]) -> list[tuple[float, float]]:
    """Each row's top and bottom, extended to meet its neighbours halfway."""
    boxes = [row.box for row in rows]
    bounds = []
    for i, box in enumerate(boxes):
        top = (boxes[i - 1].bottom + box.top) / 2 if i else box.top
        bottom = (box.bottom + boxes[i + 1].top) / 2 if i + 1 < len(boxes) else box.bottom
        bounds.append((top, bottom))
    return bounds


def _column_bounds(columns: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """Each column's left and right, extended to meet its neighbours halfway."""
    edges = []
    for i, (left, right) in enumerate(columns):
        start = (columns[i - 1][1] + left) / 2 if i else left
        end = (right + columns[i + 1][0]) / 2 if i + 1 < len(columns) else right
        edges.append((start, end))
    return edges
