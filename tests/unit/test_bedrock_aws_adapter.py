"""The aws adapter's requests and answers, checked offline against the service model with Stubber;
recording to files and replaying them; the factory's choice.

https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html
https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
"""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber

from adapters.bedrock import (
    AwsBedrock,
    EmbeddingRequest,
    LocalBedrock,
    RecordingBedrock,
    RecordingMissing,
    ReplayBedrock,
    ServiceError,
    bedrock_adapter,
)
from harness.served.bedrock_runtime import BedrockRuntimeApi
from harness.served.service import AwsError
from harness.served.shapes import call_operation

TITAN = "amazon.titan-embed-text-v2:0"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
MESSAGE_BODY = {
    "anthropic_version": "bedrock-2023-05-31",
    "max_tokens": 100,
    "messages": [{"role": "user", "content": "Hello"}],
}
CLAUDE_ANSWER = {
    "id": "msg_bdrk_01abc",
    "type": "message",
    "role": "assistant",
    "model": "claude-3-haiku-20240307",
    "content": [{"type": "text", "text": "Hi!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 8, "output_tokens": 3},
}


@pytest.fixture
def client():
    return boto3.client("bedrock-runtime", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def body_of(value: dict) -> StreamingBody:
    raw = json.dumps(value).encode()
    return StreamingBody(io.BytesIO(raw), len(raw))


def test_embed_sends_titan_s_body_and_returns_its_answer(client):
    answer = {"embedding": [0.1, 0.2], "inputTextTokenCount": 2, "embeddingsByType": {"float": [0.1, 0.2]}}
    request = EmbeddingRequest("hello world", 256, True)
    with Stubber(client) as stub:
        stub.add_response(
            "invoke_model",
            {"body": body_of(answer), "contentType": "application/json"},
            {
                "modelId": TITAN,
                "body": json.dumps(request.body()),
                "contentType": "application/json",
                "accept": "application/json",
            },
        )

        assert AwsBedrock(client).embed(TITAN, request) == answer
        stub.assert_no_pending_responses()


def test_create_message_sends_the_messages_body_as_is(client):
    with Stubber(client) as stub:
        stub.add_response(
            "invoke_model",
            {"body": body_of(CLAUDE_ANSWER), "contentType": "application/json"},
            {
                "modelId": HAIKU,
                "body": json.dumps(MESSAGE_BODY),
                "contentType": "application/json",
                "accept": "application/json",
            },
        )

        assert AwsBedrock(client).create_message(HAIKU, MESSAGE_BODY) == CLAUDE_ANSWER


def test_converse_passes_its_parameters_and_drops_response_metadata(client):
    request = {"messages": [{"role": "user", "content": [{"text": "Hello"}]}], "inferenceConfig": {"maxTokens": 50}}
    answer = {
        "output": {"message": {"role": "assistant", "content": [{"text": "Hi!"}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 8, "outputTokens": 3, "totalTokens": 11},
        "metrics": {"latencyMs": 120},
    }
    with Stubber(client) as stub:
        stub.add_response("converse", answer, {"modelId": HAIKU, **request})

        assert AwsBedrock(client).converse(HAIKU, request) == answer


def test_bedrock_s_own_errors_reach_the_caller_with_their_code_and_status(client):
    with Stubber(client) as stub:
        stub.add_client_error("invoke_model", "ThrottlingException", "Too many requests", http_status_code=429)
        api = BedrockRuntimeApi(AwsBedrock(client))

        with pytest.raises(AwsError) as caught:
            call_operation(api, "InvokeModel", {"modelId": HAIKU, "body": json.dumps(MESSAGE_BODY).encode()})

    assert (caught.value.code, caught.value.message, caught.value.status) == (
        "ThrottlingException",
        "Too many requests",
        429,
    )


def test_an_exchange_recorded_from_aws_is_replayed_offline(client, tmp_path):
    with Stubber(client) as stub:
        stub.add_response("invoke_model", {"body": body_of(CLAUDE_ANSWER), "contentType": "application/json"})
        recorded = RecordingBedrock(AwsBedrock(client), tmp_path).create_message(HAIKU, MESSAGE_BODY)

    (saved,) = tmp_path.glob("*.json")
    exchange = json.loads(saved.read_text())
    assert (exchange["operation"], exchange["modelId"], exchange["request"]) == ("create_message", HAIKU, MESSAGE_BODY)
    assert ReplayBedrock(tmp_path).create_message(HAIKU, MESSAGE_BODY) == recorded == CLAUDE_ANSWER


def test_recordings_cover_embeddings_and_converse_too(tmp_path):
    recorder = RecordingBedrock(LocalBedrock(), tmp_path)
    request = EmbeddingRequest("hello", 256)
    conversation = {"messages": [{"role": "user", "content": [{"text": "Hello"}]}]}

    embedded, conversed = recorder.embed(TITAN, request), recorder.converse(HAIKU, conversation)

    replay = ReplayBedrock(tmp_path)
    assert replay.embed(TITAN, request) == embedded
    assert replay.converse(HAIKU, conversation) == conversed
    assert not list(tmp_path.glob("*.partial"))


def test_a_request_nobody_recorded_fails_clearly_naming_the_file_and_how_to_record(tmp_path):
    api = BedrockRuntimeApi(ReplayBedrock(tmp_path))

    with pytest.raises(AwsError) as caught:
        call_operation(api, "InvokeModel", {"modelId": HAIKU, "body": json.dumps(MESSAGE_BODY).encode()})

    assert caught.value.code == "ResourceNotFoundException"
    assert "No recorded Bedrock exchange for this create_message request" in caught.value.message
    assert f"HARNESS_BEDROCK=aws HARNESS_BEDROCK_RECORDINGS={tmp_path}" in caught.value.message
    with pytest.raises(RecordingMissing):
        ReplayBedrock(tmp_path).embed(TITAN, EmbeddingRequest("x"))


AWS_OPT_IN = {
    "HARNESS_BEDROCK": "aws",
    "HARNESS_ALLOW_REAL_AWS": "yes",
    "HARNESS_BEDROCK_AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00",
    "HARNESS_BEDROCK_AWS_SECRET_ACCESS_KEY": "secret",
    "HARNESS_BEDROCK_REGION": "eu-west-1",
}


def test_the_factory_is_local_unless_told_otherwise(tmp_path):
    assert isinstance(bedrock_adapter({}), LocalBedrock)
    assert isinstance(bedrock_adapter(AWS_OPT_IN), AwsBedrock)
    recording = bedrock_adapter({**AWS_OPT_IN, "HARNESS_BEDROCK_RECORDINGS": str(tmp_path)})
    assert isinstance(recording, RecordingBedrock) and isinstance(recording.inner, AwsBedrock)
    assert isinstance(
        bedrock_adapter({"HARNESS_BEDROCK": "replay", "HARNESS_BEDROCK_RECORDINGS": str(tmp_path)}), ReplayBedrock
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"HARNESS_BEDROCK": "cloud"}, "HARNESS_BEDROCK='cloud': choose local, aws or replay"),
        ({"HARNESS_BEDROCK": "replay"}, "HARNESS_BEDROCK=replay needs HARNESS_BEDROCK_RECORDINGS"),
        ({"HARNESS_BEDROCK": "aws"}, "HARNESS_BEDROCK=aws calls real AWS: set HARNESS_ALLOW_REAL_AWS=yes"),
        (
            {"HARNESS_BEDROCK": "aws", "HARNESS_ALLOW_REAL_AWS": "yes"},
            "HARNESS_BEDROCK=aws found no AWS credentials: set HARNESS_BEDROCK_AWS_ACCESS_KEY_ID",
        ),
    ],
)
def test_the_factory_refuses_what_it_cannot_do(environment, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        bedrock_adapter(environment)


def test_the_aws_client_goes_to_bedrock_in_its_region_whatever_endpoint_the_environment_names(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "http://127.0.0.1:9")

    client = bedrock_adapter(AWS_OPT_IN).client

    assert client.meta.region_name == "eu-west-1"
    assert client.meta.endpoint_url == "https://bedrock-runtime.eu-west-1.amazonaws.com"
    assert client._request_signer._credentials.access_key == "AKIAEXAMPLEEXAMPLE00"


def test_service_errors_keep_the_code_they_were_given():
    error = ServiceError("AccessDeniedException", "You don't have access to the model", 403)

    assert (error.code, error.status) == ("AccessDeniedException", 403)
