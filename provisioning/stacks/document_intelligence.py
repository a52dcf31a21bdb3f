"""Pattern 13, document intelligence: S3 upload -> TextractExtractor (Textract) -> ExtractedDocuments."""

from __future__ import annotations

import os

from harness.functions.spec import FunctionSpec
from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.s3 import Bucket
from provisioning.stack import Stack

BUCKET_VARIABLE = "DOCUMENT_BUCKET"
DEFAULT_BUCKET = "document-intelligence-lab-0013"  # the seed's document-intelligence-[INITIALS]-[4 DIGITS]
TABLE = "ExtractedDocuments"


def document_bucket() -> str:
    """The document bucket's name: DOCUMENT_BUCKET, or the default document-intelligence-… name."""
    return os.environ.get(BUCKET_VARIABLE) or DEFAULT_BUCKET


def document_intelligence_stack(bucket: str | None = None, table: str = TABLE, analyze: bool = False) -> Stack:
    """The seed's bucket and table, TextractExtractor (60 s) and its "All object create events" trigger.

    `analyze=True` makes the function use analyze_document with FORMS and TABLES (the seed's bonus step).
    """
    bucket = bucket or document_bucket()
    environment = {"TABLE_NAME": table, "ANALYZE_DOCUMENTS": "true" if analyze else "false"}
    return Stack(
        "document-intelligence",
        resources=[Bucket(bucket), DynamoTable(table, partition_key=("documentKey", "S"))],
        functions=[
            FunctionSpec(
                "TextractExtractor",
                "handlers.document_intelligence.textract_extractor.lambda_handler",
                timeout=60,
                environment=environment,
            ),
        ],
        triggers=[
            BucketNotification(bucket, "TextractExtractor", events=("s3:ObjectCreated:*",), id="DocumentUploaded")
        ],
    )
