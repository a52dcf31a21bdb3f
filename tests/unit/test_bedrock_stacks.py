"""The stacks of patterns 11 and 12 declare the seed's names and settings."""

from __future__ import annotations

from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.s3 import Bucket
from provisioning.stacks import STACKS, agentic_stack, rag_stack


def functions(stack) -> dict:
    return {f.name: f for f in stack.functions}


def test_rag_declares_the_knowledge_base_and_two_functions_with_30_second_timeouts():
    stack = rag_stack()

    (table,) = stack.resources
    assert (table.name, table.partition_key) == ("KnowledgeBase", ("docId", "S"))
    declared = functions(stack)
    assert {name: f.timeout for name, f in declared.items()} == {"DocumentIngester": 30, "RAGQuery": 30}
    assert declared["RAGQuery"].environment == {"TABLE_NAME": "KnowledgeBase", "TOP_K": "3"}
    assert stack.triggers == ()


def test_rag_with_a_documents_bucket_ingests_uploads_under_documents():
    stack = rag_stack(documents_bucket="my-docs", top_k=5)

    assert Bucket("my-docs") in stack.resources
    (notification,) = stack.triggers
    assert notification == BucketNotification("my-docs", "DocumentIngester", prefix="documents/")
    notification.check(stack)
    assert functions(stack)["RAGQuery"].environment["TOP_K"] == "5"


def test_agentic_declares_the_two_tools_and_the_orchestrator_with_60_seconds():
    declared = functions(agentic_stack())

    assert {name: f.timeout for name, f in declared.items()} == {
        "PriceCalculator": 3,
        "InventoryChecker": 3,
        "AgentOrchestrator": 60,
    }


def test_both_patterns_are_listed_for_serve():
    assert STACKS["rag"] is rag_stack and STACKS["agentic"] is agentic_stack
