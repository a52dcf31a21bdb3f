"""Textract on AWS through boto3: the same interface as the local engine, errors under the same names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from adapters.textract import errors

_BY_CODE: dict[str, type[errors.TextractError]] = {
    "UnsupportedDocumentException": errors.UnsupportedDocument,
    "BadDocumentException": errors.BadDocument,
    "DocumentTooLargeException": errors.DocumentTooLarge,
    "InvalidParameterException": errors.InvalidParameter,
}


class AwsTextract:
    """Calls Textract's synchronous operations with the document's bytes.

    Multi-page documents need AWS's asynchronous operations on an S3 object, which this adapter does not
    start: AWS answers them with UnsupportedDocumentException, as it does any synchronous call.
    """

    name = "aws"

    def __init__(self, client: Any) -> None:
        self.client = client

    def detect_document_text(self, document: bytes, *, asynchronous: bool = False) -> dict[str, Any]:
        """DetectDocumentText on AWS."""
        answer = self._call(self.client.detect_document_text, Document={"Bytes": document})
        return _blocks(answer)

    def analyze_document(
        self,
        document: bytes,
        features: Sequence[str],
        queries: Sequence[dict[str, Any]] = (),
        *,
        asynchronous: bool = False,
    ) -> dict[str, Any]:
        """AnalyzeDocument on AWS."""
        request: dict[str, Any] = {"Document": {"Bytes": document}, "FeatureTypes": list(features)}
        if queries:
            request["QueriesConfig"] = {"Queries": list(queries)}
        return _blocks(self._call(self.client.analyze_document, **request))

    @staticmethod
    def _call(operation: Any, **request: Any) -> dict[str, Any]:
        try:
            return operation(**request)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            kind = _BY_CODE.get(error.get("Code", ""))
            if kind is None:
                raise
            raise kind(error.get("Message") or str(exc)) from exc


def _blocks(answer: dict[str, Any]) -> dict[str, Any]:
    return {"DocumentMetadata": answer["DocumentMetadata"], "Blocks": answer.get("Blocks", [])}
