"""Corrections to the in-process moto server where it departs from AWS in ways a pattern would hit.

Each fix is applied once, only to the embedded backend's own process, and checks that the moto code it
corrects is still shaped as expected (the dependency is pinned to `SUPPORTED_MOTO`, as in pyproject.toml).
The later fixes (dispatch, event input paths, DynamoDB locking) check the source of what they replace: when
moto no longer has that shape, the fix is left out with a warning and `installed()` reports it missing, which
tests/unit/test_moto_fixes.py turns into a failure.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from importlib.metadata import version
from typing import Any

from harness import activity
from harness.write_keys import sqs_key

# The moto versions these fixes were written against; pyproject.toml pins the same range.
SUPPORTED_MOTO = ">=5.1,<5.3"
_LOWEST, _BELOW = (5, 1), (5, 3)
_log = logging.getLogger(__name__)
# fix name -> (owner, attribute, original value) of every attribute it replaced, so it can be removed.
_replaced: dict[str, list[tuple[Any, str, Any]]] = {}


def moto_is_supported() -> bool:
    """Whether the installed moto is in the range these fixes were written against."""
    major_minor = tuple(int(part) for part in version("moto").split(".")[:2])
    return _LOWEST <= major_minor < _BELOW


def _has_shape(fix: str, code: Any, *fragments: str) -> bool:
    """Whether `code`'s source still holds each fragment the fix relies on; warn and say no otherwise."""
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        source = ""
    missing = [fragment for fragment in fragments if fragment not in source]
    if missing or not moto_is_supported():
        _log.warning(
            "moto %s: %s left out (moto's %s no longer has %s; supported: moto%s)",
            version("moto"),
            fix,
            getattr(code, "__qualname__", code),
            missing or "the supported version",
            SUPPORTED_MOTO,
        )
        return False
    return True


def _replace(fix: str, owner: Any, name: str, replacement: Any) -> None:
    """Set `owner.name` to `replacement`, remembering the original for `remove`."""
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    _replaced.setdefault(fix, []).append((owner, name, original))
    setattr(owner, name, replacement)


def installed(fix: str) -> bool:
    """Whether the fix named `fix` (a function of this module) is in place."""
    return fix in _replaced


def remove(fix: str) -> None:
    """Put back what the fix replaced (benchmarks compare with and without it in one run)."""
    for owner, name, original in reversed(_replaced.pop(fix, [])):
        setattr(owner, name, original)
    if fix == "internal_queue_deliveries_can_be_skipped":
        activity.queue_deliveries_signalled(False)


def _locked(lock: threading.RLock, original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(*args, **kwargs)

    return locked


def scheduled_rules_ignore_events() -> None:
    """A rule with a ScheduleExpression and no EventPattern matches no PutEvents entry, as on AWS.

    moto treats the missing pattern as "match everything", so every PutEvents on the default bus tried
    to deliver to the scheduled rule's targets (and failed for Lambda targets).
    """
    from moto.events.models import Rule

    if getattr(Rule.send_to_targets, "_harness_fixed", False):
        return
    original = Rule.send_to_targets

    def send_to_targets(self: Any, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "scheduled_expression", None) and not self.event_pattern.get_pattern():
            return None
        return original(self, *args, **kwargs)

    send_to_targets._harness_fixed = True  # type: ignore[attr-defined]
    Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]


_KINESIS_SHARDS = threading.RLock()  # every Kinesis shard's reads and writes


def kinesis_shards_are_thread_safe() -> None:
    """Serialize moto's Kinesis shard reads and writes.

    moto's shards are plain ordered dicts: a producer and a poller running at once made a read fail
    ("OrderedDict mutated during iteration") and two concurrent producers lost records.
    """
    from moto.kinesis.models import Shard

    if getattr(Shard.put_record, "_harness_fixed", False):
        return
    lock = _KINESIS_SHARDS
    for name in (
        "get_records",
        "put_record",
        "get_min_sequence_number",
        "get_max_sequence_number",
        "get_sequence_number_at",
    ):
        original = getattr(Shard, name)

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        locked._harness_fixed = True  # type: ignore[attr-defined]
        setattr(Shard, name, functools.wraps(original)(locked))


