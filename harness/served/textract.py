"""The Textract API the harness serves: synchronous and asynchronous text detection and analysis.

Documents come inline (Bytes) or from the account's S3 (S3Object); the blocks come from a Textract
adapter (the offline engine unless HARNESS_TEXTRACT says otherwise).
https://docs.aws.amazon.com/textract/latest/APIReference/Welcome.html
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from adapters.textract import TextractAdapter, textract_adapter
from adapters.textract.errors import EngineUnavailable, InvalidParameter, TextractError
from harness.backends.base import Account
from harness.served.service import AwsError
from harness.textract import notifications
from harness.textract.documents import document_bytes, s3_object_bytes
from harness.textract.jobs import Job, JobStore

MODEL_VERSION = "1.0"
MAX_RESULTS = 1000
# Queries per page: https://docs.aws.amazon.com/textract/latest/dg/limits-document.html
SYNC_MAX_QUERIES, ASYNC_MAX_QUERIES = 15, 30
DETECTION, ANALYSIS = "StartDocumentTextDetection", "StartDocumentAnalysis"


class TextractApi:
    """DetectDocumentText, AnalyzeDocument and the Start/Get pairs of both, for one account."""

    service = "textract"

    def __init__(
        self, account: Account, adapter: TextractAdapter | None = None, clock: Callable[[], float] | None = None
    ) -> None:
        self.account = account
        self.adapter = adapter or textract_adapter()
        self.clock = clock or time.time
        self.jobs = JobStore()

    def operations(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """Operation name -> handler."""
        return {
            "DetectDocumentText": self.detect_document_text,
            "AnalyzeDocument": self.analyze_document,
            "StartDocumentTextDetection": self.start_document_text_detection,
            "GetDocumentTextDetection": self.get_document_text_detection,
            "StartDocumentAnalysis": self.start_document_analysis,
            "GetDocumentAnalysis": self.get_document_analysis,
        }

    # -- synchronous ------------------------------------------------------------------------------
    def detect_document_text(self, params: dict[str, Any]) -> dict[str, Any]:
        """PAGE, LINE and WORD blocks of a one-page document."""
        with _as_aws_errors():
            result = self.adapter.detect_document_text(document_bytes(self.account, params["Document"]))
        return {**result, "DetectDocumentTextModelVersion": MODEL_VERSION}

    def analyze_document(self, params: dict[str, Any]) -> dict[str, Any]:
        """Text blocks plus the FORMS, TABLES and QUERIES blocks asked for, of a one-page document."""
        with _as_aws_errors():
            features, queries = _analysis_request(params, SYNC_MAX_QUERIES)
            document = document_bytes(self.account, params["Document"])
            result = self.adapter.analyze_document(document, features, queries)
        return {**result, "AnalyzeDocumentModelVersion": MODEL_VERSION}

    # -- asynchronous -----------------------------------------------------------------------------
    def start_document_text_detection(self, params: dict[str, Any]) -> dict[str, Any]:
        """Start a text detection job on an S3 document of up to 3,000 pages."""
        return self._start(
            DETECTION, params, lambda document: self.adapter.detect_document_text(document, asynchronous=True)
        )

    def start_document_analysis(self, params: dict[str, Any]) -> dict[str, Any]:
        """Start an analysis job on an S3 document of up to 3,000 pages."""
        with _as_aws_errors():
            features, queries = _analysis_request(params, ASYNC_MAX_QUERIES)
        return self._start(
            ANALYSIS,
            params,
            lambda document: self.adapter.analyze_document(document, features, queries, asynchronous=True),
        )

    def get_document_text_detection(self, params: dict[str, Any]) -> dict[str, Any]:
        """A page of a text detection job's blocks, with its status."""
        return {**self._get(DETECTION, params), "DetectDocumentTextModelVersion": MODEL_VERSION}

    def get_document_analysis(self, params: dict[str, Any]) -> dict[str, Any]:
        """A page of an analysis job's blocks, with its status."""
        return {**self._get(ANALYSIS, params), "AnalyzeDocumentModelVersion": MODEL_VERSION}

    def _start(self, api: str, params: dict[str, Any], run: Callable[[bytes], dict[str, Any]]) -> dict[str, Any]:
        token = params.get("ClientRequestToken")
        request = {k: v for k, v in params.items() if k != "ClientRequestToken"}
        with _as_aws_errors():
            earlier = self.jobs.existing(api, token, request)
            if earlier is not None:
                return {"JobId": earlier.job_id}
            s3_object = params["DocumentLocation"].get("S3Object")
            if not s3_object:
                raise InvalidParameter("DocumentLocation must name an S3Object")
            channel = params.get("NotificationChannel")
            if channel:
                notifications.check_topic(self.account, channel)
            document = s3_object_bytes(self.account, s3_object)
            job = self.jobs.new(api, token, request)
        try:
            job.succeed(run(document))
        except TextractError as exc:
            job.fail(exc.message)
        except Exception as exc:  # the job reports it: a Start that raised would leave it IN_PROGRESS forever
            job.fail(f"InternalServerError: {type(exc).__name__}: {exc}")
        if job.status == "SUCCEEDED" and params.get("OutputConfig"):
            pages = list(_result_pages(job))
            notifications.write_results(self.account, params["OutputConfig"], job.job_id, pages)
        if channel:
            notice = notifications.completion_notice(
                job.job_id, job.status, api, params.get("JobTag"), int(self.clock() * 1000), s3_object
            )
            notifications.publish_notice(self.account, channel, notice)
        return {"JobId": job.job_id}

    def _get(self, api: str, params: dict[str, Any]) -> dict[str, Any]:
        with _as_aws_errors():
            job = self.jobs.get(params["JobId"], api)
            if job.status != "SUCCEEDED":
                answer: dict[str, Any] = {"JobStatus": job.status}
                if job.status_message:
                    answer["StatusMessage"] = job.status_message
                return answer
            size = min(params.get("MaxResults") or MAX_RESULTS, MAX_RESULTS)
            start = _offset(params.get("NextToken"), job)
        return _page(job, start, size)


