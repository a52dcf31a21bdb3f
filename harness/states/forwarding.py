"""Passing Step Functions API calls on to the backend, signed for the harness's account, answered verbatim."""

from __future__ import annotations

from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session

from harness.backends.base import Account

CONTENT_TYPE = "application/x-amz-json-1.0"


@dataclass(frozen=True)
class ForwardedResponse:
    """The backend's answer: status, body and content type, unchanged."""

    status: int
    body: bytes
    content_type: str


class BackendForwarder:
    """Sends one JSON-protocol request (target and body) to the backend's Step Functions endpoint."""

    def __init__(self, account: Account) -> None:
        self.account = account
        creds = account.credentials
        self._credentials = Credentials(creds.access_key_id, creds.secret_access_key, creds.session_token)
        self._http = URLLib3Session(timeout=60)

    def forward(self, target: str, body: bytes) -> ForwardedResponse:
        """POST `body` with `X-Amz-Target: target` to the backend and return its response."""
        request = AWSRequest(
            method="POST",
            url=self.account.endpoint_url.rstrip("/") + "/",
            data=body,
            headers={"X-Amz-Target": target, "Content-Type": CONTENT_TYPE},
        )
        SigV4Auth(self._credentials, "states", self.account.region).add_auth(request)
        response = self._http.send(request.prepare())
        return ForwardedResponse(
            response.status_code, response.content, response.headers.get("Content-Type", CONTENT_TYPE)
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()
