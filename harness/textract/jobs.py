"""Textract's asynchronous jobs: a job id, its status, and its result once done.

A job runs when it is started and is done when Start answers; Get then pages through its blocks.
https://docs.aws.amazon.com/textract/latest/dg/api-async.html
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from adapters.textract.errors import TextractError


class InvalidJobId(TextractError):
    """No job of this kind has this id."""

    code = "InvalidJobIdException"


class IdempotentParameterMismatch(TextractError):
    """A ClientRequestToken was used before with other parameters."""

    code = "IdempotentParameterMismatchException"


@dataclass
class Job:
    """One asynchronous job: which Start operation made it, its status and its result or failure."""

    job_id: str
    api: str  # "StartDocumentTextDetection" or "StartDocumentAnalysis"
    status: str = "IN_PROGRESS"
    result: dict[str, Any] = field(default_factory=dict)
    status_message: str | None = None

    def succeed(self, result: dict[str, Any]) -> None:
        """Record the blocks; the job is SUCCEEDED."""
        self.result, self.status = result, "SUCCEEDED"

    def fail(self, message: str) -> None:
        """Record why it failed; the job is FAILED."""
        self.status_message, self.status = message, "FAILED"


class JobStore:
    """The account's jobs, by id, and the ClientRequestTokens already used."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._tokens: dict[tuple[str, str], tuple[Any, str]] = {}
        self._lock = threading.Lock()

    def existing(self, api: str, token: str | None, request: Any) -> Job | None:
        """The job an earlier Start with this token and the same request made; mismatching requests are refused."""
        if not token:
            return None
        with self._lock:
            seen = self._tokens.get((api, token))
        if seen is None:
            return None
        if seen[0] != request:
            raise IdempotentParameterMismatch(f"ClientRequestToken {token!r} was used with other parameters for {api}")
        return self._jobs[seen[1]]

    def new(self, api: str, token: str | None, request: Any) -> Job:
        """A new IN_PROGRESS job, remembered under its token if there is one."""
        job = Job(secrets.token_hex(32), api)
        with self._lock:
            self._jobs[job.job_id] = job
            if token:
                self._tokens[(api, token)] = (request, job.job_id)
        return job

    def get(self, job_id: str, api: str) -> Job:
        """The job `api` started with this id; InvalidJobId otherwise."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.api != api:
            raise InvalidJobId(f"An invalid job identifier was passed: no {api} job has id {job_id!r}")
        return job