def kinesis_shard_reads_seek() -> None:
    """Read a Kinesis shard from the iterator's position, not by walking it from its first record.

    moto's `Shard.get_records` walks every record of the shard for those after the iterator's sequence
    number, and `put_record` lists every key for the last one: both grow with the stream (a read of a
    10,000-record shard walked 10,000 entries). moto numbers a shard's records one after another; while
    a shard's numbers run without a gap from its first to its last, the records after a number are
    found by number. Otherwise moto's walk runs, as before. Both hold the shards' lock.
    """
    fix = "kinesis_shard_reads_seek"
    if installed(fix):
        return
    from moto.kinesis.models import Shard

    walk = Shard.get_records
    if not (
        _has_shape(fix, walk, "for sequence_number, record in self.records.items():", "int(secs_behind_latest * 1000)")
        and _has_shape(fix, Shard.put_record, "sequence_number = last_sequence_number + 1")
        and _has_shape(fix, Shard.get_max_sequence_number, "list(self.records.keys())[-1]")
        and _has_shape(fix, Shard.get_min_sequence_number, "list(self.records.keys())[0]")
    ):
        return

    def get_records(self: Any, last_sequence_id: str, limit: int | None) -> tuple[list[Any], int, int]:
        with _KINESIS_SHARDS:
            records = self.records
            if not records or (limit is not None and limit < 1):  # the API's Limit is at least 1
                return walk(self, last_sequence_id, limit)
            first, last = next(iter(records)), next(reversed(records))
            if last - first + 1 != len(records):
                return walk(self, last_sequence_id, limit)
            after = int(last_sequence_id)
            start = max(after + 1, first)
            stop = last if limit is None else min(last, start + limit - 1)
            found = [records[number] for number in range(start, stop + 1)]
            if not found:
                return [], after, 0
            behind = records[last].created_at - found[-1].created_at
            return found, stop, int(behind * 1000)

    def get_max_sequence_number(self: Any) -> int:
        with _KINESIS_SHARDS:
            return next(reversed(self.records)) if self.records else 0

    def get_min_sequence_number(self: Any) -> int:
        with _KINESIS_SHARDS:
            return next(iter(self.records)) if self.records else 0

    _replace(fix, Shard, "get_records", functools.wraps(walk)(get_records))
    _replace(fix, Shard, "get_max_sequence_number", get_max_sequence_number)
    _replace(fix, Shard, "get_min_sequence_number", get_min_sequence_number)


# DynamoDB Streams: "A shard iterator expires 15 minutes after it is returned to the requester."
STREAM_ITERATOR_LIFETIME = 15 * 60.0


def dynamodb_stream_iterators_expire() -> None:
    """Forget a DynamoDB stream iterator 15 minutes after its first use, as DynamoDB Streams expires them.

    moto keeps every iterator it hands out (about 2 KB each), and every GetRecords hands out one more:
    an idle poller reading four times a second held some 30 MB an hour per mapping. An iterator that
    has been read with is forgotten once its lifetime has passed since that first read (it was handed
    out earlier still); reading with it afterwards is answered with ExpiredIteratorException, as
    DynamoDB Streams answers. An iterator nobody has read with yet is kept, so a paused poller resumes.
    """
    fix = "dynamodb_stream_iterators_expire"
    if installed(fix):
        return
    from moto.core.exceptions import JsonRESTError
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    original = DynamoDBStreamsBackend.get_records
    if not _has_shape(fix, original, "self.shard_iterators[iterator_arn]"):
        return
    lock = threading.Lock()

    def get_records(self: Any, iterator_arn: str, limit: int) -> dict[str, Any]:
        now = time.monotonic()
        with lock:
            used: OrderedDict[str, float] = self.__dict__.setdefault("_harness_used_iterators", OrderedDict())
            while used and next(iter(used.values())) <= now - STREAM_ITERATOR_LIFETIME:
                expired, _ = used.popitem(last=False)
                self.shard_iterators.pop(expired, None)
                self.__dict__.setdefault("_harness_expired", _Forgotten()).add(expired)
            if iterator_arn not in self.shard_iterators and iterator_arn in self.__dict__.get("_harness_expired", ()):
                raise JsonRESTError("ExpiredIteratorException", "Iterator expired")
            used.setdefault(iterator_arn, now)
        return original(self, iterator_arn, limit)

    _replace(fix, DynamoDBStreamsBackend, "get_records", functools.wraps(original)(get_records))


class _Forgotten:
    """The last few thousand expired iterators' hashes, so that a late read is told it expired."""

    def __init__(self, limit: int = 4096) -> None:
        self._hashes: OrderedDict[int, None] = OrderedDict()
        self._limit = limit

    def add(self, iterator: str) -> None:
        self._hashes[hash(iterator)] = None
        while len(self._hashes) > self._limit:
            self._hashes.popitem(last=False)

    def __contains__(self, iterator: object) -> bool:
        return hash(iterator) in self._hashes


