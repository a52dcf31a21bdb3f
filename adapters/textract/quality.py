"""How well an extraction matches a document whose words, fields and table are known."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any


def _by_type(response: dict[str, Any], block_type: str) -> list[dict[str, Any]]:
    return [b for b in response["Blocks"] if b["BlockType"] == block_type]


def _related(block: dict[str, Any], kind: str) -> list[str]:
    return [i for r in block.get("Relationships", []) if r["Type"] == kind for i in r["Ids"]]


def _text(ids: list[str], index: dict[str, dict[str, Any]]) -> str:
    return " ".join(index[i]["Text"] for i in ids)


def word_recall(expected: list[str], response: dict[str, Any]) -> float:
    """The share of expected words (with repeats) found, exactly, among the WORD blocks."""
    found = Counter(b["Text"] for b in _by_type(response, "WORD"))
    wanted = Counter(expected)
    return sum(min(n, found[w]) for w, n in wanted.items()) / sum(wanted.values())


def form_pairs(response: dict[str, Any]) -> dict[str, str]:
    """Label (without its colon) -> value text, from the KEY_VALUE_SET blocks."""
    index = {b["Id"]: b for b in response["Blocks"]}
    pairs = {}
    for block in _by_type(response, "KEY_VALUE_SET"):
        if "KEY" in block["EntityTypes"]:
            value_ids = _related(block, "VALUE")
            key = _text(_related(block, "CHILD"), index).rstrip(":").strip()
            pairs[key] = _text(_related(index[value_ids[0]], "CHILD"), index) if value_ids else ""
    return pairs


def table_grids(response: dict[str, Any]) -> list[list[list[str]]]:
    """Each TABLE as rows of cell texts, placed by RowIndex and ColumnIndex."""
    index = {b["Id"]: b for b in response["Blocks"]}
    grids = []
    for table in _by_type(response, "TABLE"):
        cells = [index[i] for i in _related(table, "CHILD")]
        grid = [[""] * max(c["ColumnIndex"] for c in cells) for _ in range(max(c["RowIndex"] for c in cells))]
        for cell in cells:
            grid[cell["RowIndex"] - 1][cell["ColumnIndex"] - 1] = _text(_related(cell, "CHILD"), index)
        grids.append(grid)
    return grids


@dataclass(frozen=True)
class Score:
    """Word recall, form fields paired right, table cells in the right place (each of those expected)."""

    recall: float
    fields_paired: int
    fields_expected: int
    cells_placed: int
    cells_expected: int


def score(response: dict[str, Any], words: list[str], fields: dict[str, str], table: list[list[str]]) -> Score:
    """Compare an extraction with what the document holds."""
    pairs = form_pairs(response)
    paired = sum(pairs.get(label) == value for label, value in fields.items())
    grids = table_grids(response)
    placed = 0
    if table and grids:
        best = max(grids, key=lambda g: sum(len(r) for r in g))
        placed = sum(
            r < len(best) and c < len(best[r]) and best[r][c] == text
            for r, row in enumerate(table)
            for c, text in enumerate(row)
        )
    return Score(word_recall(words, response), paired, len(fields), placed, sum(len(row) for row in table))
