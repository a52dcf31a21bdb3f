"""The served Bedrock Runtime API, called as the gateway calls it (shapes checked against botocore's model).

InvokeModel: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html
Titan V2 body: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
Claude Messages body: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages.html
Converse: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
"""

from __future__ import annotations

import json
import math

import pytest

from adapters.bedrock import LocalBedrock, tool_use
from harness.served.bedrock_runtime import BedrockRuntimeApi
from harness.served.service import AwsError
from harness.served.shapes import call_operation

TITAN = "amazon.titan-embed-text-v2:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def local() -> LocalBedrock:
    return LocalBedrock()


@pytest.fixture
def api(local) -> BedrockRuntimeApi:
    return BedrockRuntimeApi(local)


def invoke(api, model: str, body, **params) -> dict:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = call_operation(api, "InvokeModel", {"modelId": model, "body": raw, **params})
    assert answer["contentType"] == "application/json"
    return json.loads(answer["body"])


def refused(api, operation: str, params: dict) -> AwsError:
    with pytest.raises(AwsError) as caught:
        call_operation(api, operation, params)
    assert caught.value.code == "ValidationException" and caught.value.status == 400
    return caught.value


def message(text: str, max_tokens: int = 200, **extra) -> dict:
    return {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": text}],
        **extra,
    }


def test_titan_v2_answers_a_normalised_1024_vector_with_its_token_count(api):
    body = invoke(api, TITAN, {"inputText": "AWS Lambda scales automatically."}, contentType="application/json")

    assert len(body["embedding"]) == 1024
    assert math.isclose(math.sqrt(sum(x * x for x in body["embedding"])), 1.0, rel_tol=1e-6)
    assert body["inputTextTokenCount"] == 5
    assert body["embeddingsByType"] == {"float": body["embedding"]}


@pytest.mark.parametrize("dimensions", [1024, 512, 256])
def test_titan_v2_honours_dimensions_and_is_deterministic(api, dimensions):
    request = {"inputText": "the same text", "dimensions": dimensions, "normalize": True}

    first, second = invoke(api, TITAN, request), invoke(api, TITAN, request)

    assert len(first["embedding"]) == dimensions
    assert first == second


def test_titan_v2_binary_embeddings_and_unnormalised_vectors(api):
    body = invoke(api, TITAN, {"inputText": "words words words", "normalize": False, "embeddingTypes": ["binary"]})

    assert set(body["embeddingsByType"]) == {"binary"}
    assert set(body["embeddingsByType"]["binary"]) <= {0, 1}
    assert math.sqrt(sum(x * x for x in body["embedding"])) > 1.0


def test_model_ids_may_be_foundation_model_arns(api):
    arn = f"arn:aws:bedrock:us-east-1::foundation-model/{TITAN}"

    assert len(invoke(api, arn, {"inputText": "hello"})["embedding"]) == 1024


@pytest.mark.parametrize(
    ("model", "body", "message_part"),
    [
        ("amazon.titan-embed-text-v9:0", {"inputText": "x"}, "The provided model identifier is invalid."),
        (TITAN, b"{not json", "not valid JSON"),
        (TITAN, [1, 2], "expected type: JSONObject"),
        (TITAN, {}, "required key [inputText] not found"),
        (TITAN, {"inputText": "x", "colour": "red"}, "extraneous key [colour] is not permitted"),
        (TITAN, {"inputText": "x", "dimensions": 100}, "#/dimensions: 100 is not a valid enum value"),
        (TITAN, {"inputText": 5}, "#/inputText: expected type: String, found: Integer"),
        (TITAN, {"inputText": ""}, "expected minLength: 1"),
        (TITAN, {"inputText": "x" * 50_001}, "expected maxLength: 50000, actual: 50001"),
        (TITAN, {"inputText": "word " * 9000}, "Too many input tokens. Max input tokens: 8192"),
        (HAIKU, {"messages": []}, "required key [anthropic_version] not found"),
        (HAIKU, {"anthropic_version": "bedrock-2023-05-31", "messages": []}, "required key [max_tokens] not found"),
        (HAIKU, message("hi", max_tokens=5000), "max_tokens: 5000 > 4096"),
        (HAIKU, {**message("hi"), "messages": []}, "at least one message"),
        (HAIKU, {**message("hi"), "messages": [{"role": "robot", "content": "x"}]}, "'user' or 'assistant'"),
        (HAIKU, {**message("hi"), "temperature": 3}, "#/temperature: 3 is not between 0 and 1"),
        (HAIKU, message("word " * 200_000), "Input is too long for requested model."),
    ],
)
def test_requests_bedrock_refuses_get_a_validation_exception_naming_the_problem(api, model, body, message_part):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()

    error = refused(api, "InvokeModel", {"modelId": model, "body": raw})

    assert message_part in error.message