def log_events_on_the_harness_clock() -> None:
    """Accept log events at any time: the harness clock, not the real time, is the account's "now".

    PutLogEvents refuses events more than 14 days old or 2 hours ahead of the service's current time. The
    harness stamps events with its own clock, which a test moves hours or days ahead (or starts in the
    past); against moto's real-time window those events would be dropped. Chronological order within a
    request is still required, as on AWS.
    """
    from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
    from moto.logs.models import LogsBackend

    if getattr(LogsBackend.put_log_events, "_harness_fixed", False):
        return

    def put_log_events(
        self: Any, log_group_name: str, log_stream_name: str, log_events: list[dict[str, Any]]
    ) -> tuple[str, dict[str, Any]]:
        if log_group_name not in self.groups:
            raise ResourceNotFoundException()
        stamps = [event["timestamp"] for event in log_events]
        if stamps != sorted(stamps):
            raise InvalidParameterException(
                "Log events in a single PutLogEvents request must be in chronological order."
            )
        return self.groups[log_group_name].put_log_events(log_stream_name, log_events), {}

    put_log_events._harness_fixed = True  # type: ignore[attr-defined]
    LogsBackend.put_log_events = put_log_events  # type: ignore[method-assign]


def dynamodb_stream_shards_are_thread_safe() -> None:
    """Serialize moto's DynamoDB stream shard appends and reads.

    moto numbers a stream record by the shard's length at append time: two writers appending at once
    gave two records one sequence number, and a poller reading meanwhile could see a record twice.
    """
    from moto.dynamodb.models.table import StreamShard

    if getattr(StreamShard.add, "_harness_fixed", False):
        return
    lock = threading.RLock()
    for name in ("add", "get"):
        original = getattr(StreamShard, name)

        def locked(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return _original(self, *args, **kwargs)

        locked._harness_fixed = True  # type: ignore[attr-defined]
        setattr(StreamShard, name, functools.wraps(original)(locked))


@functools.cache
def _managed_policy_data() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


def managed_policies_in_the_aws_partition() -> None:
    """Give each account AWS's managed policies in the `aws` partition only, parsed once.

    moto's own switch loads all 1,582 of them for each of six partitions of every account it meets,
    about a second and 30 MiB per account; the seed's LambdaLabRole attaches eleven of them.
    """
    from moto.iam.models import AWSManagedPolicy, IAMBackend

    if getattr(IAMBackend._init_aws_policies, "_harness_fixed", False):
        return

    def init_aws_policies(self: Any) -> list[Any]:
        if self.partition != "aws":
            return []
        data = _managed_policy_data()
        return [AWSManagedPolicy.from_data(name, self.account_id, self.region_name, d) for name, d in data.items()]

    init_aws_policies._harness_fixed = True  # type: ignore[attr-defined]
    IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign]


def dispatch_without_listing_the_package() -> None:
    """Find a request's moto service without listing moto's package directory on every request.

    moto's dispatcher checks the host it inferred against `list_of_moto_modules()`, which lists and stats
    every entry of moto's package (about 115 `stat` calls), then matches it against hundreds of URL
    patterns; both depend on the host alone. The package is listed once and each host's answer kept.
    """
    fix = "dispatch_without_listing_the_package"
    if installed(fix):
        return
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    listing, lookup = backends.list_of_moto_modules, DomainDispatcherApplication.get_backend_for_host
    if not (
        _has_shape(fix, listing, "os.listdir(path)")
        and _has_shape(fix, lookup, "backends.list_of_moto_modules()", "self.backend_url_patterns")
    ):
        return
    modules = tuple(listing())

    def list_of_moto_modules() -> Iterable[str]:
        return modules

    def get_backend_for_host(self: Any, host: str | None) -> Any:
        # The dispatcher calls this under its own lock; the answer depends on the host alone.
        known = self.__dict__.setdefault("_harness_backend_for_host", {})
        if host not in known:
            known[host] = lookup(self, host)
        return known[host]

    _replace(fix, backends, "list_of_moto_modules", list_of_moto_modules)
    _replace(fix, DomainDispatcherApplication, "get_backend_for_host", get_backend_for_host)


