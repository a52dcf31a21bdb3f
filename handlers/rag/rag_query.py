"""RAGQuery: embeds the question, retrieves the top-k most similar documents, and answers from them only."""

import json
import math
import os

import boto3

bedrock = boto3.client("bedrock-runtime")
dynamo = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "KnowledgeBase"))
EMBEDDING_MODEL = os.environ.get("EMBEDDING_MODEL", "amazon.titan-embed-text-v2:0")
ANSWER_MODEL = os.environ.get("ANSWER_MODEL", "anthropic.claude-3-haiku-20240307-v1:0")
TOP_K = int(os.environ.get("TOP_K", "3"))


def get_embedding(text):
    resp = bedrock.invoke_model(
        modelId=EMBEDDING_MODEL,
        body=json.dumps({"inputText": text[:8000]}),
        contentType="application/json",
    )
    return json.loads(resp["body"].read())["embedding"]


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def all_documents():
    """Every document of the knowledge base, across scan pages."""
    page = dynamo.scan()
    docs = page["Items"]
    while "LastEvaluatedKey" in page:
        page = dynamo.scan(ExclusiveStartKey=page["LastEvaluatedKey"])
        docs.extend(page["Items"])
    return docs


def retrieve(question, k):
    """The k documents whose embeddings are most similar to the question's, best first, with their scores."""
    asked = get_embedding(question)
    scored = []
    for doc in all_documents():
        embedding = json.loads(doc.get("embedding", "[]"))
        if len(embedding) != len(asked):
            print(f"Skipped [{doc['docId']}]: its embedding has {len(embedding)} dimensions, not {len(asked)}")
            continue
        scored.append((cosine(asked, embedding), doc))
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return scored[:k]


def lambda_handler(event, context):
    question = event.get("question", "What is serverless?")
    k = event.get("topK", TOP_K)
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"topK must be a positive whole number, not {k!r}")

    top = retrieve(question, k)
    context_text = "\n".join([f"[{d['title']}]: {d['text']}" for _, d in top])

    prompt = f"""Using ONLY the context below, answer the question concisely.
If the answer is not in the context, say "I don't have that information in my knowledge base."

Context:
{context_text}

Question: {question}
Answer:"""

    resp = bedrock.invoke_model(
        modelId=ANSWER_MODEL,
        body=json.dumps(
            {
                "anthropic_version": "bedrock-2023-05-31",
                "max_tokens": 500,
                "messages": [{"role": "user", "content": prompt}],
            }
        ),
        contentType="application/json",
    )
    answer = json.loads(resp["body"].read())["content"][0]["text"]
    sources = [{"docId": d["docId"], "title": d["title"], "score": round(score, 4)} for score, d in top]
    print(f"Q: {question}")
    print(f"A: {answer}")
    print(f"Sources: {[s['title'] for s in sources]}")
    return {"question": question, "answer": answer, "sourceCount": len(top), "sources": sources}
