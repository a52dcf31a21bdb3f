"""Any supported document's bytes into pages of words, within Textract's limits."""

from __future__ import annotations

from adapters.textract.local import formats
from adapters.textract.local.page import Page


def read_document(document: bytes, *, asynchronous: bool) -> tuple[str, list[Page]]:
    """The document's kind and its pages; Textract's errors for unsupported, corrupt or oversized input."""
    if not document:
        raise formats.UnsupportedDocument(f"{formats.UNSUPPORTED}: the document is empty")
    kind = formats.sniff(document)
    formats.check_size(document, kind, asynchronous=asynchronous)
    if kind == "pdf":
        from adapters.textract.local.pdf import read_pdf_document

        return kind, read_pdf_document(document, asynchronous=asynchronous)
    if kind == "text":
        from adapters.textract.local.plain_text import read_text_document

        pages = read_text_document(document)
        formats.check_page_count(len(pages), kind, asynchronous=asynchronous)
        return kind, pages
    from adapters.textract.local.images import read_image_document

    return kind, read_image_document(document, kind, asynchronous=asynchronous)