def action_names_listed_once() -> None:
    """List each moto response class's methods once, not on every request.

    moto's `call_action` runs `inspect.getmembers` over the response class (hundreds of members) on
    every request to see whether the action has a method; the class does not change between requests.
    """
    fix = "action_names_listed_once"
    if installed(fix):
        return
    from moto.core import responses

    listing = responses.method_names_from_class
    if not (
        _has_shape(fix, responses.BaseResponse.call_action, "method_names_from_class(self.__class__)")
        and _has_shape(fix, listing, "inspect.getmembers(")
    ):
        return

    @functools.cache
    def method_names_from_class(clazz: object) -> frozenset[str]:
        return frozenset(listing(clazz))

    _replace(fix, responses, "method_names_from_class", method_names_from_class)


def _root_view(app: Any) -> Any:
    """The view Flask's own router picks for `POST /` in a moto app (the JSON services' route), or None."""
    views = app.__dict__.setdefault("_harness_root_view", [])
    if not views:
        try:
            endpoint, arguments = app.url_map.bind("localhost").match("/", method="POST")
            view = None if arguments else app.view_functions.get(endpoint)
        except Exception:  # no route for `POST /`: a REST service
            view = None
        views.append(view if hasattr(view, "callback") else None)
    return views[0]


def json_requests_skip_flask() -> None:
    """Hand a JSON service's request (POST `/` with X-Amz-Target) straight to its moto handler.

    For a request Flask would route to the service's `/` view (the only route of most JSON services; SQS
    has its queue URLs besides), Flask's routing, request context and hooks add nothing but
    the CORS header its global CORS adds to every answer (`Access-Control-Allow-Origin: *` for a request
    without `Origin`); the handler is called as moto's view calls it and the same response is built, as
    moto's own in-process mock calls its handlers. Any other request goes through Flask as before.
    """
    fix = "json_requests_skip_flask"
    if installed(fix):
        return
    from moto.core import utils
    from moto.moto_server import werkzeug_app
    from moto.moto_server.werkzeug_app import BackendRequest, DomainDispatcherApplication

    view_call, dispatch = utils.convert_to_flask_response.__call__, DomainDispatcherApplication.__call__
    fragments = ("normalize_request(", "self.callback(request, request.raw_url, dict(request.headers))")
    if not (
        _has_shape(fix, view_call, *fragments, 'result = 400, {}, exc.response["Error"]["Message"]')
        and _has_shape(fix, dispatch, "backend_app = self.get_application(environ)")
        and _has_shape(fix, werkzeug_app.create_backend_app, "CORS(backend_app)", "backend_app.request_class")
    ):
        return
    from botocore.exceptions import ClientError
    from flask import Response
    from moto.moto_api import recorder

    cors = [] if werkzeug_app.DISABLE_GLOBAL_CORS else [("Access-Control-Allow-Origin", "*")]

    def call(self: Any, environ: dict[str, Any], start_response: Any) -> Any:
        app = self.get_application(environ)
        view = _root_view(app)
        if (
            view is None
            or environ.get("REQUEST_METHOD") != "POST"
            or environ.get("PATH_INFO") != "/"
            or not environ.get("HTTP_X_AMZ_TARGET")
            or "HTTP_ORIGIN" in environ
        ):
            return app(environ, start_response)
        request = BackendRequest(environ)
        recorder._record_request(request)
        try:
            result = view.callback(request, request.raw_url, dict(request.headers))
        except ClientError as exc:
            result = 400, {}, exc.response["Error"]["Message"]
        status, headers, content = result if len(result) == 3 else (200, {}, result)
        response = Response(response=content, status=status, headers=headers)
        for name, value in cors:
            response.headers.setdefault(name, value)
        return response(environ, start_response)

    _replace(fix, DomainDispatcherApplication, "__call__", call)


@functools.lru_cache(maxsize=1024)
def _json_path(expression: str) -> Any:
    from jsonpath_ng.ext import parse

    return parse(expression)


