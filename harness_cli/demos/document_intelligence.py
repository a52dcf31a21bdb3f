"""Pattern 13's verify steps: uploads extracted into ExtractedDocuments, a table kept, a form's fields paired."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from harness_cli.demos.sample_documents import FORM, INVOICE, LETTER, SPREADSHEET
from provisioning.stacks.document_intelligence import TABLE, document_bucket, document_intelligence_stack

FUNCTION = "TextractExtractor"


def demo_document_intelligence(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 13, its bonus form extraction, and a corrupt upload."""
    bucket = document_bucket()
    harness.deploy(document_intelligence_stack(bucket), progress=report.note)
    s3 = harness.client("s3")
    table = harness.resource("dynamodb").Table(TABLE)
    uploads = {
        "photos/registration-form.jpg": FORM.image("JPEG"),
        "pdfs/welcome-letter.pdf": LETTER.pdf(),
        "screenshots/invoice.png": INVOICE.image(),
        "screenshots/sales-sheet.png": SPREADSHEET.image(dpi=96),
    }
    for key, body in uploads.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    harness.drain()

    logs = harness.logs(FUNCTION)
    for key in uploads:
        report.check(
            f"/aws/lambda/{FUNCTION} shows the lines extracted from {key}",
            logs.contains(f"Extracting text from s3://{bucket}/{key}") and logs.contains("Extracted "),
        )
    for key, expected in (
        ("photos/registration-form.jpg", FORM),
        ("pdfs/welcome-letter.pdf", LETTER),
        ("screenshots/invoice.png", INVOICE),
        ("screenshots/sales-sheet.png", SPREADSHEET),
    ):
        item = table.get_item(Key={"documentKey": key}).get("Item") or {}
        report.check(
            f"{TABLE} holds {key}: {item.get('lineCount', 0)} lines, {item.get('wordCount', 0)} words",
            item.get("extractedLines") == expected.lines,
            f"first lines {item.get('extractedLines', [])[:2]}",
        )

    analysed = harness.invoke(FUNCTION, {"bucket": bucket, "key": "screenshots/sales-sheet.png", "analyze": True})
    tables = analysed.value().get("tables", []) if analysed.error is None else []
    report.check(
        "the spreadsheet screenshot's table keeps its rows and columns",
        tables == [[list(row) for row in SPREADSHEET.table]],
        f"{len(tables[0])} rows x {len(tables[0][0])} columns" if tables else "no table",
    )
    form = harness.invoke(FUNCTION, {"bucket": bucket, "key": "photos/registration-form.jpg", "analyze": True})
    fields = form.value().get("formFields", {}) if form.error is None else {}
    report.check(
        "bonus: analyze_document pairs Name:, Email: and Date: with their values",
        all(fields.get(label) == value for label, value in FORM.fields),
        str(fields),
    )

    s3.put_object(Bucket=bucket, Key="pdfs/corrupt.pdf", Body=b"%PDF-1.7\nthis file was cut short")
    harness.drain()
    errors = logs.matching("[ERROR] BadDocumentException")
    report.check(
        "a corrupt upload leaves BadDocumentException in the log and no item",
        bool(errors) and "Item" not in table.get_item(Key={"documentKey": "pdfs/corrupt.pdf"}),
        errors[0] if errors else "no error logged",
    )
