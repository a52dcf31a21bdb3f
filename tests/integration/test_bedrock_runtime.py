"""Bedrock Runtime through the harness's endpoint, with a plain boto3 client: bodies, streams and errors.

https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModelWithResponseStream.html
https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

TITAN = "amazon.titan-embed-text-v2:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


def claude_body(text: str) -> str:
    return json.dumps(
        {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": text}]}
    )


def test_invoke_model_answers_titan_embeddings(harness):
    response = harness.client("bedrock-runtime").invoke_model(
        modelId=TITAN, body=json.dumps({"inputText": "hello", "dimensions": 256}), contentType="application/json"
    )

    body = json.loads(response["body"].read())
    assert response["contentType"] == "application/json"
    assert len(body["embedding"]) == 256 and body["inputTextTokenCount"] == 1


def test_the_response_stream_arrives_as_chunks_botocore_decodes(harness):
    harness.bedrock.script("Chunks arrive one after another.")

    response = harness.client("bedrock-runtime").invoke_model_with_response_stream(
        modelId=HAIKU, body=claude_body("stream please")
    )

    events = [json.loads(event["chunk"]["bytes"]) for event in response["body"]]
    assert events[0]["type"] == "message_start" and events[-1]["type"] == "message_stop"
    text = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
    assert text == "Chunks arrive one after another."


def test_converse_stream_arrives_as_events_botocore_decodes(harness):
    harness.bedrock.script("Hello through ConverseStream.")

    response = harness.client("bedrock-runtime").converse_stream(
        modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "hi"}]}]
    )

    events = list(response["stream"])
    assert events[0] == {"messageStart": {"role": "assistant"}}
    assert "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e) == (
        "Hello through ConverseStream."
    )
    assert events[-1]["metadata"]["usage"]["totalTokens"] > 0


def test_converse_with_a_tool_returns_a_tool_use_block(harness):
    tool = {
        "toolSpec": {
            "name": "InventoryChecker",
            "description": "Check current inventory levels for a product.",
            "inputSchema": {"json": {"type": "object", "properties": {"product": {"type": "string"}}}},
        }
    }

    response = harness.client("bedrock-runtime").converse(
        modelId=HAIKU,
        messages=[{"role": "user", "content": [{"text": "Is the Widget in stock?"}]}],
        toolConfig={"tools": [tool]},
    )

    assert response["stopReason"] == "tool_use"
    (use,) = [b["toolUse"] for b in response["output"]["message"]["content"] if "toolUse" in b]
    assert use["input"] == {"product": "Widget"}


@pytest.mark.parametrize(
    ("model", "body", "message"),
    [
        ("anthropic.claude-9", claude_body("hi"), "The provided model identifier is invalid."),
        (TITAN, "{broken", "not valid JSON"),
        (TITAN, json.dumps({"inputText": "x", "dimensions": 300}), "300 is not a valid enum value"),
    ],
)
def test_bad_requests_get_bedrock_s_validation_exception(harness, model, body, message):
    with pytest.raises(ClientError) as caught:
        harness.client("bedrock-runtime").invoke_model(modelId=model, body=body)

    error = caught.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert message in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
