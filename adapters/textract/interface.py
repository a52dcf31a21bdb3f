"""What a Textract adapter does: read one document's bytes and answer with Textract's blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

# The features AnalyzeDocument knows (botocore's FeatureType enum).
FEATURES = ("TABLES", "FORMS", "QUERIES", "SIGNATURES", "LAYOUT")


class TextractAdapter(Protocol):
    """Detect or analyse one document given as bytes.

    Both methods answer `{"DocumentMetadata": {"Pages": n}, "Blocks": [...]}` shaped as Textract's
    output, and raise a `TextractError` subclass named as Textract names the error. `asynchronous`
    applies the limits of the Start* operations (multi-page PDF and TIFF) instead of the synchronous ones.
    """

    name: str

    def detect_document_text(self, document: bytes, *, asynchronous: bool = False) -> dict[str, Any]:
        """PAGE, LINE and WORD blocks of the document."""
        ...

    def analyze_document(
        self,
        document: bytes,
        features: Sequence[str],
        queries: Sequence[dict[str, Any]] = (),
        *,
        asynchronous: bool = False,
    ) -> dict[str, Any]:
        """The text blocks plus those of the requested features (KEY_VALUE_SET, TABLE/CELL, QUERY/QUERY_RESULT)."""
        ...
