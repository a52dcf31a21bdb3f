"""Pattern 11's verify steps: four documents ingested, two questions answered from them, one refused."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import rag_stack
from provisioning.stacks.rag import SEED_DOCUMENTS

REFUSAL = "I don't have that information in my knowledge base."
QUESTIONS = [
    ("How does Lambda handle scaling?", "Lambda Basics", "scales automatically"),
    ("What database would you use for millisecond performance?", "DynamoDB", "millisecond performance"),
]


def demo_rag(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 11, plus the sources each answer came from."""
    harness.deploy(rag_stack(), progress=report.note)
    ingested = harness.invoke("DocumentIngester", {"documents": SEED_DOCUMENTS}).value()
    report.check("DocumentIngester ingests the 4 documents", ingested == {"ingested": 4}, str(ingested))
    items = harness.client("dynamodb").scan(TableName="KnowledgeBase")["Items"]
    report.check("KnowledgeBase holds 4 documents, each with its full embedding", len(items) == 4)
    for question, title, words in QUESTIONS:
        answer = harness.invoke("RAGQuery", {"question": question}).value()
        top = answer["sources"][0]["title"] if answer["sources"] else None
        report.check(
            f"{question!r} is answered from {title}",
            top == title and words in answer["answer"],
            answer["answer"],
        )
    refused = harness.invoke("RAGQuery", {"question": "What is the capital of France?"}).value()
    report.check("the capital of France gets the refusal", refused["answer"] == REFUSAL, refused["answer"])
