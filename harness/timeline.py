"""What happened in one harness and why: invocations, batches, writes, rule deliveries, schedule runs, executions.

Each happening has an id and the id of its `cause`, so the chain record -> batch -> invocation -> write ->
stream record -> projection (or event -> rule -> target, schedule run -> invocation, execution -> task) can be
followed both ways. The cause travels with the work: a context variable holds the timeline and the current
happening, `carry(...)` takes it across a thread hop, and the botocore hooks below note each write a function
makes, with the keys (sequence numbers, message ids, event ids, item keys) by which its effect is found again.

Domain code calls the few functions here; a harness keeps one `Timeline` per account (`Timeline.attach`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import json
import logging
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from harness.clock import Clock

DEFAULT_LIMIT = 5000  # happenings kept per harness; the oldest go first
LOG_LINES = 200  # log lines kept per invocation
_TEXT_LIMIT = 2000  # characters of an event or payload kept for display
_log = logging.getLogger(__name__)


@dataclass
class Happening:
    """One thing that happened, what caused it, and what it showed."""

    id: str
    seq: int
    kind: str  # invocation, batch, write, call, rule, schedule, execution
    title: str
    at: str  # the harness clock, ISO 8601
    cause: str | None = None
    status: str = "ok"  # ok, error, running
    detail: dict[str, Any] = field(default_factory=dict)
    logs: list[str] = field(default_factory=list)
    account: str = ""  # whose timeline holds it (not shown)
    elapsed: float = 0.0  # real seconds since the timeline began (a virtual clock may not move at all)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return {
            "id": self.id,
            "seq": self.seq,
            "kind": self.kind,
            "title": self.title,
            "at": self.at,
            "cause": self.cause,
            "status": self.status,
            "detail": dict(self.detail),
            "logs": list(self.logs),
            "elapsed": round(self.elapsed, 3),
        }


_UNSET: Any = object()
_current: contextvars.ContextVar[tuple[Timeline, str | None] | None] = contextvars.ContextVar(
    "harness_timeline", default=None
)
_by_account: dict[str, Timeline] = {}
_registry_lock = threading.Lock()


class Timeline:
    """The happenings of one harness (one account), newest last, bounded."""

    def __init__(self, account_id: str, clock: Clock, *, limit: int = DEFAULT_LIMIT) -> None:
        self.account_id = account_id
        self.clock = clock
        self.limit = limit
        self._items: OrderedDict[str, Happening] = OrderedDict()
        self._keys: dict[tuple[Any, ...], str] = {}
        self._rows: dict[str, deque[tuple[dict[str, Any], str]]] = {}
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self.version = 0  # moves on every change, so a viewer knows when to look again
        self._began = time.monotonic()

    # -- lifetime ----------------------------------------------------------------------------------
    def attach(self) -> Timeline:
        """Receive what happens in this account (the newest timeline of an account wins)."""
        with _registry_lock:
            _by_account[self.account_id] = self
        return self

    def detach(self) -> None:
        """Stop receiving."""
        with _registry_lock:
            if _by_account.get(self.account_id) is self:
                del _by_account[self.account_id]

    # -- recording ---------------------------------------------------------------------------------
    def record(
        self,
        kind: str,
        title: str,
        *,
        cause: str | None = _UNSET,
        status: str = "ok",
        detail: dict[str, Any] | None = None,
        keys: list[tuple[Any, ...]] | None = None,
    ) -> Happening:
        """Note one happening; its cause defaults to the one this thread works for."""
        if cause is _UNSET:
            cause = current_cause(self)
        with self._lock:
            seq = next(self._seq)
            happening = Happening(
                f"{kind[0]}{seq}",
                seq,
                kind,
                title,
                _iso(self.clock),
                cause,
                status,
                dict(detail or {}),
                [],
                self.account_id,
                time.monotonic() - self._began,
            )
            self._items[happening.id] = happening
            for key in keys or ():
                self._keys[key] = happening.id
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
            if len(self._keys) > self.limit * 20:
                alive = self._items.keys()
                self._keys = {k: v for k, v in self._keys.items() if v in alive}
            self.version += 1
        return happening

    def finish(self, happening: Happening, outcome: str, **detail: Any) -> None:
        """Close a running happening with its outcome (ok or error)."""
        with self._lock:
            happening.status = outcome
            happening.detail.update(detail)
            self.version += 1

    def remember_row(self, table: str, attributes: dict[str, Any], happening_id: str) -> None:
        """Keep an item written to a table, so a stream record of its key finds the write again."""
        with self._lock:
            self._rows.setdefault(table, deque(maxlen=500)).append((attributes, happening_id))

    def cause_of(self, key: tuple[Any, ...]) -> str | None:
        """The happening that produced `key` (a sequence number, message id, event id, object), if known."""
        with self._lock:
            return self._keys.get(key)

    def writer_of_row(self, table: str, keys: dict[str, Any]) -> str | None:
        """The latest write of an item with these key attributes to `table`."""
        with self._lock:
            rows = list(self._rows.get(table, ()))
        for attributes, happening_id in reversed(rows):
            if all(attributes.get(name) == value for name, value in keys.items()):
                return happening_id
        return None

    # -- reading -----------------------------------------------------------------------------------
    def get(self, happening_id: str) -> Happening | None:
        """One happening by id."""
        with self._lock:
            return self._items.get(happening_id)

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The newest `limit` happenings (all by default), oldest first, as JSON-ready dicts."""
        with self._lock:
            items = list(self._items.values())
        if limit is not None:
            items = items[-limit:]
        return [item.as_dict() for item in items]

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


