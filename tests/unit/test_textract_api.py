"""The served Textract API: every operation checked against botocore's shapes, S3 documents, jobs, notices.

API reference: https://docs.aws.amazon.com/textract/latest/APIReference/Welcome.html
Asynchronous operations: https://docs.aws.amazon.com/textract/latest/dg/api-async.html
"""

from __future__ import annotations

import json
import uuid

import pytest

from harness.served.service import AwsError
from harness.served.shapes import call_operation
from harness.served.textract import TextractApi
from harness_cli.demos.sample_documents import FORM, INVOICE, LETTER
from tests.textract_helpers import assert_well_formed, by_type, form_pairs, require_ocr, table_grids


@pytest.fixture
def api(harness) -> TextractApi:
    return TextractApi(harness.account, clock=harness.clock.time)


@pytest.fixture
def bucket(harness):
    name = f"documents-{uuid.uuid4().hex[:12]}"
    s3 = harness.client("s3")
    s3.create_bucket(Bucket=name)
    yield name
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        for item in page.get("Versions", []) + page.get("DeleteMarkers", []):
            s3.delete_object(Bucket=name, Key=item["Key"], VersionId=item["VersionId"])
    s3.delete_bucket(Bucket=name)


def s3_document(bucket: str, key: str) -> dict:
    return {"S3Object": {"Bucket": bucket, "Name": key}}


def aws_error(api, operation, params) -> AwsError:
    with pytest.raises(AwsError) as caught:
        call_operation(api, operation, params)
    return caught.value


def test_detect_document_text_reads_an_s3_object(api, harness, bucket):
    harness.client("s3").put_object(Bucket=bucket, Key="in/letter.pdf", Body=LETTER.pdf())

    response = call_operation(api, "DetectDocumentText", {"Document": s3_document(bucket, "in/letter.pdf")})

    assert response["DetectDocumentTextModelVersion"] == "1.0"
    assert [b["Text"] for b in by_type(response, "LINE")] == LETTER.lines
    assert_well_formed(response)


def test_an_s3_object_version_is_read_as_it_was(api, harness, bucket):
    s3 = harness.client("s3")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"first draft")["VersionId"]
    s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"final text")

    document = {"S3Object": {"Bucket": bucket, "Name": "doc.txt", "Version": first}}
    response = call_operation(api, "DetectDocumentText", {"Document": document})

    assert [b["Text"] for b in by_type(response, "LINE")] == ["first draft"]


def test_analyze_document_with_bytes_gives_forms_tables_and_queries(api):
    params = {
        "Document": {"Bytes": INVOICE.pdf()},
        "FeatureTypes": ["FORMS", "TABLES", "QUERIES"],
        "QueriesConfig": {"Queries": [{"Text": "Who is the bill to?", "Alias": "customer"}]},
    }

    response = call_operation(api, "AnalyzeDocument", params)

    assert response["AnalyzeDocumentModelVersion"] == "1.0"
    assert form_pairs(response) == {"Bill to": "Acme Corporation"}
    assert table_grids(response) == [[list(row) for row in INVOICE.table]]
    assert [b["Text"] for b in by_type(response, "QUERY_RESULT")] == ["Acme Corporation"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"FeatureTypes": ["QUERIES"]}, "QueriesConfig must have at least one query"),
        ({"FeatureTypes": ["FORMS"], "QueriesConfig": {"Queries": [{"Text": "x"}]}}, "must include QUERIES"),
        (
            {"FeatureTypes": ["QUERIES"], "QueriesConfig": {"Queries": [{"Text": f"q{i}"} for i in range(16)]}},
            "at most 15",
        ),
    ],
)
def test_analysis_parameters_textract_refuses(api, params, message):
    error = aws_error(api, "AnalyzeDocument", {"Document": {"Bytes": FORM.pdf()}, **params})
    assert (error.code, error.status) == ("InvalidParameterException", 400)
    assert message in error.message


def test_a_missing_s3_object_is_an_invalid_s3_object(api, bucket):
    error = aws_error(api, "DetectDocumentText", {"Document": s3_document(bucket, "nope.pdf")})
    assert error.code == "InvalidS3ObjectException"
    assert f"s3://{bucket}/nope.pdf" in error.message