def _page(job: Job, start: int, size: int) -> dict[str, Any]:
    blocks = job.result["Blocks"]
    answer: dict[str, Any] = {
        "DocumentMetadata": job.result["DocumentMetadata"],
        "JobStatus": job.status,
        "Blocks": blocks[start : start + size],
    }
    if start + size < len(blocks):
        answer["NextToken"] = _token(job, start + size)
    return answer


def _result_pages(job: Job):
    start = 0
    while True:
        page = _page(job, start, MAX_RESULTS)
        yield page
        if "NextToken" not in page:
            return
        start += MAX_RESULTS


def _token(job: Job, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{job.job_id}:{offset}".encode()).decode()


def _offset(token: str | None, job: Job) -> int:
    if not token:
        return 0
    try:
        job_id, offset = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        if job_id == job.job_id and 0 <= int(offset) <= len(job.result["Blocks"]):
            return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise InvalidParameter(f"NextToken {token!r} is not a token of job {job.job_id}")


def _analysis_request(params: dict[str, Any], max_queries: int) -> tuple[list[str], list[dict[str, Any]]]:
    """FeatureTypes and the queries, checked as Textract checks them."""
    features = list(params.get("FeatureTypes") or [])
    queries = list((params.get("QueriesConfig") or {}).get("Queries") or [])
    if "QUERIES" in features and not queries:
        raise InvalidParameter("FeatureTypes includes QUERIES, so QueriesConfig must have at least one query")
    if queries and "QUERIES" not in features:
        raise InvalidParameter("QueriesConfig is given, so FeatureTypes must include QUERIES")
    if len(queries) > max_queries:
        raise InvalidParameter(f"{len(queries)} queries; Textract takes at most {max_queries} per page here")
    return features, queries


@contextlib.contextmanager
def _as_aws_errors() -> Iterator[None]:
    """Turn the domain's Textract errors into the AwsError the wire answers."""
    try:
        yield
    except TextractError as error:
        status = 500 if isinstance(error, EngineUnavailable) else 400
        raise AwsError(error.code, error.message, status) from error
