"""The AWS Textract adapter, offline: botocore's Stubber checks each request and response against the model."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from adapters.textract.aws import AwsTextract
from adapters.textract.errors import BadDocument, UnsupportedDocument

BLOCKS = [
    {"BlockType": "PAGE", "Id": "p1", "Relationships": [{"Type": "CHILD", "Ids": ["l1"]}]},
    {"BlockType": "LINE", "Id": "l1", "Text": "Hello", "Confidence": 99.5},
]


@pytest.fixture
def stubbed():
    client = boto3.client(
        "textract", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield AwsTextract(client), stubber
        stubber.assert_no_pending_responses()


def test_detect_sends_the_bytes_and_returns_the_blocks(stubbed):
    adapter, stubber = stubbed
    stubber.add_response(
        "detect_document_text",
        {"DocumentMetadata": {"Pages": 1}, "Blocks": BLOCKS, "DetectDocumentTextModelVersion": "1.0"},
        {"Document": {"Bytes": b"%PDF-1.4 ..."}},
    )

    assert adapter.detect_document_text(b"%PDF-1.4 ...") == {"DocumentMetadata": {"Pages": 1}, "Blocks": BLOCKS}


def test_analyze_sends_features_and_queries(stubbed):
    adapter, stubber = stubbed
    queries = [{"Text": "What is the name?", "Alias": "name"}]
    stubber.add_response(
        "analyze_document",
        {"DocumentMetadata": {"Pages": 1}, "Blocks": BLOCKS},
        {"Document": {"Bytes": b"img"}, "FeatureTypes": ["FORMS", "QUERIES"], "QueriesConfig": {"Queries": queries}},
    )

    result = adapter.analyze_document(b"img", ["FORMS", "QUERIES"], queries)

    assert result["Blocks"] == BLOCKS


@pytest.mark.parametrize(
    ("code", "error"),
    [("UnsupportedDocumentException", UnsupportedDocument), ("BadDocumentException", BadDocument)],
)
def test_textract_errors_come_back_under_the_domain_names(stubbed, code, error):
    adapter, stubber = stubbed
    stubber.add_client_error("detect_document_text", service_error_code=code, service_message="Request has invalid")

    with pytest.raises(error, match="Request has invalid") as caught:
        adapter.detect_document_text(b"x")
    assert caught.value.code == code


def test_other_client_errors_are_not_hidden(stubbed):
    adapter, stubber = stubbed
    stubber.add_client_error("detect_document_text", service_error_code="ThrottlingException", http_status_code=400)

    with pytest.raises(Exception, match="ThrottlingException"):
        adapter.detect_document_text(b"x")
