"""Extraction quality on documents made here: every word of a text PDF, at least 95% of a clean scan's
words, every form field paired with its value, every table cell in its row and column.

Run `python -m bench.textract` for the figures.
"""

from __future__ import annotations

import functools

import pytest

from adapters.textract.local import LocalTextract
from adapters.textract.quality import score
from harness.served.shapes import check_output
from harness_cli.demos.sample_documents import FORM, INVOICE, LETTER, SPREADSHEET, SampleDocument
from tests.textract_helpers import assert_well_formed, require_ocr

RENDERINGS = {
    "pdf": SampleDocument.pdf,
    "png": SampleDocument.image,
    "jpeg": lambda d: d.image("JPEG"),
    "screenshot": lambda d: d.image(dpi=96),
}
MIN_RECALL = {"pdf": 1.0, "png": 0.95, "jpeg": 0.95, "screenshot": 0.95}


@functools.cache
def analysed(document: SampleDocument, rendering: str) -> dict:
    """One analysis per document and rendering for the whole module (OCR takes seconds a page)."""
    return LocalTextract().analyze_document(RENDERINGS[rendering](document), ["FORMS", "TABLES"])


CASES = [(d, r) for d in (FORM, INVOICE, LETTER, SPREADSHEET) for r in ("pdf", "png")] + [
    (FORM, "jpeg"),
    (INVOICE, "jpeg"),
    (SPREADSHEET, "screenshot"),  # a spreadsheet's grid lines at screen resolution
]


@pytest.mark.parametrize(("document", "rendering"), CASES, ids=[f"{d.name}-{r}" for d, r in CASES])
def test_words_fields_and_table_cells_are_found(document, rendering):
    if rendering != "pdf":
        require_ocr()
    response = analysed(document, rendering)

    result = score(response, document.words, dict(document.fields), [list(r) for r in document.table])

    assert result.recall >= MIN_RECALL[rendering], f"word recall {result.recall:.1%}"
    assert result.fields_paired == result.fields_expected
    assert result.cells_placed == result.cells_expected
    assert_well_formed(response)
    check_output("textract", "AnalyzeDocument", response)


@pytest.mark.parametrize("rendering", ["pdf", "png"])
def test_a_letter_has_no_invented_tables_or_fields(rendering):
    if rendering != "pdf":
        require_ocr()
    response = analysed(LETTER, rendering)
    kinds = {b["BlockType"] for b in response["Blocks"]}
    assert kinds == {"PAGE", "LINE", "WORD"}
