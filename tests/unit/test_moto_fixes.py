"""The corrections to moto are in place for the pinned moto and work; an upgrade that breaks one fails here."""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from harness.backends import moto_fixes

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT, REGION = "123456789012", "us-east-1"
FIXES = (
    "dynamodb_stream_iterators_expire",
    "kinesis_shard_reads_seek",
    "dispatch_without_listing_the_package",
    "action_names_listed_once",
    "json_requests_skip_flask",
    "service_models_loaded_through_one_loader",
    "camelcase_names_converted_once",
    "event_input_paths_parsed_once",
    "internal_queue_deliveries_can_be_skipped",
    "dynamodb_tables_are_thread_safe",
)


@pytest.fixture(autouse=True)
def fixed() -> None:
    moto_fixes.apply_all()


def test_the_fixes_are_pinned_to_the_moto_range_of_pyproject():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in dependencies if re.match(r"moto\b", d))
    assert pin.split("]", 1)[-1] == moto_fixes.SUPPORTED_MOTO
    assert moto_fixes.moto_is_supported()


@pytest.mark.parametrize("fix", FIXES)
def test_each_fix_is_installed(fix):
    assert moto_fixes.installed(fix), f"{fix} is missing: moto changed the code it corrects (see the warning)"


def test_the_dispatcher_no_longer_lists_moto_for_each_request(monkeypatch):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    environ = {
        "PATH_INFO": "/",
        "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential=k/20260101/{REGION}/kinesis/aws4_request, Signature=x",
    }
    first = app.get_application(dict(environ))
    listings = []
    real_listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda path=".": listings.append(path) or real_listdir(path))

    again = [app.get_application(dict(environ)) for _ in range(3)]

    assert listings == []
    assert all(found is first for found in again)
    assert app.get_backend_for_host(f"kinesis.{REGION}.amazonaws.com") == "kinesis"
    assert app.get_backend_for_host("sqs") == "sqs"  # a module name is still a host it knows
    assert app.get_backend_for_host("nothing.example") is None


def test_a_response_class_is_listed_once(monkeypatch):
    import inspect

    from moto.core import responses
    from moto.dynamodb.responses import DynamoHandler

    first = responses.method_names_from_class(DynamoHandler)
    listings = []
    real = inspect.getmembers
    monkeypatch.setattr(inspect, "getmembers", lambda *a, **k: listings.append(a) or real(*a, **k))

    again = responses.method_names_from_class(DynamoHandler)

    assert listings == []
    assert again == first and {"put_item", "query", "scan"} <= first and "__init__" in first


def test_event_input_paths_are_parsed_once_and_give_moto_s_answer(monkeypatch):
    import jsonpath_ng.ext
    from moto.events.utils import EventTemplateParser

    moto_fixes._json_path.cache_clear()
    parsed = []
    real_parse = jsonpath_ng.ext.parse
    monkeypatch.setattr(jsonpath_ng.ext, "parse", lambda text: parsed.append(text) or real_parse(text))
    event = {
        "version": "0",
        "id": "e-1",
        "detail-type": "OrderPlaced",
        "source": "ecommerce.orders",
        "account": ACCOUNT,
        "time": "2026-01-01T00:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": {"orderId": "o-1", "total": 12.5},
        "ingestion-time": 1767225600.0,
    }
    template = '{"order": "<o>", "total": <t>, "whole": <aws.events.event.json>}'
    paths = {"o": "$.detail.orderId", "t": "$.detail.total"}

    answers = [EventTemplateParser.parse(template, paths, event) for _ in range(3)]
    defaults = [EventTemplateParser.parse(None, {}, {**event, "time": 1767225600}) for _ in range(3)]

    assert answers[0] == {"order": "o-1", "total": 12.5, "whole": event}
    assert defaults[0]["detail"] == event["detail"] and defaults[0]["detail-type"] == "OrderPlaced"
    assert answers.count(answers[0]) == 3 and defaults.count(defaults[0]) == 3
    # Each distinct expression is parsed once: two of the transformer's, eight of moto's defaults.
    assert sorted(parsed) == sorted({*paths.values(), *EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP.values()})


