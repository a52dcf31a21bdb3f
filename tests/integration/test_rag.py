"""Pattern 11, serverless RAG, end to end: the seed's Verify steps and what a user would check next.

Titan embeddings: https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html
S3 event notifications: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
"""

from __future__ import annotations

import json
import uuid

import pytest

from provisioning.stacks import rag_stack
from provisioning.stacks.rag import SEED_DOCUMENTS

REFUSAL = "I don't have that information in my knowledge base."


@pytest.fixture
def ingested(harness):
    harness.deploy(rag_stack())
    assert harness.invoke("DocumentIngester", {"documents": SEED_DOCUMENTS}).value() == {"ingested": 4}
    return harness


def ask(harness, question: str, **extra) -> dict:
    return harness.invoke("RAGQuery", {"question": question, **extra}).value()


def test_four_documents_are_ingested_with_their_full_embeddings(ingested):
    items = ingested.client("dynamodb").scan(TableName="KnowledgeBase")["Items"]

    assert sorted(i["title"]["S"] for i in items) == sorted(d["title"] for d in SEED_DOCUMENTS)
    for item in items:
        embedding = json.loads(item["embedding"]["S"])
        assert len(embedding) == 1024
        assert json.loads(item["embeddingPreview"]["S"]) == embedding[:5]
        assert len(item["docId"]["S"]) == 8
    assert len(ingested.logs("DocumentIngester").matching("Ingested: [")) == 4


def test_lambda_scaling_is_answered_from_the_lambda_document(ingested):
    answer = ask(ingested, "How does Lambda handle scaling?")

    assert "scales automatically from zero to thousands of concurrent executions" in answer["answer"]
    assert answer["sources"][0]["title"] == "Lambda Basics"
    assert answer["sourceCount"] == 3
    assert ingested.logs("RAGQuery").matching("Q: How does Lambda handle scaling?")


def test_millisecond_performance_is_answered_from_the_dynamodb_document(ingested):
    answer = ask(ingested, "What database would you use for millisecond performance?")

    assert "single-digit millisecond performance" in answer["answer"]
    assert "DynamoDB" in answer["answer"]
    assert answer["sources"][0]["title"] == "DynamoDB"
    scores = [s["score"] for s in answer["sources"]]
    assert scores == sorted(scores, reverse=True)


def test_the_capital_of_france_gets_the_refusal(ingested):
    assert ask(ingested, "What is the capital of France?")["answer"] == REFUSAL


def test_top_k_limits_the_sources_given_to_the_model(ingested):
    answer = ask(ingested, "How does Lambda handle scaling?", topK=1)

    assert [s["title"] for s in answer["sources"]] == ["Lambda Basics"]
    assert answer["sourceCount"] == 1


def test_a_bad_top_k_is_refused_by_name(ingested):
    result = ingested.invoke("RAGQuery", {"question": "x", "topK": 0})

    assert result.error["errorType"] == "ValueError"
    assert "topK must be a positive whole number" in result.error["errorMessage"]


def test_an_empty_knowledge_base_refuses_every_question(harness):
    harness.deploy(rag_stack())

    answer = ask(harness, "How does Lambda handle scaling?")

    assert (answer["answer"], answer["sources"]) == (REFUSAL, [])


def test_a_document_uploaded_to_s3_is_ingested_and_then_answers_questions(harness):
    bucket = f"rag-documents-{uuid.uuid4().hex[:12]}"
    harness.deploy(rag_stack(documents_bucket=bucket))
    text = "AWS Step Functions coordinates Lambda functions into workflows with retries and error handling."

    harness.client("s3").put_object(Bucket=bucket, Key="documents/step functions.txt", Body=text.encode())
    harness.client("s3").put_object(Bucket=bucket, Key="elsewhere/ignored.txt", Body=b"not a document")
    harness.drain()

    (item,) = harness.client("dynamodb").scan(TableName="KnowledgeBase")["Items"]
    assert item["title"]["S"] == "step functions"
    assert item["source"]["S"] == f"s3://{bucket}/documents/step functions.txt"
    answer = ask(harness, "Which service coordinates functions into workflows with retries?")
    assert answer["sources"][0]["title"] == "step functions"
    assert "retries and error handling" in answer["answer"]


def test_an_uploaded_document_s_title_metadata_names_it(harness):
    bucket = f"rag-documents-{uuid.uuid4().hex[:12]}"
    harness.deploy(rag_stack(documents_bucket=bucket))

    harness.client("s3").put_object(
        Bucket=bucket, Key="documents/sqs.txt", Body=b"Amazon SQS queues messages.", Metadata={"title": "SQS"}
    )
    harness.drain()

    (item,) = harness.client("dynamodb").scan(TableName="KnowledgeBase")["Items"]
    assert item["title"]["S"] == "SQS"


def test_a_scripted_model_answer_is_returned_as_is(ingested):
    ingested.bedrock.script("Lambda scales per request. [Source: Lambda Basics]")

    answer = ask(ingested, "How does Lambda handle scaling?")

    assert answer["answer"] == "Lambda scales per request. [Source: Lambda Basics]"
    (request,) = ingested.bedrock.scripted.requests
    assert "[Lambda Basics]: AWS Lambda runs code" in request["messages"][0]["content"]