# -- finding the timeline and the cause ------------------------------------------------------------
def for_account(account_id: str) -> Timeline | None:
    """The timeline attached for an account, if any."""
    with _registry_lock:
        return _by_account.get(account_id)


def for_arn(arn: str) -> Timeline | None:
    """The timeline of the account in an ARN."""
    parts = arn.split(":")
    return for_account(parts[4]) if len(parts) > 4 else None


def current_cause(timeline: Timeline) -> str | None:
    """The happening this thread works for, when it belongs to `timeline`."""
    found = _current.get()
    return found[1] if found is not None and found[0] is timeline else None


def carry(function: Callable[..., Any], happening: Happening | None = None) -> Callable[..., Any]:
    """`function`, to run on another thread for this thread's cause (or for `happening`, when given).

    Only the cause travels: the new thread's other context (a function's scope, its log capture) stays its own.
    """
    found = _current.get()
    if happening is not None:
        timeline = for_account(happening.account)
        found = (timeline, happening.id) if timeline is not None else found

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = _current.set(found)
        try:
            return function(*args, **kwargs)
        finally:
            _current.reset(token)

    return run


@contextlib.contextmanager
def working_for(timeline: Timeline | None, happening: Happening | None) -> Iterator[None]:
    """Inside the block, what this thread starts is caused by `happening`."""
    if timeline is None or happening is None:
        yield
        return
    token = _current.set((timeline, happening.id))
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def delivering(
    account_id: str, kind: str, title: str, *, cause_key: tuple[Any, ...] | None = None, **detail: Any
) -> Iterator[Happening | None]:
    """Record a delivery (a rule's target, a schedule's run) and make it the cause of what the block starts."""
    timeline = for_account(account_id)
    if timeline is None:
        yield None
        return
    cause = timeline.cause_of(cause_key) if cause_key else None
    if cause is None:
        cause = current_cause(timeline)
    happening = timeline.record(kind, title, cause=cause, detail=_safe(detail))
    with working_for(timeline, happening):
        try:
            yield happening
        except BaseException as exc:
            timeline.finish(happening, "error", error=f"{type(exc).__name__}: {exc}")
            raise


def record_for(arn: str, kind: str, title: str, **detail: Any) -> Happening | None:
    """Record a happening in the timeline of the account in `arn` (None when there is none)."""
    timeline = for_arn(arn)
    if timeline is None:
        return None
    return timeline.record(kind, title, status="running", detail=_safe(detail))


def finish(happening: Happening | None, outcome: str, **detail: Any) -> None:
    """Close a happening with its outcome, ok or error (no-op for None)."""
    if happening is None:
        return
    timeline = for_account(happening.account)
    if timeline is not None:
        timeline.finish(happening, outcome, **_safe(detail))


# -- invocations -------------------------------------------------------------------------------
def invocation_started(function_arn: str, function_name: str, event: Any, request_id: str) -> Happening | None:
    """Record an invocation (and the batch it delivers, for a stream or queue), with its cause."""
    try:
        return _invocation_started(function_arn, function_name, event, request_id)
    except Exception:  # the record is for looking at; the invocation itself must go on
        _log.exception("could not record the invocation of %s", function_name)
        return None


