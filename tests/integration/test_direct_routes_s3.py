"""Object writes through the harness's endpoint reach bucket notifications at once, exactly once.

A write on the backend directly (which the harness cannot see) still comes through the plumbing queue;
both give the function the same record. AWS pages: "Event notification types and destinations" (event
names, delete markers), "Event message structure" (the record), "Configuring event notifications using
object key name filtering" (prefix and suffix).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from urllib.parse import unquote_plus

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from harness.routing.plumbing_skip import plumbing_skippable
from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.s3 import Bucket
from provisioning.stack import Stack
from tests.integration.routing_helpers import plumbing_mode, received_events

RECORDER = "tests.handlers.recorder.record"
# What differs from one event to the next even for the same write: its time, order and request ids.
PER_EVENT = {"eventTime", "responseElements"}


@pytest.fixture
def bucket() -> str:
    """A bucket name of this test's own (S3 names are global)."""
    return f"direct-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["skipped", "ledger"])
def plumbing(request):
    """Both ways the queue route learns of the harness's own deliveries (see `plumbing_mode`)."""
    with plumbing_mode(request.param) as mode:
        yield mode


def s3_stack(bucket: str, *notifications: BucketNotification) -> Stack:
    return Stack(
        "direct-s3",
        resources=[Bucket(bucket)],
        functions=[FunctionSpec("Transformer", RECORDER)],
        triggers=list(notifications),
    )


def records(harness) -> list[dict]:
    """The single record of every event Transformer received, in the order S3 raised them."""
    events = received_events(harness, "Transformer")
    assert all(len(event["Records"]) == 1 for event in events)
    return sorted((e["Records"][0] for e in events), key=lambda r: int(r["s3"]["object"]["sequencer"], 16))


def without_per_event_fields(record: dict) -> dict:
    shown = {k: v for k, v in record.items() if k not in PER_EVENT}
    shown["s3"] = {**record["s3"], "object": {k: v for k, v in record["s3"]["object"].items() if k != "sequencer"}}
    return shown


def names_and_keys(harness) -> list[tuple[str, str]]:
    return [(r["eventName"], unquote_plus(r["s3"]["object"]["key"])) for r in records(harness)]


def test_a_put_through_the_endpoint_and_one_on_the_backend_each_arrive_once_with_the_same_record(
    harness, bucket, plumbing
):
    notification = BucketNotification(bucket, "Transformer", prefix="raw/", id="RawUploaded")
    harness.deploy(s3_stack(bucket, notification))
    key, body = "raw/sales 2025+q1.csv", b"date,product\n2025-01-01,Widget\n"
    harness.drain()
    (deployed,) = harness.events.bucket_notifications(bucket)
    queued_before = deployed.poller.received  # S3's test event, sent when the configuration changed

    put = harness.client("s3").put_object(Bucket=bucket, Key=key, Body=body)
    harness.account.client("s3").put_object(Bucket=bucket, Key=key, Body=body)  # the same write, unseen
    harness.drain()

    first, second = records(harness)
    assert harness.functions.get("Transformer").invocation_count == 2
    assert without_per_event_fields(first) == without_per_event_fields(second)
    assert first["eventName"] == "ObjectCreated:Put"
    assert first["s3"]["configurationId"] == "RawUploaded"
    obj = first["s3"]["object"]
    assert obj["key"] == "raw/sales+2025%2Bq1.csv"
    assert (obj["size"], obj["eTag"]) == (len(body), put["ETag"].strip('"'))
    assert int(first["s3"]["object"]["sequencer"], 16) < int(second["s3"]["object"]["sequencer"], 16)
    assert first["eventTime"].endswith("Z") and len(first["eventTime"]) == len(second["eventTime"])
    # the plumbing queue carried the backend's event, and the harness's own one only without the skip
    skipped = plumbing == "skipped" and plumbing_skippable(harness.account)
    assert deployed.poller.received - queued_before == (1 if skipped else 2)


def test_two_identical_puts_through_the_endpoint_are_two_events(harness, bucket, plumbing):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer")))
    s3 = harness.client("s3")

    for _ in range(2):
        s3.put_object(Bucket=bucket, Key="same.txt", Body=b"same")
    harness.account.client("s3").put_object(Bucket=bucket, Key="same.txt", Body=b"same")
    harness.drain()

    assert names_and_keys(harness) == [("ObjectCreated:Put", "same.txt")] * 3


