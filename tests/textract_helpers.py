"""Shared pieces of the Textract tests: the OCR requirement, block lookups and structure checks."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest

from adapters.textract.local.ocr import INSTALL_HINT, tesseract_path


def require_ocr() -> None:
    """Skip without tesseract on a user's machine; fail without it in CI (where .ci/run installs it)."""
    if tesseract_path() is not None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the OCR tests, but tesseract is missing: {INSTALL_HINT}")
    pytest.skip(f"images need the tesseract OCR engine: {INSTALL_HINT}")


def by_type(response: dict[str, Any], block_type: str) -> list[dict[str, Any]]:
    """The blocks of one type, in order."""
    return [b for b in response["Blocks"] if b["BlockType"] == block_type]


def related(block: dict[str, Any], kind: str) -> list[str]:
    """The ids a block points at through relationships of one type."""
    return [i for r in block.get("Relationships", []) if r["Type"] == kind for i in r["Ids"]]


def text_of(ids: list[str], index: dict[str, dict[str, Any]]) -> str:
    """The text of WORD blocks, joined by spaces."""
    return " ".join(index[i]["Text"] for i in ids)


def form_pairs(response: dict[str, Any]) -> dict[str, str]:
    """Label (without its colon) -> value text, from the KEY_VALUE_SET blocks."""
    index = {b["Id"]: b for b in response["Blocks"]}
    pairs = {}
    for block in by_type(response, "KEY_VALUE_SET"):
        if "KEY" in block["EntityTypes"]:
            (value_id,) = related(block, "VALUE")
            key = text_of(related(block, "CHILD"), index).rstrip(":").strip()
            pairs[key] = text_of(related(index[value_id], "CHILD"), index)
    return pairs


def table_grids(response: dict[str, Any]) -> list[list[list[str]]]:
    """Each TABLE as rows of cell texts, placed by RowIndex and ColumnIndex."""
    index = {b["Id"]: b for b in response["Blocks"]}
    grids = []
    for table in by_type(response, "TABLE"):
        cells = [index[i] for i in related(table, "CHILD")]
        rows = max(c["RowIndex"] for c in cells)
        columns = max(c["ColumnIndex"] for c in cells)
        grid = [[""] * columns for _ in range(rows)]
        for cell in cells:
            grid[cell["RowIndex"] - 1][cell["ColumnIndex"] - 1] = text_of(related(cell, "CHILD"), index)
        grids.append(grid)
    return grids


def word_recall(expected: list[str], response: dict[str, Any]) -> float:
    """The share of expected words (with repeats) found among the WORD blocks."""
    found = Counter(b["Text"] for b in by_type(response, "WORD"))
    wanted = Counter(expected)
    return sum(min(n, found[w]) for w, n in wanted.items()) / sum(wanted.values())


def assert_well_formed(response: dict[str, Any]) -> None:
    """Ids unique, every relationship points at a block, geometry normalized, LINE text = its WORDs."""
    blocks = response["Blocks"]
    index = {b["Id"]: b for b in blocks}
    assert len(index) == len(blocks), "block ids repeat"
    for block in blocks:
        for relationship in block.get("Relationships", []):
            assert relationship["Ids"], f"{block['BlockType']} has an empty {relationship['Type']} relationship"
            missing = [i for i in relationship["Ids"] if i not in index]
            assert not missing, f"{block['BlockType']} points at unknown ids {missing}"
        if "Geometry" in block:
            box = block["Geometry"]["BoundingBox"]
            assert 0 <= box["Left"] <= box["Left"] + box["Width"] <= 1.000001
            assert 0 <= box["Top"] <= box["Top"] + box["Height"] <= 1.000001
            assert len(block["Geometry"]["Polygon"]) == 4
        if block["BlockType"] == "LINE":
            assert block["Text"] == text_of(related(block, "CHILD"), index)
    pages = by_type(response, "PAGE")
    assert len(pages) == response["DocumentMetadata"]["Pages"]
    lines_in_pages = {i for page in pages for i in related(page, "CHILD")}
    assert lines_in_pages == {b["Id"] for b in by_type(response, "LINE")}
