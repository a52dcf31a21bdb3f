"""Textract behind one interface: the offline engine (default) or AWS, chosen by HARNESS_TEXTRACT.

>>> adapter = textract_adapter()  # doctest: +SKIP
>>> adapter.detect_document_text(open("letter.pdf", "rb").read())["DocumentMetadata"]  # doctest: +SKIP
{'Pages': 1}
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from adapters.textract.errors import (
    BadDocument,
    DocumentTooLarge,
    EngineUnavailable,
    InvalidParameter,
    TextractError,
    UnsupportedDocument,
)
from adapters.textract.interface import FEATURES, TextractAdapter

ENVIRONMENT_VARIABLE = "HARNESS_TEXTRACT"
CHOICES = ("local", "aws")


def textract_adapter(environ: Mapping[str, str] | None = None) -> TextractAdapter:
    """The adapter HARNESS_TEXTRACT names: "local" (the default) or "aws" (boto3's default credentials)."""
    choice = (environ if environ is not None else os.environ).get(ENVIRONMENT_VARIABLE, "local").strip().lower()
    if choice in ("", "local"):
        from adapters.textract.local import LocalTextract

        return LocalTextract()
    if choice == "aws":
        import boto3

        from adapters.textract.aws import AwsTextract

        return AwsTextract(boto3.client("textract"))
    raise ValueError(f"{ENVIRONMENT_VARIABLE}={choice!r} is not one of {list(CHOICES)}")


__all__ = [
    "CHOICES",
    "ENVIRONMENT_VARIABLE",
    "FEATURES",
    "BadDocument",
    "DocumentTooLarge",
    "EngineUnavailable",
    "InvalidParameter",
    "TextractAdapter",
    "TextractError",
    "UnsupportedDocument",
    "textract_adapter",
]
