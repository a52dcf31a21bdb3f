"""Pattern 13's stack: the seed's names, the bucket name from DOCUMENT_BUCKET, the trigger on every create."""

from __future__ import annotations

from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.stacks.document_intelligence import DEFAULT_BUCKET, document_bucket, document_intelligence_stack


def test_the_bucket_name_comes_from_the_environment_with_the_seeds_pattern_as_default(monkeypatch):
    monkeypatch.delenv("DOCUMENT_BUCKET", raising=False)
    assert document_bucket() == DEFAULT_BUCKET
    assert DEFAULT_BUCKET.startswith("document-intelligence-") and DEFAULT_BUCKET[-4:].isdigit()
    monkeypatch.setenv("DOCUMENT_BUCKET", "document-intelligence-jd-4821")
    assert document_intelligence_stack().resources[0].name == "document-intelligence-jd-4821"


def test_the_stack_declares_the_seeds_table_function_and_trigger():
    stack = document_intelligence_stack("document-intelligence-ab-0001")

    bucket, table = stack.resources
    (function,) = stack.functions
    (trigger,) = stack.triggers
    assert (table.name, table.partition_key) == ("ExtractedDocuments", ("documentKey", "S"))
    assert (function.name, function.timeout) == ("TextractExtractor", 60)
    assert function.environment == {"TABLE_NAME": "ExtractedDocuments", "ANALYZE_DOCUMENTS": "false"}
    assert isinstance(trigger, BucketNotification)
    assert (trigger.bucket, trigger.events, trigger.configuration_id) == (
        bucket.name,
        ("s3:ObjectCreated:*",),
        "DocumentUploaded",
    )
    assert document_intelligence_stack("b", analyze=True).functions[0].environment["ANALYZE_DOCUMENTS"] == "true"