def test_a_tool_result_without_its_tool_use_is_refused(api):
    body = message("hi")
    body["messages"] = [
        {"role": "user", "content": "price?"},
        {"role": "assistant", "content": [{"type": "text", "text": "ok"}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_x", "content": "1"}]},
    ]

    error = refused(api, "InvokeModel", {"modelId": HAIKU, "body": json.dumps(body).encode()})

    assert "must have a corresponding `tool_use` block" in error.message


def test_claude_answers_in_anthropic_s_response_shape(api):
    body = invoke(api, HAIKU, message("Hello there"))

    assert body["id"].startswith("msg_bdrk_")
    assert (body["type"], body["role"], body["model"]) == ("message", "assistant", "claude-3-haiku-20240307")
    assert body["content"][0]["type"] == "text" and body["content"][0]["text"]
    assert (body["stop_reason"], body["stop_sequence"]) == ("end_turn", None)
    assert body["usage"]["input_tokens"] == 2 and body["usage"]["output_tokens"] > 0


def test_max_tokens_cuts_the_answer_and_says_so(api, local):
    local.script("one two three four five six seven eight")

    body = invoke(api, HAIKU, message("count", max_tokens=3))

    assert body["content"][0]["text"] == "one two three"
    assert body["stop_reason"] == "max_tokens"


def test_a_stop_sequence_ends_the_answer_where_it_appears(api, local):
    local.script("first part STOP second part")

    body = invoke(api, HAIKU, message("go", stop_sequences=["STOP"]))

    assert body["content"][0]["text"] == "first part "
    assert (body["stop_reason"], body["stop_sequence"]) == ("stop_sequence", "STOP")


def test_the_response_stream_carries_anthropic_s_events_whose_text_adds_up(api, local):
    local.script("A streamed answer in several small pieces of text.")
    params = {"modelId": HAIKU, "body": json.dumps(message("go")).encode()}

    answer = call_operation(api, "InvokeModelWithResponseStream", params)
    events = [json.loads(e["chunk"]["bytes"]) for e in answer["body"]]

    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["message_start", "content_block_start"]
    assert kinds[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    text = "".join(e["delta"]["text"] for e in events if e["type"] == "content_block_delta")
    assert text == "A streamed answer in several small pieces of text."
    assert events[-2]["delta"]["stop_reason"] == "end_turn"
    assert events[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"] > 0


def test_the_response_stream_sends_a_tool_call_as_input_json(api, local):
    local.script([tool_use("PriceCalculator", {"product": "Gadget", "quantity": 5})])
    params = {"modelId": HAIKU, "body": json.dumps(message("price")).encode()}

    answer = call_operation(api, "InvokeModelWithResponseStream", params)
    events = [json.loads(e["chunk"]["bytes"]) for e in answer["body"]]

    start = next(e for e in events if e["type"] == "content_block_start")
    assert start["content_block"]["name"] == "PriceCalculator" and start["content_block"]["input"] == {}
    partial = "".join(e["delta"]["partial_json"] for e in events if e["type"] == "content_block_delta")
    assert json.loads(partial) == {"product": "Gadget", "quantity": 5}
    assert events[-2]["delta"]["stop_reason"] == "tool_use"


def test_embeddings_cannot_be_streamed(api):
    params = {"modelId": TITAN, "body": json.dumps({"inputText": "x"}).encode()}

    assert "unsupported for streaming" in refused(api, "InvokeModelWithResponseStream", params).message


def test_an_unknown_model_cannot_be_streamed_either(api):
    params = {"modelId": "anthropic.claude-99", "body": b"{}"}

    assert refused(api, "InvokeModelWithResponseStream", params).message == "The provided model identifier is invalid."


TOOL_CONFIG = {
    "tools": [
        {
            "toolSpec": {
                "name": "InventoryChecker",
                "description": "Check current inventory levels for a product.",
                "inputSchema": {
                    "json": {
                        "type": "object",
                        "properties": {"product": {"type": "string", "description": "Product name to check"}},
                        "required": ["product"],
                    }
                },
            }
        }
    ]
}


def test_converse_calls_a_tool_then_answers_from_its_result(api):
    asked = [{"role": "user", "content": [{"text": "Is the Gadget in stock?"}]}]

    first = call_operation(api, "Converse", {"modelId": HAIKU, "messages": asked, "toolConfig": TOOL_CONFIG})

    assert first["stopReason"] == "tool_use"
    use = next(b["toolUse"] for b in first["output"]["message"]["content"] if "toolUse" in b)
    assert (use["name"], use["input"]) == ("InventoryChecker", {"product": "Gadget"})
    result = {"toolResult": {"toolUseId": use["toolUseId"], "content": [{"json": {"stock": 23, "status": "in stock"}}]}}
    conversation = [*asked, first["output"]["message"], {"role": "user", "content": [result]}]
    second = call_operation(api, "Converse", {"modelId": HAIKU, "messages": conversation, "toolConfig": TOOL_CONFIG})
    assert second["stopReason"] == "end_turn"
    assert second["output"]["message"]["content"][0]["text"] == "Gadget is in stock (23 units)."
    usage = second["usage"]
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]


def test_converse_stream_events_rebuild_the_converse_answer(api, local):
    local.script("Streaming through Converse.")
    params = {"modelId": HAIKU, "messages": [{"role": "user", "content": [{"text": "hi"}]}]}

    events = list(call_operation(api, "ConverseStream", params)["stream"])

    assert events[0] == {"messageStart": {"role": "assistant"}}
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == "Streaming through Converse."
    assert events[-2] == {"messageStop": {"stopReason": "end_turn"}}
    assert "usage" in events[-1]["metadata"]


def test_converse_refuses_an_embedding_model(api):
    params = {"modelId": TITAN, "messages": [{"role": "user", "content": [{"text": "hi"}]}]}

    assert "doesn't support the model" in refused(api, "Converse", params).message


def test_converse_refuses_a_conversation_that_starts_with_the_assistant(api):
    params = {"modelId": HAIKU, "messages": [{"role": "assistant", "content": [{"text": "hi"}]}]}

    assert 'first message must use the "user" role' in refused(api, "Converse", params).message


def test_parameters_that_do_not_fit_the_service_model_are_refused_before_any_model_runs(api):
    handler = api.operations()["Converse"]

    with pytest.raises(AwsError) as caught:
        handler({"modelId": HAIKU, "messages": [{"role": "user", "content": "not a list of blocks"}]})

    assert caught.value.code == "ValidationException"
    assert "1 validation error detected" in caught.value.message and "messages[0].content" in caught.value.message


@pytest.mark.parametrize(
    ("schema", "message_part"),
    [
        ({"type": "array"}, "input_schema.type: Input should be 'object'"),
        ({"type": "object", "properties": ["product"]}, "input_schema.properties: should map"),
        ({"type": "object", "required": "product"}, "input_schema.required: should be a list"),
        ({"type": "object", "properties": {"p": {"type": 5}}}, "input_schema.properties.p.type"),
    ],
)
def test_a_tool_schema_of_the_wrong_shape_is_refused(api, schema, message_part):
    body = message("hi", tools=[{"name": "Tool", "description": "d", "input_schema": schema}])

    error = refused(api, "InvokeModel", {"modelId": HAIKU, "body": json.dumps(body).encode()})

    assert message_part in error.message


def test_a_tool_result_with_content_of_the_wrong_shape_is_refused(api):
    body = message("hi")
    body["messages"] = [
        {"role": "user", "content": "price?"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "Tool", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "video"}]}]},
    ]

    error = refused(api, "InvokeModel", {"modelId": HAIKU, "body": json.dumps(body).encode()})

    assert "content.0.type" in error.message