def _invocation_started(function_arn: str, function_name: str, event: Any, request_id: str) -> Happening | None:
    timeline = for_arn(function_arn)
    if timeline is None:
        return None
    cause = current_cause(timeline)
    records = event.get("Records") if isinstance(event, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict):
        cause = _records_cause(timeline, function_name, records, cause)
    elif cause is None and isinstance(event, dict) and "detail-type" in event and "id" in event:
        cause = timeline.cause_of(("events", event["id"]))
    return timeline.record(
        "invocation",
        function_name,
        cause=cause,
        status="running",
        detail={"function": function_name, "requestId": request_id, "event": _text(event)},
    )


def invocation_finished(happening: Happening | None, error: dict[str, Any] | None, lines: list[str], ms: float) -> None:
    """Close an invocation with its outcome and its log lines."""
    if happening is None:
        return
    timeline = for_account(happening.account)
    if timeline is None:
        return
    happening.logs = list(lines[:LOG_LINES]) + (
        [f"… {len(lines) - LOG_LINES} more lines"] if len(lines) > LOG_LINES else []
    )
    detail: dict[str, Any] = {"durationMs": round(ms, 1)}
    if error:
        detail["error"] = f"{error.get('errorType', '')}: {error.get('errorMessage', '')}"
    timeline.finish(happening, "error" if error else "ok", **detail)


def _records_cause(
    timeline: Timeline, function_name: str, records: list[dict[str, Any]], cause: str | None
) -> str | None:
    source = records[0].get("eventSource") or records[0].get("EventSource") or ""
    causes = [c for c in (_record_cause(timeline, source, r) for r in records) if c]
    if source in ("aws:kinesis", "aws:dynamodb", "aws:sqs"):
        arn = records[0].get("eventSourceARN", "")
        resource = arn.split(":", 5)[-1]  # a stream ARN's own label may hold colons
        name = resource.split("/")[1 if source == "aws:dynamodb" else -1] if arn else source
        batch = timeline.record(
            "batch",
            f"{name} → {function_name} ({len(records)} record{'s' if len(records) != 1 else ''})",
            cause=causes[0] if causes else cause,
            detail={"source": arn, "records": len(records), "causes": sorted(set(causes))},
        )
        return batch.id
    return causes[0] if causes else cause


def _record_cause(timeline: Timeline, source: str, record: dict[str, Any]) -> str | None:
    if source == "aws:kinesis":
        return timeline.cause_of(("kinesis", record.get("kinesis", {}).get("sequenceNumber")))
    if source == "aws:dynamodb":
        table = record.get("eventSourceARN", "").split(":table/")[-1].split("/")[0]
        return timeline.writer_of_row(table, record.get("dynamodb", {}).get("Keys", {}))
    if source == "aws:sqs":
        return timeline.cause_of(("sqs", record.get("messageId")))
    if source == "aws:s3":
        s3 = record.get("s3", {})
        return timeline.cause_of(("s3", s3.get("bucket", {}).get("name"), s3.get("object", {}).get("key")))
    if record.get("EventSource") == "aws:sns":
        return timeline.cause_of(("sns", record.get("Sns", {}).get("MessageId")))
    return None


# -- writes (botocore hooks on every harness session) ----------------------------------------------
_PARAMS = "harness_timeline_params"


def remember_params(params: dict[str, Any] | None = None, context: dict[str, Any] | None = None, **_: Any) -> None:
    """botocore `before-parameter-build` hook: keep a call's parameters for `after_call`."""
    if context is not None and params is not None and _current.get() is not None:
        context[_PARAMS] = params


def after_call(model: Any = None, parsed: Any = None, context: dict[str, Any] | None = None, **_: Any) -> None:
    """botocore `after-call` hook: record a write made on behalf of a happening, with the keys it produced."""
    try:
        _after_call(model, parsed, context)
    except Exception:  # the record is for looking at; the call itself must go on
        _log.exception("could not record a call")


def _after_call(model: Any, parsed: Any, context: dict[str, Any] | None) -> None:
    found = _current.get()
    if found is None or model is None:
        return
    if model.name in _CALLS:
        _record_call(found, model, (context or {}).get(_PARAMS) or {}, parsed)
    if model.name not in _WRITES:
        return
    timeline, cause = found
    params = (context or {}).get(_PARAMS) or {}
    parsed = parsed if isinstance(parsed, dict) else {}
    service = model.service_model.service_name
    resource, keys, rows = _write_keys(model.name, params, parsed)
    error = parsed.get("Error", {}).get("Code") if isinstance(parsed.get("Error"), dict) else None
    happening = timeline.record(
        "write",
        f"{service} {model.name} {resource}".strip(),
        cause=cause,
        status="error" if error else "ok",
        detail={
            "service": service,
            "operation": model.name,
            "resource": resource,
            **({"error": error} if error else {}),
        },
        keys=keys,
    )
    for table, attributes in rows:
        timeline.remember_row(table, attributes, happening.id)