def test_document_errors_keep_textract_names(api):
    assert aws_error(api, "DetectDocumentText", {"Document": {"Bytes": b"\x00\x01\x02"}}).code == (
        "UnsupportedDocumentException"
    )
    corrupt = {"Document": {"Bytes": b"%PDF-1.4\nnot really a pdf"}}
    assert aws_error(api, "DetectDocumentText", corrupt).code == "BadDocumentException"


def test_a_text_detection_job_succeeds_and_pages_through_its_blocks(api, harness, bucket):
    harness.client("s3").put_object(Bucket=bucket, Key="letter.pdf", Body=LETTER.pdf())

    job_id = call_operation(api, "StartDocumentTextDetection", {"DocumentLocation": s3_document(bucket, "letter.pdf")})[
        "JobId"
    ]
    blocks, token, pages = [], None, 0
    while True:
        params = {"JobId": job_id, "MaxResults": 10} | ({"NextToken": token} if token else {})
        page = call_operation(api, "GetDocumentTextDetection", params)
        assert page["JobStatus"] == "SUCCEEDED" and page["DocumentMetadata"] == {"Pages": 1}
        assert len(page["Blocks"]) <= 10
        blocks += page["Blocks"]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break

    whole = {"Blocks": blocks, "DocumentMetadata": {"Pages": 1}}
    assert_well_formed(whole)
    assert [b["Text"] for b in by_type(whole, "LINE")] == LETTER.lines
    assert pages == -(-len(blocks) // 10)


def test_the_same_client_request_token_gives_the_same_job_and_other_parameters_are_refused(api, harness, bucket):
    s3 = harness.client("s3")
    s3.put_object(Bucket=bucket, Key="a.pdf", Body=FORM.pdf())
    s3.put_object(Bucket=bucket, Key="b.pdf", Body=FORM.pdf())
    start = {"DocumentLocation": s3_document(bucket, "a.pdf"), "ClientRequestToken": "once"}

    first = call_operation(api, "StartDocumentTextDetection", start)["JobId"]
    again = call_operation(api, "StartDocumentTextDetection", start)["JobId"]
    other = {**start, "DocumentLocation": s3_document(bucket, "b.pdf")}

    assert first == again
    assert aws_error(api, "StartDocumentTextDetection", other).code == "IdempotentParameterMismatchException"


def test_an_analysis_job_of_a_corrupt_document_fails_with_a_status_message(api, harness, bucket):
    harness.client("s3").put_object(Bucket=bucket, Key="broken.pdf", Body=b"%PDF-1.4\nbroken")
    job_id = call_operation(
        api,
        "StartDocumentAnalysis",
        {"DocumentLocation": s3_document(bucket, "broken.pdf"), "FeatureTypes": ["TABLES"]},
    )["JobId"]

    answer = call_operation(api, "GetDocumentAnalysis", {"JobId": job_id})

    assert answer["JobStatus"] == "FAILED"
    assert "corrupt" in answer["StatusMessage"]
    assert "Blocks" not in answer


def test_unknown_job_ids_and_job_ids_of_the_other_api_are_invalid(api, harness, bucket):
    harness.client("s3").put_object(Bucket=bucket, Key="f.pdf", Body=FORM.pdf())
    job_id = call_operation(api, "StartDocumentTextDetection", {"DocumentLocation": s3_document(bucket, "f.pdf")})[
        "JobId"
    ]

    assert aws_error(api, "GetDocumentTextDetection", {"JobId": "0" * 64}).code == "InvalidJobIdException"
    assert aws_error(api, "GetDocumentAnalysis", {"JobId": job_id}).code == "InvalidJobIdException"
    bad_token = {"JobId": job_id, "NextToken": "not-a-token"}
    assert aws_error(api, "GetDocumentTextDetection", bad_token).code == "InvalidParameterException"


def test_a_finished_job_publishes_textracts_notice_to_its_topic(api, harness, bucket):
    sns, sqs = harness.client("sns"), harness.client("sqs")
    topic = sns.create_topic(Name=f"textract-{uuid.uuid4().hex[:8]}")["TopicArn"]
    queue = sqs.create_queue(QueueName=f"notices-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    harness.client("s3").put_object(Bucket=bucket, Key="forms/f.pdf", Body=FORM.pdf())
    try:
        job_id = call_operation(
            api,
            "StartDocumentAnalysis",
            {
                "DocumentLocation": s3_document(bucket, "forms/f.pdf"),
                "FeatureTypes": ["FORMS"],
                "JobTag": "registration",
                "NotificationChannel": {"SNSTopicArn": topic, "RoleArn": harness.account.iam_arn("role/TextractSNS")},
            },
        )["JobId"]

        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
        notice = json.loads(messages[0]["Body"])
        assert notice == {
            "JobId": job_id,
            "Status": "SUCCEEDED",
            "API": "StartDocumentAnalysis",
            "JobTag": "registration",
            "Timestamp": int(harness.clock.time() * 1000),
            "DocumentLocation": {"S3ObjectName": "forms/f.pdf", "S3Bucket": bucket},
        }
        assert form_pairs(call_operation(api, "GetDocumentAnalysis", {"JobId": job_id})) == dict(FORM.fields)
    finally:
        sns.delete_topic(TopicArn=topic)
        sqs.delete_queue(QueueUrl=queue)


def test_a_notification_topic_that_does_not_exist_is_refused_before_the_job_starts(api, harness, bucket):
    harness.client("s3").put_object(Bucket=bucket, Key="f.pdf", Body=FORM.pdf())
    channel = {"SNSTopicArn": harness.account.arn("sns", "missing"), "RoleArn": harness.account.iam_arn("role/r")}

    error = aws_error(
        api,
        "StartDocumentTextDetection",
        {"DocumentLocation": s3_document(bucket, "f.pdf"), "NotificationChannel": channel},
    )

    assert error.code == "InvalidParameterException" and "missing" in error.message


def test_output_config_writes_each_result_page_under_the_prefix(api, harness, bucket):
    s3 = harness.client("s3")
    s3.put_object(Bucket=bucket, Key="letter.pdf", Body=LETTER.pdf())

    job_id = call_operation(
        api,
        "StartDocumentTextDetection",
        {
            "DocumentLocation": s3_document(bucket, "letter.pdf"),
            "OutputConfig": {"S3Bucket": bucket, "S3Prefix": "results"},
        },
    )["JobId"]

    written = json.loads(s3.get_object(Bucket=bucket, Key=f"results/{job_id}/1")["Body"].read())
    assert written["JobStatus"] == "SUCCEEDED"
    assert [b["Text"] for b in by_type(written, "LINE")] == LETTER.lines


def test_a_multi_page_tiff_is_read_by_the_asynchronous_operations_only(api, harness, bucket):
    require_ocr()
    import io

    from PIL import Image

    frames = [Image.open(io.BytesIO(doc.image(dpi=100))) for doc in (FORM, LETTER)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    harness.client("s3").put_object(Bucket=bucket, Key="scan.tiff", Body=out.getvalue())

    sync = aws_error(api, "DetectDocumentText", {"Document": s3_document(bucket, "scan.tiff")})
    job_id = call_operation(api, "StartDocumentTextDetection", {"DocumentLocation": s3_document(bucket, "scan.tiff")})[
        "JobId"
    ]
    result = call_operation(api, "GetDocumentTextDetection", {"JobId": job_id})

    assert sync.code == "UnsupportedDocumentException"
    assert result["DocumentMetadata"] == {"Pages": 2}
    assert {b["Page"] for b in by_type(result, "LINE")} == {1, 2}


def test_without_tesseract_an_image_is_a_server_error_that_says_how_to_install_it(api, harness, bucket, monkeypatch):
    from adapters.textract.local import ocr

    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    error = aws_error(api, "DetectDocumentText", {"Document": {"Bytes": FORM.image()}})
    assert (error.code, error.status) == ("InternalServerError", 500)
    assert "apt-get install -y tesseract-ocr" in error.message

    harness.client("s3").put_object(Bucket=bucket, Key="scan.png", Body=FORM.image())
    job_id = call_operation(api, "StartDocumentTextDetection", {"DocumentLocation": s3_document(bucket, "scan.png")})[
        "JobId"
    ]
    answer = call_operation(api, "GetDocumentTextDetection", {"JobId": job_id})
    assert answer["JobStatus"] == "FAILED" and "tesseract" in answer["StatusMessage"]
