"""Writes the gateway passes on to the backend for callers outside the harness wake the pollers they concern.

The harness's own boto3 sessions signal their writes themselves (`harness.activity.after_call`) and say
so in a header; a request without it (the AWS CLI, a user's boto3 client) is signalled here once the
backend has accepted it. Only what can be read cheaply is: JSON protocols named by X-Amz-Target
(Kinesis, DynamoDB, SQS, EventBridge) and query-protocol form posts (SQS, SNS). Anything else is still
seen by the pollers' idle wait.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wsgi import get_input_stream

from harness import activity
from harness.write_keys import WRITE_OPERATIONS, Key, write_keys

StartResponse = Callable[..., Any]

# X-Amz-Target prefix -> botocore service name
_TARGETS = {
    "Kinesis_20131202": "kinesis",
    "DynamoDB_20120810": "dynamodb",
    "AmazonSQS": "sqs",
    "AWSEvents": "events",
}
_FORM = "application/x-www-form-urlencoded"
_SIGNING_NAME = re.compile(r"Credential=[^/,\s]*/[^/]*/[^/]*/([^/]+)/")
_QUERY_SERVICES = frozenset({"sqs", "sns"})
_SIGNALLED_BY_CALLER = "HTTP_" + activity.SIGNALS_HEADER.upper().replace("-", "_")  # as WSGI names the header


def watch(
    environ: dict[str, Any], body: bytes | None, start_response: StartResponse
) -> tuple[bytes | None, StartResponse]:
    """The request body (read here if a write needs it) and a `start_response` that signals the write once accepted."""
    if environ.get(_SIGNALLED_BY_CALLER) or not _may_write(environ):
        return body, start_response
    if body is None:
        body = get_input_stream(environ).read()
    keys = request_write_keys(environ, body)
    if not keys:
        return body, start_response

    def signalling_start_response(status: str, headers: Any, *exc_info: Any) -> Any:
        answer = start_response(status, headers, *exc_info)
        if status.startswith("2"):
            activity.notify(*keys)
        return answer

    return body, signalling_start_response


def request_write_keys(environ: dict[str, Any], body: bytes) -> tuple[Key, ...] | None:
    """The keys a forwarded request writes to, read from its headers and `body`; None when it is no known write."""
    target = environ.get("HTTP_X_AMZ_TARGET") or ""
    if target:
        prefix, _, operation = target.rpartition(".")
        service = _TARGETS.get(prefix)
        if service is None or operation not in WRITE_OPERATIONS:
            return None
        try:
            params = json.loads(body or b"{}")
        except ValueError:  # CBOR or a broken body: not cheap to read, left to the idle wait
            return None
        return write_keys(service, operation, params) if isinstance(params, dict) else None
    params = dict(parse_qsl(environ.get("QUERY_STRING") or ""))
    if (environ.get("CONTENT_TYPE") or "").startswith(_FORM):
        params.update(parse_qsl(body.decode("utf-8", "replace")))
    operation = params.get("Action") or ""
    match = _SIGNING_NAME.search(environ.get("HTTP_AUTHORIZATION") or "")
    service = match.group(1) if match else "sqs"
    if service not in _QUERY_SERVICES or operation not in WRITE_OPERATIONS:
        return None
    return write_keys(service, operation, params)


def _may_write(environ: dict[str, Any]) -> bool:
    """A look at the headers alone: could this be a write `request_write_keys` can read?"""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rpartition(".")[2] in WRITE_OPERATIONS
    return environ.get("REQUEST_METHOD") == "POST" and (environ.get("CONTENT_TYPE") or "").startswith(_FORM)
