"""The local Textract: documents read offline (PDF text layer, tesseract OCR, plain text) into Textract's blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.textract.errors import InvalidParameter
from adapters.textract.interface import FEATURES
from adapters.textract.local import forms, queries, tables
from adapters.textract.local.blocks import Block, PageBlocks
from adapters.textract.local.layout import rows_of
from adapters.textract.local.reader import read_document

# Features the local engine cannot analyse; asked for them it says so instead of answering nothing.
NOT_ANALYSED = ("SIGNATURES", "LAYOUT")


class LocalTextract:
    """Textract's DetectDocumentText and AnalyzeDocument computed on this machine."""

    name = "local"

    def detect_document_text(self, document: bytes, *, asynchronous: bool = False) -> dict[str, Any]:
        """PAGE, LINE and WORD blocks of every page."""
        pages = self._pages(document, asynchronous)
        return _response(pages, [block for page in pages for block in page.text_blocks()])

    def analyze_document(
        self,
        document: bytes,
        features: Sequence[str],
        queries_asked: Sequence[dict[str, Any]] = (),
        *,
        asynchronous: bool = False,
    ) -> dict[str, Any]:
        """The text blocks, then TABLE / CELL, KEY_VALUE_SET and QUERY / QUERY_RESULT blocks as asked."""
        wanted = _check_features(features)
        pages = self._pages(document, asynchronous)
        blocks: list[Block] = []
        for page in pages:
            blocks.extend(page.text_blocks())
            if "TABLES" in wanted:
                for table in tables.tables_of(page.rows):
                    blocks.extend(tables.table_blocks(page, table))
            fields = forms.fields_of(page)
            if "FORMS" in wanted:
                blocks.extend(forms.form_blocks(page, fields))
            if "QUERIES" in wanted:
                for query in queries_asked:
                    if page.page.number in queries.pages_of(query, len(pages)):
                        found = queries.answer(query["Text"], page, fields)
                        blocks.extend(queries.query_blocks(query, found, page))
        return _response(pages, blocks)

    def _pages(self, document: bytes, asynchronous: bool) -> list[PageBlocks]:
        _, pages = read_document(document, asynchronous=asynchronous)
        return [PageBlocks(page, rows_of(page)) for page in pages]


def _check_features(features: Sequence[str]) -> set[str]:
    unknown = sorted(set(features) - set(FEATURES))
    if unknown or not features:
        raise InvalidParameter(f"FeatureTypes {list(features)} must name some of {list(FEATURES)}")
    missing = sorted(set(features) & set(NOT_ANALYSED))
    if missing:
        raise InvalidParameter(
            f"the local Textract engine does not analyse {missing}; it analyses TABLES, FORMS and QUERIES"
        )
    return set(features)


def _response(pages: list[PageBlocks], blocks: list[Block]) -> dict[str, Any]:
    return {"DocumentMetadata": {"Pages": len(pages)}, "Blocks": blocks}
