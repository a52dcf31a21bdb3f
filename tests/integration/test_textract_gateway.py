"""The served Textract API through the harness's endpoint, as a boto3 client or a function reaches it.

API reference: https://docs.aws.amazon.com/textract/latest/APIReference/Welcome.html
Completion notice: https://docs.aws.amazon.com/textract/latest/dg/async-notification-payload.html
"""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from harness_cli.demos.sample_documents import FORM, LETTER
from provisioning.builders.s3 import Bucket
from provisioning.builders.sns import Topic
from provisioning.builders.topic_subscriptions import TopicSubscription
from provisioning.stack import Stack
from tests.integration.routing_helpers import received_events


def test_bytes_travel_through_the_json_protocol_and_back_as_blocks(harness):
    textract = harness.client("textract")

    response = textract.detect_document_text(Document={"Bytes": LETTER.pdf()})

    assert [b["Text"] for b in response["Blocks"] if b["BlockType"] == "LINE"] == LETTER.lines
    assert response["DocumentMetadata"] == {"Pages": 1}


def test_errors_arrive_as_the_clients_modelled_exceptions(harness):
    textract = harness.client("textract")

    with pytest.raises(textract.exceptions.BadDocumentException, match="corrupt"):
        textract.detect_document_text(Document={"Bytes": b"%PDF-1.4\nbroken"})
    with pytest.raises(textract.exceptions.InvalidJobIdException):
        textract.get_document_analysis(JobId="f" * 64)


def test_operations_the_harness_does_not_serve_are_named_not_faked(harness):
    with pytest.raises(ClientError, match="AnalyzeExpense") as caught:
        harness.client("textract").analyze_expense(Document={"Bytes": FORM.pdf()})
    assert caught.value.response["Error"]["Code"] == "UnknownOperationException"


def test_a_job_notice_reaches_a_function_subscribed_to_the_topic(harness):
    bucket = f"scans-{uuid.uuid4().hex[:12]}"
    deployed = harness.deploy(
        Stack(
            "textract-notices",
            resources=[Bucket(bucket), Topic("TextractJobs")],
            functions=[FunctionSpec("JobWatcher", "tests.handlers.recorder.record")],
            triggers=[TopicSubscription("TextractJobs", "JobWatcher")],
        )
    )
    harness.client("s3").put_object(Bucket=bucket, Key="form.pdf", Body=FORM.pdf())
    textract = harness.client("textract")

    job_id = textract.start_document_analysis(
        DocumentLocation={"S3Object": {"Bucket": bucket, "Name": "form.pdf"}},
        FeatureTypes=["FORMS"],
        JobTag="kyc",
        NotificationChannel={
            "SNSTopicArn": deployed.arn("TextractJobs"),
            "RoleArn": harness.account.iam_arn("role/TextractPublish"),
        },
    )["JobId"]
    harness.drain()

    (event,) = received_events(harness, "JobWatcher")
    notice = json.loads(event["Records"][0]["Sns"]["Message"])
    assert (notice["JobId"], notice["Status"], notice["API"], notice["JobTag"]) == (
        job_id,
        "SUCCEEDED",
        "StartDocumentAnalysis",
        "kyc",
    )
    assert notice["DocumentLocation"] == {"S3ObjectName": "form.pdf", "S3Bucket": bucket}
    result = textract.get_document_analysis(JobId=notice["JobId"])
    assert result["JobStatus"] == "SUCCEEDED"
    assert sum(b["BlockType"] == "KEY_VALUE_SET" for b in result["Blocks"]) == 2 * len(FORM.fields)
