"""DocumentIngester: embeds each document with Titan and stores its text and full embedding in KnowledgeBase.

Invoked with {"documents": [{"title": ..., "text": ...}]} as in the seed, or by S3 when a document is
uploaded: the object's text is the document, its `title` metadata (or else its file name) the title.
"""

import hashlib
import json
import os
from urllib.parse import unquote_plus

import boto3

bedrock = boto3.client("bedrock-runtime")
s3 = boto3.client("s3")
dynamo = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "KnowledgeBase"))
EMBEDDING_MODEL = os.environ.get("EMBEDDING_MODEL", "amazon.titan-embed-text-v2:0")


def get_embedding(text):
    resp = bedrock.invoke_model(
        modelId=EMBEDDING_MODEL,
        body=json.dumps({"inputText": text[:8000]}),
        contentType="application/json",
    )
    return json.loads(resp["body"].read())["embedding"]


def documents_from_s3(records):
    """The uploaded objects of an S3 event, as documents."""
    for record in records:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        obj = s3.get_object(Bucket=bucket, Key=key)
        text = obj["Body"].read().decode("utf-8")
        title = obj.get("Metadata", {}).get("title") or key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        yield {"title": title, "text": text, "source": f"s3://{bucket}/{key}"}


def lambda_handler(event, context):
    docs = list(documents_from_s3(event["Records"])) if "Records" in event else event.get("documents", [])
    for doc in docs:
        text = doc["text"]
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"document {doc.get('title', '')!r} has no text to ingest")
        doc_id = hashlib.md5(text.encode()).hexdigest()[:8]
        embedding = get_embedding(text)
        item = {
            "docId": doc_id,
            "title": doc.get("title", ""),
            "text": text,
            "embedding": json.dumps(embedding),  # the full vector, for similarity search
            "embeddingPreview": json.dumps(embedding[:5]),
        }
        if doc.get("source"):
            item["source"] = doc["source"]
        dynamo.put_item(Item=item)
        print(f"Ingested: [{doc_id}] {doc.get('title', '')}")
    return {"ingested": len(docs)}