def event_input_paths_parsed_once() -> None:
    """Parse each EventBridge target's input paths once, not for every event and target.

    moto builds a JSONPath parser for each of the eight default input paths (or a transformer's
    InputPathsMap) every time it delivers an event to a target. The expressions are kept, parsed.
    """
    fix = "event_input_paths_parsed_once"
    if installed(fix):
        return
    from moto.events import models
    from moto.events.utils import EventTemplateParser

    original = EventTemplateParser.__dict__["parse"].__func__
    fragments = ("input_expr = parse(input_paths_map[input_path])", "default_inputs_map = {", "json.loads(")
    if not (_has_shape(fix, original, *fragments) and models.EventTemplateParser is EventTemplateParser):
        return

    def parse(input_template: str, input_paths_map: dict[str, Any], event: Any) -> dict[str, Any]:
        # moto's EventTemplateParser.parse, step for step, with the expressions parsed once.
        template = input_template or EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE
        paths = input_paths_map or EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP
        for name, expression in paths.items():
            matches = _json_path(expression).find(event)
            result = EventTemplateParser._stringify(matches[0].value) if matches else None
            if result:
                template = template.replace(f"<{name}>", result)
        defaults = {"aws.events.event.json": event, "aws.events.event.ingestion-time": event["ingestion-time"]}
        for name, value in defaults.items():
            template = template.replace(f"<{name}>", EventTemplateParser._stringify(value))
        return json.loads(template)

    _replace(fix, EventTemplateParser, "parse", staticmethod(parse))


# What reads or writes a table's items, on the table and the backend (stream shards have a lock of their own).
_DYNAMODB_LOCKED = {
    "Table": ("put_item", "get_item", "delete_item", "query", "scan", "all_items", "has_idx_items", "__len__"),
    "DynamoDBBackend": (
        "put_item",
        "get_item",
        "update_item",
        "delete_item",
        "query",
        "scan",
        "transact_write_items",
        "execute_statement",
        "execute_transaction",
        "batch_execute_statement",
    ),
}


def dynamodb_tables_are_thread_safe() -> None:
    """Serialize moto's DynamoDB item reads and writes, as the Kinesis and DynamoDB stream shards are.

    moto's tables keep items in plain dicts that `query` and `scan` walk: an insert from another thread
    meanwhile failed the read with "dictionary changed size during iteration", and `update_item` changes
    an item in place while a scan may be reading it.
    """
    fix = "dynamodb_tables_are_thread_safe"
    if installed(fix):
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    owners = {"Table": Table, "DynamoDBBackend": DynamoDBBackend}
    absent = [f"{o}.{n}" for o, names in _DYNAMODB_LOCKED.items() for n in names if n not in owners[o].__dict__]
    if absent:
        _log.warning("moto %s: %s left out (moto has no %s)", version("moto"), fix, ", ".join(absent))
        return
    if not (
        _has_shape(fix, Table.all_items, "self.items.values()") and _has_shape(fix, Table.scan, "self.all_items()")
    ):
        return
    lock = threading.RLock()
    for owner_name, names in _DYNAMODB_LOCKED.items():
        owner = owners[owner_name]
        for name in names:
            _replace(fix, owner, name, _locked(lock, owner.__dict__[name]))


_skipped = threading.local()
_placeholders: set[str] = set()  # queues that only stand in for a target: moto never fills them


def keep_queues_empty(queue_names: Collection[str]) -> None:
    """moto's own deliveries to these queues are dropped on every thread (they stand in for targets)."""
    _placeholders.update(queue_names)


def stop_keeping_queues_empty(queue_names: Collection[str]) -> None:
    """Undo `keep_queues_empty` for these queues."""
    _placeholders.difference_update(queue_names)


@contextlib.contextmanager
def queue_deliveries_skipped(queue_names: Collection[str]) -> Iterator[None]:
    """On this thread, moto's own deliveries (EventBridge, SNS, S3 notifications) to these queues are dropped.

    The harness wraps a backend call whose events it delivers itself in this, so that moto does not fill the
    plumbing queues that stand in for those targets. Without the embedded backend (or the fix) it changes
    nothing, and the harness's ledger skips those messages instead.
    """
    previous = getattr(_skipped, "queues", frozenset())
    _skipped.queues = previous | frozenset(queue_names)
    try:
        yield
    finally:
        _skipped.queues = previous


