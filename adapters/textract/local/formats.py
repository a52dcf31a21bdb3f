"""What kind of document some bytes are, and Textract's documented limits on it.

Limits: https://docs.aws.amazon.com/textract/latest/dg/limits-document.html
"""

from __future__ import annotations

from adapters.textract.errors import DocumentTooLarge, UnsupportedDocument

MB = 1024 * 1024
SYNC_MAX_BYTES = 10 * MB  # every format, synchronous operations
ASYNC_IMAGE_MAX_BYTES = 10 * MB  # JPEG and PNG, asynchronous operations
ASYNC_MULTIPAGE_MAX_BYTES = 500 * MB  # PDF and TIFF, asynchronous operations
SYNC_MAX_PAGES = 1  # PDF and TIFF, synchronous operations
ASYNC_MAX_PAGES = 3000
MAX_IMAGE_PIXELS = 10_000  # on every side
MAX_PDF_POINTS = 40 * 72  # 40 inches

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
UNSUPPORTED = "Request has unsupported document format"


def sniff(document: bytes) -> str:
    """'pdf', 'png', 'jpeg', 'tiff' or 'text'; UnsupportedDocument for anything else."""
    head = document[:1024]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF-" in head:  # PDF readers accept junk before the header
        return "pdf"
    if _is_text(document):
        return "text"
    raise UnsupportedDocument(
        f"{UNSUPPORTED}: the document is not PDF, PNG, JPEG, TIFF or UTF-8 text (it starts with {document[:8]!r})"
    )


def _is_text(document: bytes) -> bool:
    if b"\x00" in document:
        return False
    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\t\n\r\f" for ch in text)
    return bool(text.strip()) and printable >= 0.95 * len(text)


def check_size(document: bytes, kind: str, *, asynchronous: bool) -> None:
    """DocumentTooLarge when the bytes are over the operation's limit for this format."""
    if not asynchronous:
        limit = SYNC_MAX_BYTES
    elif kind in ("pdf", "tiff"):
        limit = ASYNC_MULTIPAGE_MAX_BYTES
    else:
        limit = ASYNC_IMAGE_MAX_BYTES
    if len(document) > limit:
        mode = "asynchronous" if asynchronous else "synchronous"
        raise DocumentTooLarge(
            f"Document is too large: {len(document)} bytes; {mode} operations take {kind.upper()} documents "
            f"of at most {limit // MB} MB"
        )


def check_page_count(pages: int, kind: str, *, asynchronous: bool) -> None:
    """Synchronous operations take one page; asynchronous ones at most 3,000."""
    if not asynchronous and pages > SYNC_MAX_PAGES:
        raise UnsupportedDocument(
            f"{UNSUPPORTED}: this {kind.upper()} has {pages} pages and synchronous operations take one page; "
            "use StartDocumentTextDetection or StartDocumentAnalysis for multi-page documents"
        )
    if pages > ASYNC_MAX_PAGES:
        raise DocumentTooLarge(f"Document is too large: {pages} pages, over the limit of {ASYNC_MAX_PAGES}")


def check_image_size(width: int, height: int) -> None:
    """Textract reads images of at most 10,000 pixels on every side."""
    if width > MAX_IMAGE_PIXELS or height > MAX_IMAGE_PIXELS:
        raise DocumentTooLarge(
            f"Document is too large: the image is {width}x{height} pixels, over {MAX_IMAGE_PIXELS} on a side"
        )


def check_pdf_page_size(width: float, height: float, page: int) -> None:
    """Textract reads PDF pages of at most 40 inches on every side."""
    if width > MAX_PDF_POINTS or height > MAX_PDF_POINTS:
        raise DocumentTooLarge(
            f"Document is too large: page {page} is {width / 72:.1f} x {height / 72:.1f} inches, over 40 inches"
        )
