"""TextractExtractor: extracts the text of an uploaded document with Textract and stores it in ExtractedDocuments.

Invoked by the bucket's "All object create events" notification or directly with {"bucket": ..., "key": ...}.
With ANALYZE_DOCUMENTS=true (or "analyze": true in a direct call) it uses analyze_document with FORMS and
TABLES, the seed's bonus step, and also stores the form's label/value pairs and the tables' cells.
"""

import os
from datetime import datetime
from urllib.parse import unquote_plus

import boto3

textract = boto3.client("textract")
dynamo = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "ExtractedDocuments"))
ANALYZE_DOCUMENTS = os.environ.get("ANALYZE_DOCUMENTS", "false").lower() == "true"


def lambda_handler(event, context):
    # Support both direct invocation and S3 event trigger
    if "Records" in event:
        bucket = event["Records"][0]["s3"]["bucket"]["name"]
        # S3 event keys are URL-encoded ("scan 1.png" arrives as "scan+1.png")
        key = unquote_plus(event["Records"][0]["s3"]["object"]["key"])
    else:
        bucket = event["bucket"]
        key = event["key"]
    analyze = event.get("analyze", ANALYZE_DOCUMENTS)

    print(f"Extracting text from s3://{bucket}/{key}")

    # Call Textract
    document = {"S3Object": {"Bucket": bucket, "Name": key}}
    if analyze:
        resp = textract.analyze_document(Document=document, FeatureTypes=["FORMS", "TABLES"])
    else:
        resp = textract.detect_document_text(Document=document)

    blocks = resp["Blocks"]
    lines = [b["Text"] for b in blocks if b["BlockType"] == "LINE"]
    words = [b["Text"] for b in blocks if b["BlockType"] == "WORD"]

    print(f"Extracted {len(lines)} lines, {len(words)} words")
    print(f"First 3 lines: {lines[:3]}")

    item = {
        "documentKey": key,
        "bucket": bucket,
        "processedAt": datetime.utcnow().isoformat(),
        "lineCount": len(lines),
        "wordCount": len(words),
        "extractedLines": lines[:50],  # Store first 50 lines
    }
    if analyze:
        item["formFields"] = form_fields(blocks)
        item["tables"] = tables(blocks)
        print(f"Form fields: {item['formFields']}")

    # Store results in DynamoDB
    dynamo.put_item(Item=item)

    result = {"documentKey": key, "lineCount": len(lines), "wordCount": len(words), "sampleText": lines[:5]}
    if analyze:
        result["formFields"] = item["formFields"]
        result["tables"] = item["tables"]
    return result


def _children(block, blocks_by_id, kind="CHILD"):
    return [blocks_by_id[i] for r in block.get("Relationships", []) if r["Type"] == kind for i in r["Ids"]]


def _text(block, blocks_by_id):
    return " ".join(w["Text"] for w in _children(block, blocks_by_id) if w["BlockType"] == "WORD")


def form_fields(blocks):
    """Each KEY's text (without its colon) with its VALUE's text."""
    by_id = {b["Id"]: b for b in blocks}
    fields = {}
    for block in blocks:
        if block["BlockType"] == "KEY_VALUE_SET" and "KEY" in block.get("EntityTypes", []):
            values = _children(block, by_id, "VALUE")
            label = _text(block, by_id).rstrip(":").strip()
            fields[label] = _text(values[0], by_id) if values else ""
    return fields


def tables(blocks):
    """Each TABLE as a list of rows of cell texts, placed by RowIndex and ColumnIndex."""
    by_id = {b["Id"]: b for b in blocks}
    result = []
    for block in blocks:
        if block["BlockType"] != "TABLE":
            continue
        cells = [c for c in _children(block, by_id) if c["BlockType"] == "CELL"]
        rows = max((c["RowIndex"] for c in cells), default=0)
        columns = max((c["ColumnIndex"] for c in cells), default=0)
        grid = [[""] * columns for _ in range(rows)]
        for cell in cells:
            grid[cell["RowIndex"] - 1][cell["ColumnIndex"] - 1] = _text(cell, by_id)
        result.append(grid)
    return result
