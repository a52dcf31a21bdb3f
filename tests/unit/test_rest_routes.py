"""REST operations that share a method and path are told apart by the members they require."""

from __future__ import annotations

import pytest

from harness.served.protocols.query import QueryCodec
from harness.served.protocols.rest import match_route
from harness.served.shapes import service_model
from harness.served.wire import Headers, WireRequest


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "operation"),
    [
        ("PUT", "/bucket/a/b.txt", "", {}, "PutObject"),
        ("PUT", "/bucket/copy.txt", "", {"x-amz-copy-source": "bucket/a.txt"}, "CopyObject"),
        ("PUT", "/bucket/big.bin", "partNumber=1&uploadId=u", {}, "UploadPart"),
        ("PUT", "/bucket/big.bin", "partNumber=1&uploadId=u", {"x-amz-copy-source": "b/a"}, "UploadPartCopy"),
        ("DELETE", "/bucket/a.txt", "", {}, "DeleteObject"),
        ("DELETE", "/bucket/big.bin", "uploadId=u", {}, "AbortMultipartUpload"),
        ("GET", "/bucket/a.txt", "", {}, "GetObject"),
        ("GET", "/bucket/big.bin", "uploadId=u", {}, "ListParts"),
        ("POST", "/bucket/big.bin", "uploadId=u", {}, "CompleteMultipartUpload"),
        ("POST", "/bucket/big.bin", "uploads", {}, "CreateMultipartUpload"),
        ("POST", "/bucket", "delete", {}, "DeleteObjects"),
        ("PUT", "/bucket/a.txt", "tagging", {}, "PutObjectTagging"),
    ],
)
def test_s3_requests_find_their_operation(method, path, query, headers, operation):
    request = WireRequest(method, path, query, Headers(headers.items()), b"")

    found = match_route(request, service_model("s3"))

    assert found is not None and found[0] == operation


def test_a_query_map_is_read_with_the_models_entry_names():
    """SNS's MessageAttributes travel as MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue."""
    form = (
        "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3AT&Message=hi"
        "&MessageAttributes.entry.1.Name=kind&MessageAttributes.entry.1.Value.DataType=String"
        "&MessageAttributes.entry.1.Value.StringValue=refund"
        "&MessageAttributes.entry.2.Name=blob&MessageAttributes.entry.2.Value.DataType=Binary"
        "&MessageAttributes.entry.2.Value.BinaryValue=AAE%3D"
    )
    request = WireRequest(
        "POST", "/", "", Headers([("content-type", "application/x-www-form-urlencoded")]), form.encode()
    )

    params = QueryCodec().parse(request, service_model("sns").operation_model("Publish"))

    assert params["MessageAttributes"] == {
        "kind": {"DataType": "String", "StringValue": "refund"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
    }