def test_moto_s_own_deliveries_to_named_queues_are_skipped_on_this_thread_only():
    from moto.sqs.models import sqs_backends

    sqs = sqs_backends[ACCOUNT][REGION]
    for name in ("skip-fix-plumbing", "skip-fix-user"):
        sqs.create_queue(name)
    try:
        with moto_fixes.queue_deliveries_skipped({"skip-fix-plumbing"}):
            for name in ("skip-fix-plumbing", "skip-fix-user"):
                sqs.send_message(name, "while skipping")
            other = threading.Thread(target=lambda: sqs.send_message("skip-fix-plumbing", "another thread"))
            other.start()
            other.join()
        sqs.send_message("skip-fix-plumbing", "after")

        def bodies(name: str) -> list[str]:
            return sorted(m.body for m in sqs.get_queue(name).messages)

        assert bodies("skip-fix-plumbing") == ["after", "another thread"]
        assert bodies("skip-fix-user") == ["while skipping"]
    finally:
        for name in ("skip-fix-plumbing", "skip-fix-user"):
            sqs.delete_queue(name)


def test_a_fix_can_be_removed_and_applied_again():
    from moto import backends

    moto_fixes.remove("dispatch_without_listing_the_package")
    try:
        assert not moto_fixes.installed("dispatch_without_listing_the_package")
        assert not isinstance(backends.list_of_moto_modules(), tuple)  # moto's own generator again
    finally:
        moto_fixes.dispatch_without_listing_the_package()
    assert isinstance(backends.list_of_moto_modules(), tuple)