def test_key_filters_refuse_on_the_direct_route(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", prefix="raw/", suffix=".csv")))
    s3 = harness.client("s3")

    for key in ("processed/sales.csv", "raw/sales.json", "rawsales.csv", "raw/nested/sales.csv"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    harness.drain()

    assert names_and_keys(harness) == [("ObjectCreated:Put", "raw/nested/sales.csv")]


def test_event_types_refuse_on_the_direct_route(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", events=("s3:ObjectCreated:Copy",))))
    s3 = harness.client("s3")

    s3.put_object(Bucket=bucket, Key="original.txt", Body=b"x")
    copy = s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "original.txt"})
    s3.delete_object(Bucket=bucket, Key="original.txt")
    harness.drain()

    (record,) = records(harness)
    assert (record["eventName"], record["s3"]["object"]["key"]) == ("ObjectCreated:Copy", "copy.txt")
    assert record["s3"]["object"]["eTag"] == copy["CopyObjectResult"]["ETag"].strip('"')
    assert record["s3"]["object"]["size"] == 1


def test_removals_through_the_endpoint_carry_no_size(harness, bucket, plumbing):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer", events=("s3:ObjectRemoved:*",))))
    s3 = harness.client("s3")
    for key in ("a.txt", "b.txt", "c.txt"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")

    s3.delete_object(Bucket=bucket, Key="a.txt")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "b.txt"}, {"Key": "c.txt"}]})
    s3.put_object(Bucket=bucket, Key="d.txt", Body=b"x")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "d.txt"}], "Quiet": True})  # lists no key
    harness.drain()

    assert names_and_keys(harness) == [
        ("ObjectRemoved:Delete", "a.txt"),
        ("ObjectRemoved:Delete", "b.txt"),
        ("ObjectRemoved:Delete", "c.txt"),
        ("ObjectRemoved:Delete", "d.txt"),
    ]
    assert all(set(r["s3"]["object"]) == {"key", "sequencer"} for r in records(harness))


def test_a_versioned_bucket_gives_version_ids_and_delete_markers(harness, bucket, plumbing):
    harness.deploy(
        s3_stack(bucket, BucketNotification(bucket, "Transformer", events=("s3:ObjectCreated:*", "s3:ObjectRemoved:*")))
    )
    s3 = harness.client("s3")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})

    first = s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"one")
    second = s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"two!")
    marker = s3.delete_object(Bucket=bucket, Key="doc.txt")
    s3.delete_object(Bucket=bucket, Key="doc.txt", VersionId=first["VersionId"])
    batch = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "doc.txt"}]})
    harness.drain()

    received = [(r["eventName"], r["s3"]["object"].get("versionId")) for r in records(harness)]
    assert received == [
        ("ObjectCreated:Put", first["VersionId"]),
        ("ObjectCreated:Put", second["VersionId"]),
        ("ObjectRemoved:DeleteMarkerCreated", marker["VersionId"]),
        ("ObjectRemoved:Delete", first["VersionId"]),
        ("ObjectRemoved:DeleteMarkerCreated", batch["Deleted"][0]["DeleteMarkerVersionId"]),
    ]
    assert [r["s3"]["object"].get("size") for r in records(harness)][:2] == [3, 4]


def test_a_multipart_upload_is_one_event_when_completed(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer")))
    s3 = harness.client("s3")

    upload = s3.create_multipart_upload(Bucket=bucket, Key="big.bin")["UploadId"]
    parts = []
    for number, chunk in enumerate((b"a" * 5 * 1024 * 1024, b"b" * 10), start=1):
        part = s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=upload, PartNumber=number, Body=chunk)
        parts.append({"PartNumber": number, "ETag": part["ETag"]})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="big.bin", UploadId=upload, MultipartUpload={"Parts": parts})
    harness.drain()

    (record,) = records(harness)
    assert record["eventName"] == "ObjectCreated:CompleteMultipartUpload"
    assert record["s3"]["object"]["eTag"] == done["ETag"].strip('"')
    assert record["s3"]["object"]["size"] == 5 * 1024 * 1024 + 10


def test_a_put_with_checksums_reaches_the_backend_unchanged(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer")))
    s3 = harness.client("s3")
    body = b"checked content\n" * 1000

    put = s3.put_object(Bucket=bucket, Key="checked.txt", Body=body, ChecksumAlgorithm="SHA256")
    harness.drain()

    assert put["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert s3.get_object(Bucket=bucket, Key="checked.txt")["Body"].read() == body
    (record,) = records(harness)
    assert record["s3"]["object"]["size"] == len(body)


def test_a_failed_write_delivers_nothing(harness, bucket):
    harness.deploy(s3_stack(bucket, BucketNotification(bucket, "Transformer")))
    s3 = harness.client("s3")
    s3.put_object(Bucket=bucket, Key="kept.txt", Body=b"first")

    with pytest.raises(ClientError, match="NoSuchBucket"):
        s3.put_object(Bucket=f"{bucket}-missing", Key="lost.txt", Body=b"x")
    with pytest.raises(ClientError, match="PreconditionFailed"):  # a conditional write: the key exists
        s3.put_object(Bucket=bucket, Key="kept.txt", Body=b"second", IfNoneMatch="*")
    with pytest.raises(ClientError, match="NoSuchKey"):
        s3.copy_object(Bucket=bucket, Key="copy.txt", CopySource={"Bucket": bucket, "Key": "missing.txt"})
    harness.drain()

    assert names_and_keys(harness) == [("ObjectCreated:Put", "kept.txt")]
    assert s3.get_object(Bucket=bucket, Key="kept.txt")["Body"].read() == b"first"
