"""Pages of a PDF: words of its text layer (pdfplumber), or OCR of the rendered page where it has none."""

from __future__ import annotations

import io

import pdfplumber

from adapters.textract.errors import BadDocument, TextractError, UnsupportedDocument
from adapters.textract.local import formats, ocr
from adapters.textract.local.page import Box, Page, Word

TEXT_LAYER_CONFIDENCE = 99.9
RENDER_DPI = 200


def read_pdf_document(document: bytes, *, asynchronous: bool) -> list[Page]:
    """Every page of the PDF as a page of words, in points from the page's top left."""
    try:
        with pdfplumber.open(io.BytesIO(document)) as pdf:
            formats.check_page_count(len(pdf.pages), "pdf", asynchronous=asynchronous)
            return [_read_page(page) for page in pdf.pages]
    except TextractError:
        raise
    except Exception as exc:
        if _is_encrypted(exc):
            raise UnsupportedDocument(
                f"{formats.UNSUPPORTED}: the PDF is password protected, which Textract does not read"
            ) from exc
        raise BadDocument(f"Unable to read the PDF document: it is corrupt or truncated ({_describe(exc)})") from exc


def _read_page(page: pdfplumber.page.Page) -> Page:
    number = page.page_number
    x0, top0, x1, bottom0 = page.bbox
    width, height = x1 - x0, bottom0 - top0
    formats.check_pdf_page_size(width, height, number)
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    if not words and page.images:
        return _ocr_page(page, number, width, height)
    result = Page(number, width, height)
    for word in words:
        box = Box(word["x0"] - x0, word["top"] - top0, word["x1"] - x0, word["bottom"] - top0)
        result.words.append(Word(word["text"], box, TEXT_LAYER_CONFIDENCE))
    return result


def _ocr_page(page: pdfplumber.page.Page, number: int, width: float, height: float) -> Page:
    """A scanned page: render it and read it like an image, then scale the boxes back to points."""
    ocr.require_tesseract()
    image = page.to_image(resolution=RENDER_DPI).original
    scanned = ocr.read_image(image, number)
    sx, sy = width / scanned.width, height / scanned.height
    back = scanned.to_original or (lambda point: point)

    def to_points(point: tuple[float, float]) -> tuple[float, float]:
        x, y = back(point)
        return x * sx, y * sy

    return Page(number, width, height, scanned.words, to_points)


def _is_encrypted(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        name = type(seen).__name__
        if "Password" in name or "Encryption" in name or "password" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    inner = cause if cause is not None and str(cause) else exc
    return f"{type(inner).__name__}: {inner}" if str(inner) else type(inner).__name__