def test_a_dynamodb_scan_and_query_see_a_table_another_thread_is_filling():
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    table = Table(
        "Readings",
        ACCOUNT,
        REGION,
        schema=[{"AttributeName": "id", "KeyType": "HASH"}],
        attr=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    written = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for n in range(1000):
                table.put_item({"id": {"S": f"r-{n}"}, "n": {"N": str(n)}})
        except BaseException as exc:
            errors.append(exc)
        finally:
            written.set()

    thread = threading.Thread(target=writer)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so that a read without the lock meets a write
    thread.start()
    reads = 0
    try:
        while not written.is_set() or reads < 3:
            table.scan(filters={}, limit=None, exclusive_start_key=None)
            table.query(DynamoType({"S": "r-1"}), None, [], None, None, True, None)
            reads += 1
    finally:
        thread.join()
        sys.setswitchinterval(switch)

    assert errors == []
    assert len(table.scan(filters={}, limit=None, exclusive_start_key=None)[0]) == 1000


def test_a_dynamodb_scan_waits_for_a_write_in_progress(monkeypatch):
    from moto.dynamodb.models.table import Table

    table = Table(
        "Orders",
        ACCOUNT,
        REGION,
        schema=[{"AttributeName": "id", "KeyType": "HASH"}],
        attr=[{"AttributeName": "id", "AttributeType": "S"}],
    )
    writing, release, scanned = threading.Event(), threading.Event(), threading.Event()
    validate = Table._validate_item_types

    def held_write(self, *args, **kwargs):  # runs inside put_item, before the item is stored
        writing.set()
        release.wait(10)
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(Table, "_validate_item_types", held_write)
    writer = threading.Thread(target=table.put_item, args=({"id": {"S": "o-1"}},))
    writer.start()
    assert writing.wait(10)
    reader = threading.Thread(
        target=lambda: (table.scan(filters={}, limit=None, exclusive_start_key=None), scanned.set())
    )
    reader.start()

    scanned_during_the_write = scanned.wait(0.5)
    release.set()
    writer.join()
    reader.join()

    assert not scanned_during_the_write
    assert scanned.is_set()


JSON_CALLS = [
    ("dynamodb", "list_tables", {}),
    ("dynamodb", "describe_table", {"TableName": "Missing"}),
    ("kinesis", "list_streams", {}),
    ("sqs", "list_queues", {}),
    ("sqs", "get_queue_url", {"QueueName": "Missing"}),
    ("events", "list_rules", {}),
    ("logs", "describe_log_groups", {}),
    ("stepfunctions", "list_state_machines", {}),
    (
        "stepfunctions",
        "describe_state_machine",
        {"stateMachineArn": f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:No"},
    ),
]


def _answers(endpoint: str) -> list[tuple[int, dict[str, str], bytes]]:
    """Each JSON_CALLS call's raw answer: status, headers (without the per-request ones), body."""
    import boto3
    from botocore.exceptions import ClientError

    from harness.backends import in_process

    session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
    answers = []
    for service, operation, params in JSON_CALLS:
        client = session.client(service, endpoint_url=endpoint)
        client.meta.events.register("before-send", in_process.before_send)
        seen: list = []
        client.meta.events.register("after-call", lambda http_response, seen=seen, **_: seen.append(http_response))
        with contextlib.suppress(ClientError):
            getattr(client, operation)(**params)
        response = seen[0]
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower() not in {"x-amzn-requestid", "date"}}
        answers.append((response.status_code, headers, response.content))
    return answers


def test_a_json_request_answered_without_flask_is_answered_as_through_it(monkeypatch):
    import flask
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from harness.backends import in_process

    endpoint = "http://127.0.0.1:65002"
    in_process.register(endpoint, DomainDispatcherApplication(create_backend_app))
    through_flask = []
    wsgi_app = flask.Flask.wsgi_app
    monkeypatch.setattr(flask.Flask, "wsgi_app", lambda self, *a: through_flask.append(1) or wsgi_app(self, *a))
    try:
        direct = _answers(endpoint)
        direct_flask_calls = len(through_flask)
        moto_fixes.remove("json_requests_skip_flask")
        try:
            flasked = _answers(endpoint)
        finally:
            moto_fixes.json_requests_skip_flask()
    finally:
        in_process.unregister(endpoint)

    assert direct_flask_calls == 0
    assert len(through_flask) == len(JSON_CALLS)
    assert direct == flasked
    assert direct[0][1]["access-control-allow-origin"] == "*"
    assert direct[1][0] == 400 and b"ResourceNotFoundException" in direct[1][2]


def test_camelcase_names_are_converted_once_as_moto_converts_them():
    from moto.core import utils
    from moto.sqs import models

    original = next(o for owner, name, o in moto_fixes._replaced["camelcase_names_converted_once"] if owner is utils)
    names = ["MessageRetentionPeriod", "VisibilityTimeout", "KmsMasterKeyId", "SSEEnabled", "ARN", "queueUrl", "", "a"]

    assert [utils.camelcase_to_underscores(n) for n in names] == [original(n) for n in names]
    assert models.camelcase_to_underscores is utils.camelcase_to_underscores
    assert utils.camelcase_to_underscores("VisibilityTimeout") == "visibility_timeout"


def test_service_models_come_from_one_loader_and_equal_a_fresh_loader_s():
    from moto.core import loaders, utils

    first = utils._load_service_model("cloudwatch", "service-2")

    assert utils._load_service_model("cloudwatch", "service-2") is first  # listed and read once
    assert first == loaders.create_loader().load_service_model("cloudwatch", "service-2")
    assert utils._load_service_model("sqs", "paginators-1") == loaders.create_loader().load_service_model(
        "sqs", "paginators-1"
    )


def test_a_kinesis_shard_read_by_number_gives_what_moto_s_walk_gives():
    from moto.kinesis.models import Shard

    originals = {name: o for _, name, o in moto_fixes._replaced["kinesis_shard_reads_seek"]}
    shard = Shard(0, 0, 2**128)
    for n in range(25):
        shard.put_record(f"key-{n}", "ZGF0YQ==", None)

    for after in ("0", "1", "7", "24", "25", "40"):
        for limit in (None, 0, 1, 5, 100):
            assert shard.get_records(after, limit) == originals["get_records"](shard, after, limit), (after, limit)
    assert shard.get_max_sequence_number() == originals["get_max_sequence_number"](shard) == 25
    assert shard.get_min_sequence_number() == originals["get_min_sequence_number"](shard) == 1

    del shard.records[10]  # numbers with a gap: moto's own walk answers
    assert shard.get_records("5", 10) == originals["get_records"](shard, "5", 10)
    assert [r.sequence_number for r in shard.get_records("5", 10)[0]] == [6, 7, 8, 9, 11, 12, 13, 14, 15, 16]
    assert Shard(1, 0, 1).get_records("0", None) == ([], 0, 0)
