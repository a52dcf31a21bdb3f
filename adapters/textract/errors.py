"""Textract's own errors, raised by every adapter in the domain (the served API turns them into AwsError)."""

from __future__ import annotations


class TextractError(Exception):
    """An error Textract answers with: its error code (Textract's exception name) and message."""

    code = "InternalServerError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedDocument(TextractError):
    """The document's format is not one Textract reads, or it has more pages than the operation takes."""

    code = "UnsupportedDocumentException"


class BadDocument(TextractError):
    """The document is of a supported format but cannot be read (corrupt, truncated)."""

    code = "BadDocumentException"


class DocumentTooLarge(TextractError):
    """The document is over Textract's size limits (bytes, pixels, points or pages)."""

    code = "DocumentTooLargeException"


class InvalidParameter(TextractError):
    """A request parameter Textract refuses."""

    code = "InvalidParameterException"


class EngineUnavailable(TextractError):
    """The local engine needed for this document (OCR for images) is not installed."""

    code = "InternalServerError"
