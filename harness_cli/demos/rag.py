"""Pattern 11's verify steps: four documents ingested, two questions answered from them, one refused."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import rag_stack

REFUSAL = "I don't have that information in my knowledge base."
DOCUMENTS = [
    {
        "title": "Lambda Basics",
        "text": "AWS Lambda runs code without provisioning servers. It scales automatically from zero to thousands "
        "of concurrent executions. You pay only for the compute time consumed — there is no charge when code is "
        "not running.",
    },
    {
        "title": "DynamoDB",
        "text": "Amazon DynamoDB is a fully managed serverless NoSQL database. It delivers single-digit millisecond "
        "performance at any scale and supports both key-value and document data models.",
    },
    {
        "title": "API Gateway",
        "text": "Amazon API Gateway creates, publishes, maintains, monitors, and secures APIs at any scale. It acts as "
        "the front door for applications to access data, business logic, or functionality from backend services.",
    },
    {
        "title": "EventBridge",
        "text": "Amazon EventBridge is a serverless event bus that makes it easy to connect applications using events "
        "from your own apps, integrated SaaS applications, and AWS services.",
    },
]
QUESTIONS = [
    ("How does Lambda handle scaling?", "Lambda Basics", "scales automatically"),
    ("What database would you use for millisecond performance?", "DynamoDB", "millisecond performance"),
]


def demo_rag(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 11, plus the sources each answer came from."""
    harness.deploy(rag_stack(), progress=report.note)
    ingested = harness.invoke("DocumentIngester", {"documents": DOCUMENTS}).value()
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
