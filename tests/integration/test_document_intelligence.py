"""Pattern 13, document intelligence: the seed's verify steps, end to end through the served Textract API.

S3 event notifications: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
DetectDocumentText: https://docs.aws.amazon.com/textract/latest/APIReference/API_DetectDocumentText.html
AnalyzeDocument: https://docs.aws.amazon.com/textract/latest/APIReference/API_AnalyzeDocument.html
"""

from __future__ import annotations

import uuid

import pytest

from harness_cli.demos.sample_documents import FORM, LETTER, SPREADSHEET
from provisioning.stacks import document_intelligence_stack
from tests.textract_helpers import require_ocr

FUNCTION = "TextractExtractor"


@pytest.fixture
def bucket() -> str:
    """A document-intelligence-… bucket of this test's own (S3 names are global)."""
    return f"document-intelligence-{uuid.uuid4().hex[:4]}-{uuid.uuid4().int % 10_000:04d}"


def stored(harness, key: str) -> dict | None:
    return harness.resource("dynamodb").Table("ExtractedDocuments").get_item(Key={"documentKey": key}).get("Item")


def test_an_uploaded_pdf_is_extracted_and_its_lines_stored(harness, bucket):
    harness.deploy(document_intelligence_stack(bucket))

    harness.client("s3").put_object(Bucket=bucket, Key="letters/welcome letter.pdf", Body=LETTER.pdf())
    harness.drain()

    item = stored(harness, "letters/welcome letter.pdf")
    assert item["bucket"] == bucket
    assert item["extractedLines"] == LETTER.lines
    assert (item["lineCount"], item["wordCount"]) == (len(LETTER.lines), len(LETTER.words))
    assert item["processedAt"].startswith("20")
    logs = harness.logs(FUNCTION)
    assert logs.contains(f"Extracting text from s3://{bucket}/letters/welcome letter.pdf")
    assert logs.contains(f"Extracted {len(LETTER.lines)} lines, {len(LETTER.words)} words")
    assert logs.contains(f"First 3 lines: {LETTER.lines[:3]}")


@pytest.mark.parametrize("extension", ["png", "jpg"])
def test_a_photo_of_a_printed_page_is_extracted(harness, bucket, extension):
    require_ocr()
    harness.deploy(document_intelligence_stack(bucket))
    scan = FORM.image("PNG" if extension == "png" else "JPEG")

    harness.client("s3").put_object(Bucket=bucket, Key=f"scans/form.{extension}", Body=scan)
    harness.drain()

    item = stored(harness, f"scans/form.{extension}")
    assert item["extractedLines"] == FORM.lines
    assert item["wordCount"] == len(FORM.words)


def test_a_direct_call_extracts_and_answers_with_counts_and_sample_text(harness, bucket):
    harness.deploy(document_intelligence_stack(bucket))
    harness.client("s3").put_object(Bucket=bucket, Key="letter.pdf", Body=LETTER.pdf())
    harness.drain()
    harness.client("dynamodb").delete_item(TableName="ExtractedDocuments", Key={"documentKey": {"S": "letter.pdf"}})

    answer = harness.invoke(FUNCTION, {"bucket": bucket, "key": "letter.pdf"}).value()

    assert answer == {
        "documentKey": "letter.pdf",
        "lineCount": len(LETTER.lines),
        "wordCount": len(LETTER.words),
        "sampleText": LETTER.lines[:5],
    }
    assert stored(harness, "letter.pdf")["lineCount"] == len(LETTER.lines)


def test_a_spreadsheet_screenshot_keeps_its_table_structure(harness, bucket):
    require_ocr()
    harness.deploy(document_intelligence_stack(bucket, analyze=True))

    harness.client("s3").put_object(Bucket=bucket, Key="sheet.png", Body=SPREADSHEET.image(dpi=96))
    harness.drain()

    assert stored(harness, "sheet.png")["tables"] == [[list(row) for row in SPREADSHEET.table]]
    blocks = harness.client("textract").analyze_document(
        Document={"S3Object": {"Bucket": bucket, "Name": "sheet.png"}}, FeatureTypes=["TABLES"]
    )["Blocks"]
    cells = {(b["RowIndex"], b["ColumnIndex"]) for b in blocks if b["BlockType"] == "CELL"}
    assert cells == {(r, c) for r in range(1, 6) for c in range(1, 5)}


def test_form_extraction_pairs_each_label_with_its_value(harness, bucket):
    require_ocr()
    harness.deploy(document_intelligence_stack(bucket, analyze=True))

    harness.client("s3").put_object(Bucket=bucket, Key="registration.png", Body=FORM.image())
    harness.drain()

    assert stored(harness, "registration.png")["formFields"] == dict(FORM.fields)
    assert harness.logs(FUNCTION).contains("Form fields: {'Name': 'Jane Doe'")


@pytest.mark.parametrize(
    ("body", "error"),
    [(b"%PDF-1.7\nthis file was cut short", "BadDocumentException"), (b"PK\x03\x04\x00\x00", "UnsupportedDocument")],
)
def test_a_corrupt_upload_logs_a_clear_error_and_stores_nothing(harness, bucket, body, error):
    harness.deploy(document_intelligence_stack(bucket))

    harness.client("s3").put_object(Bucket=bucket, Key="broken.pdf", Body=body)
    harness.drain()
    harness.advance(minutes=3)  # Lambda retries an asynchronous invocation twice

    errors = harness.logs(FUNCTION).matching(f"[ERROR] {error}")
    assert len(errors) == 3
    assert stored(harness, "broken.pdf") is None
    assert harness.client("dynamodb").scan(TableName="ExtractedDocuments")["Count"] == 0
