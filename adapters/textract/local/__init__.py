"""The offline Textract engine."""

from adapters.textract.local.engine import LocalTextract

__all__ = ["LocalTextract"]
