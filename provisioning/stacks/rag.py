"""Pattern 11, serverless RAG: documents (event or S3 upload) -> DocumentIngester -> KnowledgeBase -> RAGQuery."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.builders.bucket_notifications import BucketNotification
from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.s3 import Bucket
from provisioning.stack import Stack

TABLE = "KnowledgeBase"
DOCUMENTS_PREFIX = "documents/"
# The seed's test event for DocumentIngester (pattern 11, step 2).
SEED_DOCUMENTS = [
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


def rag_stack(table: str = TABLE, documents_bucket: str | None = None, top_k: int = 3) -> Stack:
    """The seed's table (docId key, on demand) and its two functions (30 s timeouts).

    With `documents_bucket`, the stack also creates that bucket, and every object uploaded under
    `documents/` is ingested by DocumentIngester through an S3 trigger.
    """
    environment = {"TABLE_NAME": table}
    module = "handlers.rag"
    resources: list = [DynamoTable(table, partition_key=("docId", "S"))]
    triggers: list = []
    if documents_bucket:
        resources.append(Bucket(documents_bucket))
        triggers.append(BucketNotification(documents_bucket, "DocumentIngester", prefix=DOCUMENTS_PREFIX))
    return Stack(
        "rag",
        resources=resources,
        functions=[
            FunctionSpec(
                "DocumentIngester", f"{module}.document_ingester.lambda_handler", timeout=30, environment=environment
            ),
            FunctionSpec(
                "RAGQuery",
                f"{module}.rag_query.lambda_handler",
                timeout=30,
                environment={**environment, "TOP_K": str(top_k)},
            ),
        ],
        triggers=triggers,
    )