_WRITES = frozenset(
    {
        "PutRecord",
        "PutRecords",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "SendMessage",
        "SendMessageBatch",
        "PutEvents",
        "Publish",
        "PutObject",
    }
)


# Calls worth seeing in a flow although they write nothing: models, documents, queries.
_CALLS = {
    "InvokeModel": "modelId",
    "InvokeModelWithResponseStream": "modelId",
    "Converse": "modelId",
    "ConverseStream": "modelId",
    "DetectDocumentText": "",
    "AnalyzeDocument": "",
    "StartDocumentAnalysis": "",
    "StartDocumentTextDetection": "",
    "StartQueryExecution": "QueryString",
}


def _record_call(found: tuple[Timeline, str | None], model: Any, params: dict[str, Any], parsed: Any) -> None:
    timeline, cause = found
    subject = str(params.get(_CALLS[model.name], "")) if _CALLS[model.name] else ""
    subject = subject if len(subject) <= 80 else subject[:79] + "…"
    error = (
        parsed.get("Error", {}).get("Code")
        if isinstance(parsed, dict) and isinstance(parsed.get("Error"), dict)
        else None
    )
    timeline.record(
        "call",
        f"{model.service_model.service_name} {model.name} {subject}".strip(),
        cause=cause,
        status="error" if error else "ok",
        detail={
            "service": model.service_model.service_name,
            "operation": model.name,
            **({"error": error} if error else {}),
        },
    )


def _write_keys(
    operation: str, params: dict[str, Any], parsed: dict[str, Any]
) -> tuple[str, list[tuple[Any, ...]], list[tuple[str, dict[str, Any]]]]:
    """The resource a write touched, the keys its effects carry, and the table items it wrote."""
    keys: list[tuple[Any, ...]] = []
    rows: list[tuple[str, dict[str, Any]]] = []
    if operation == "PutRecord":
        keys.append(("kinesis", parsed.get("SequenceNumber")))
        return params.get("StreamName") or params.get("StreamARN", ""), keys, rows
    if operation == "PutRecords":
        keys += [("kinesis", r.get("SequenceNumber")) for r in parsed.get("Records", []) if r.get("SequenceNumber")]
        return params.get("StreamName") or params.get("StreamARN", ""), keys, rows
    if operation in ("PutItem", "UpdateItem", "DeleteItem"):
        table = params.get("TableName", "")
        rows.append((table, params.get("Item") or params.get("Key") or {}))
        return table, keys, rows
    if operation == "BatchWriteItem":
        for table, requests in (params.get("RequestItems") or {}).items():
            for request in requests:
                put, delete = request.get("PutRequest", {}), request.get("DeleteRequest", {})
                rows.append((table, put.get("Item") or delete.get("Key") or {}))
        return ", ".join(params.get("RequestItems") or {}), keys, rows
    if operation == "SendMessage":
        keys.append(("sqs", parsed.get("MessageId")))
        return params.get("QueueUrl", "").rsplit("/", 1)[-1], keys, rows
    if operation == "SendMessageBatch":
        keys += [("sqs", m.get("MessageId")) for m in parsed.get("Successful", [])]
        return params.get("QueueUrl", "").rsplit("/", 1)[-1], keys, rows
    if operation == "PutEvents":
        keys += [("events", e.get("EventId")) for e in parsed.get("Entries", []) if e.get("EventId")]
        entries = params.get("Entries") or []
        kinds = sorted({str(e.get("DetailType", "")) for e in entries})
        return ", ".join(kinds), keys, rows
    if operation == "Publish":
        keys.append(("sns", parsed.get("MessageId")))
        return (params.get("TopicArn") or params.get("TargetArn") or "").split(":")[-1], keys, rows
    if operation == "PutObject":
        bucket, key = params.get("Bucket", ""), params.get("Key", "")
        keys.append(("s3", bucket, key))
        return f"{bucket}/{key}", keys, rows
    return "", keys, rows


# -- helpers ---------------------------------------------------------------------------------------
def _iso(clock: Clock) -> str:
    try:
        return clock.now().isoformat(timespec="milliseconds")
    except Exception:  # a stopped clock still lets the record be made
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def _text(value: Any) -> str:
    try:
        text = json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= _TEXT_LIMIT else text[:_TEXT_LIMIT] + "…"


def _safe(detail: dict[str, Any]) -> dict[str, Any]:
    """Values a JSON encoder accepts (times and others as text)."""
    return json.loads(json.dumps(detail, default=str))
