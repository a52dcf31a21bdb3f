"""moto's values shaped as botocore parses them off the wire (compared with the wire in test_in_process_calls)."""

from __future__ import annotations

import datetime as dt

import botocore.session
import pytest
from dateutil.tz import tzlocal

from harness.backends.moto_reads import NotShaped, as_parsed

KINESIS = botocore.session.get_session().get_service_model("kinesis")
STREAMS = botocore.session.get_session().get_service_model("dynamodbstreams")


def test_a_record_keeps_the_shape_s_members_with_bytes_and_millisecond_timestamps():
    output = KINESIS.operation_model("GetRecords").output_shape
    arrived = dt.datetime(2026, 11, 30, 12, 0, 0, 123987, tzinfo=dt.UTC)
    moto_value = {
        "NextShardIterator": "it",
        "MillisBehindLatest": 0,
        "Records": [
            {"Data": b"\x00", "PartitionKey": "p", "SequenceNumber": "1", "ApproximateArrivalTimestamp": arrived}
        ],
        "Unmodelled": "dropped",
    }

    parsed = as_parsed(output, moto_value)

    record = parsed["Records"][0]
    assert record["Data"] == b"\x00"
    # Smithy: epoch-seconds timestamps finer than a millisecond are truncated; botocore parses to local time.
    assert record["ApproximateArrivalTimestamp"] == dt.datetime(2026, 11, 30, 12, 0, 0, 123000, tzinfo=dt.UTC)
    assert isinstance(record["ApproximateArrivalTimestamp"].tzinfo, tzlocal)
    assert "Unmodelled" not in parsed
    assert parsed["NextShardIterator"] == "it"


def test_a_naive_timestamp_is_read_as_utc_and_a_whole_second_stays_whole():
    output = STREAMS.operation_model("GetRecords").output_shape
    record = {"eventName": "INSERT", "dynamodb": {"ApproximateCreationDateTime": dt.datetime(2026, 1, 1, 0, 0, 5)}}

    parsed = as_parsed(output, {"Records": [record]})

    assert parsed["Records"][0]["dynamodb"]["ApproximateCreationDateTime"].timestamp() == 1767225605
    assert "NextShardIterator" not in parsed  # None and missing members are left out


def test_a_string_blob_is_its_utf8_bytes_and_a_non_mapping_structure_is_refused():
    output = STREAMS.operation_model("GetRecords").output_shape
    image = {"NewImage": {"b": {"B": "é"}, "set": {"BS": [b"a"]}, "m": {"M": {"l": {"L": [{"N": "1"}]}}}}}

    parsed = as_parsed(output, {"Records": [{"dynamodb": image}]})

    assert parsed["Records"][0]["dynamodb"]["NewImage"] == {
        "b": {"B": "é".encode()},
        "set": {"BS": [b"a"]},
        "m": {"M": {"l": {"L": [{"N": "1"}]}}},
    }
    with pytest.raises(NotShaped, match="not a mapping"):
        as_parsed(output, {"Records": ["not a record"]})