def internal_queue_deliveries_can_be_skipped() -> None:
    """Let `queue_deliveries_skipped` and `keep_queues_empty` drop moto's own sends to chosen queues.

    Every other send wakes that queue's consumers, so that a PutEvents, Publish or S3 write need not wake
    every queue consumer in case moto delivered to its queue (`activity.queue_deliveries_signalled`).
    """
    from moto.sns.models import Subscription
    from moto.sqs.models import SQSBackend

    fix = "internal_queue_deliveries_can_be_skipped"
    if installed(fix) or not _has_shape(fix, SQSBackend.send_message, "def send_message(", "queue_name: str"):
        return
    original = SQSBackend.send_message

    @functools.wraps(original)
    def send_message(self: Any, queue_name: str, *args: Any, **kwargs: Any) -> Any:
        if _dropped(queue_name):
            return None  # moto's callers (EventBridge, SNS, S3 notifications) ignore the sent message
        sent = original(self, queue_name, *args, **kwargs)
        activity.notify(sqs_key(queue_name))  # wakes this queue's consumers, whoever made moto deliver
        return sent

    _replace(fix, SQSBackend, "send_message", send_message)
    activity.queue_deliveries_signalled(True)

    # moto builds and signs an SNS envelope (a fresh certificate, ~2.5 ms) before it sends it to a queue
    if _has_shape(fix, Subscription.publish, 'if self.protocol == "sqs":', "self._parse_message_structure("):
        _replace(fix, Subscription, "publish", _unbuilt_when_dropped(Subscription.publish))


def _dropped(queue_name: str) -> bool:
    return queue_name in _placeholders or queue_name in getattr(_skipped, "queues", ())


def _unbuilt_when_dropped(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def publish(self: Any, message: str, message_id: str, *args: Any, **kwargs: Any) -> Any:
        if self.protocol == "sqs" and _dropped(self.endpoint.split(":")[-1]):
            if kwargs.get("message_structure") == "json":
                self._parse_message_structure(message, self.protocol)  # still refuse what SNS refuses
            return None
        return original(self, message, message_id, *args, **kwargs)

    return publish


SPEEDUPS = (
    "kinesis_shard_reads_seek",
    "dispatch_without_listing_the_package",
    "action_names_listed_once",
    "json_requests_skip_flask",
    "service_models_loaded_through_one_loader",
    "camelcase_names_converted_once",
    "event_input_paths_parsed_once",
    "internal_queue_deliveries_can_be_skipped",
)


def service_models_loaded_through_one_loader() -> None:
    """Load moto's service models through one loader, not a new one for each.

    moto makes a new botocore loader for every service model it loads (the first request of each
    service that moto parses by its model, and every error it formats), and a new loader lists every
    service directory of botocore and moto, thousands of `stat` calls, before it reads the one file it
    needs: seconds on a slow disk, in every process. One loader, made as moto makes it, keeps that
    listing; the files it reads are the same.
    """
    fix = "service_models_loaded_through_one_loader"
    if installed(fix):
        return
    from moto.core import loaders, utils

    if not _has_shape(fix, utils._load_service_model, "loader = create_loader()", "loader.load_service_model("):
        return
    loader = loaders.create_loader()

    def _load_service_model(service_name: str, model_name: str) -> dict[str, Any]:
        return loader.load_service_model(service_name, model_name)

    _replace(fix, utils, "_load_service_model", _load_service_model)


def camelcase_names_converted_once() -> None:
    """Convert each CamelCase name to snake_case once, not on every request.

    moto converts names with `camelcase_to_underscores` per request: SQS converts the name of every queue
    attribute on each ReceiveMessage (about 40 a call) to read the retention period. The answer depends
    on the name alone, so each is kept. Modules imported later take the kept function from moto's utils.
    """
    fix = "camelcase_names_converted_once"
    if installed(fix):
        return
    import sys

    from moto.core import utils

    original = utils.camelcase_to_underscores
    if not _has_shape(fix, original, "def camelcase_to_underscores(argument: str) -> str:"):
        return
    converted = functools.lru_cache(maxsize=4096)(original)
    _replace(fix, utils, "camelcase_to_underscores", converted)
    for name, module in list(sys.modules.items()):
        if (
            name.startswith("moto.")
            and module is not utils
            and module.__dict__.get("camelcase_to_underscores") is original
        ):
            _replace(fix, module, "camelcase_to_underscores", converted)


def apply_all() -> None:
    """Apply every fix (idempotent)."""
    scheduled_rules_ignore_events()
    kinesis_shards_are_thread_safe()
    kinesis_shard_reads_seek()
    dynamodb_stream_shards_are_thread_safe()
    dynamodb_stream_iterators_expire()
    managed_policies_in_the_aws_partition()
    log_events_on_the_harness_clock()
    dispatch_without_listing_the_package()
    action_names_listed_once()
    json_requests_skip_flask()
    service_models_loaded_through_one_loader()
    camelcase_names_converted_once()
    event_input_paths_parsed_once()
    internal_queue_deliveries_can_be_skipped()
    dynamodb_tables_are_thread_safe()
