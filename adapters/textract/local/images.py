"""Pages of PNG, JPEG and TIFF documents, read with Pillow and OCR."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence, UnidentifiedImageError

from adapters.textract.errors import BadDocument, DocumentTooLarge
from adapters.textract.local import formats, ocr
from adapters.textract.local.page import Page


def read_image_document(document: bytes, kind: str, *, asynchronous: bool) -> list[Page]:
    """Every frame of the image as a page of words; BadDocument when Pillow cannot decode it."""
    ocr.require_tesseract()  # before any work: a missing engine is never an empty result
    try:
        image = Image.open(io.BytesIO(document))
        frames = getattr(image, "n_frames", 1) if kind == "tiff" else 1
        formats.check_page_count(frames, kind, asynchronous=asynchronous)
        formats.check_image_size(*image.size)
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > frames:
                break
            frame.load()
            formats.check_image_size(*frame.size)
            pages.append(ocr.read_image(frame.copy(), number))
    except Image.DecompressionBombError as exc:  # past Pillow's safety limit, far over 10,000 pixels a side
        raise DocumentTooLarge(f"Document is too large: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise BadDocument(f"Unable to read the {kind.upper()} document: it is corrupt or truncated ({exc})") from exc
    return pages
