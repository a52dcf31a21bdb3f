"""Shared pieces of the Textract tests: the OCR requirement, block lookups and structure checks."""

from __future__ import annotations

import os
from typing import Any

import pytest

from adapters.textract.local.ocr import INSTALL_HINT, tesseract_path
from adapters.textract.quality import form_pairs, table_grids, word_recall


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


__all__ = ["form_pairs", "table_grids", "word_recall"]
