"""Task resources: lambda:invoke and its result shape, and the optimized DynamoDB, SQS, SNS and EventBridge tasks."""

from __future__ import annotations

import json

from provisioning.builders.dynamodb import DynamoTable
from provisioning.builders.events import EventBus
from provisioning.builders.sns import QueueSubscription, Topic
from provisioning.builders.sqs import Queue
from tests.integration.states_helpers import deploy_machine, details, lambda_arn, pass_state, task_function


def single_task(resource: str, parameters: dict, **fields) -> dict:
    return {
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": True, **fields}},
    }


def test_lambda_invoke_returns_invokes_result_shape(harness):
    definition = single_task(
        "arn:aws:states:::lambda:invoke", {"FunctionName": "Double", "Payload": {"value.$": "$.n"}}
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Double", "double"),))

    execution = harness.states.run(arn, {"n": 4})

    out = execution.output
    assert out["Payload"] == {"value": 8}
    assert (out["StatusCode"], out["ExecutedVersion"]) == (200, "$LATEST")
    assert out["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert out["SdkResponseMetadata"]["RequestId"] == harness.logs("Double").invocations[0].request_id
    assert execution.event_types()[2:5] == ["TaskScheduled", "TaskStarted", "TaskSucceeded"]
    scheduled = details(execution, "TaskScheduled")[0]
    assert (scheduled["resourceType"], scheduled["resource"], scheduled["region"]) == ("lambda", "invoke", "us-east-1")
    assert json.loads(scheduled["parameters"]) == {"FunctionName": "Double", "Payload": {"value": 4}}


def test_lambda_invoke_by_arn_with_a_result_selector(harness):
    definition = single_task(
        "arn:aws:states:::lambda:invoke",
        {"FunctionName": lambda_arn(harness, "Double"), "Payload.$": "$"},
        ResultSelector={"doubled.$": "$.Payload.value"},
        ResultPath="$.result",
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Double", "double"),))

    execution = harness.states.run(arn, {"value": 5})

    assert execution.output == {"value": 5, "result": {"doubled": 10}}


def test_lambda_invoke_failure_names_the_exception_and_gives_lambdas_error_json(harness):
    definition = single_task("arn:aws:states:::lambda:invoke", {"FunctionName": "Fail", "Payload.$": "$"})
    arn = deploy_machine(harness, definition, functions=(task_function("Fail", "fail"),))

    execution = harness.states.run(arn, {"error": "InventoryError", "message": "none left"})

    assert (execution.status, execution.error) == ("FAILED", "InventoryError")
    cause = json.loads(execution.cause)
    assert (cause["errorType"], cause["errorMessage"]) == ("InventoryError", "none left")
    failed = details(execution, "TaskFailed")[0]
    assert (failed["resourceType"], failed["resource"], failed["error"]) == ("lambda", "invoke", "InventoryError")


def test_lambda_invoke_as_an_event_returns_202_and_drain_waits_for_the_function(harness):
    definition = single_task(
        "arn:aws:states:::lambda:invoke", {"FunctionName": "Echo", "InvocationType": "Event", "Payload": {"a": 1}}
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Echo", "echo"),))

    execution = harness.states.run(arn, {})
    harness.drain()

    assert (execution.output["StatusCode"], execution.output["Payload"]) == (202, "")
    assert len(harness.logs("Echo").invocations) == 1


def test_lambda_invoke_of_a_missing_function_is_resource_not_found(harness):
    definition = single_task("arn:aws:states:::lambda:invoke", {"FunctionName": "Nowhere"})
    arn = deploy_machine(harness, definition)

    execution = harness.states.run(arn, {})

    assert execution.error == "Lambda.ResourceNotFoundException"
    assert "Function not found" in execution.cause


def test_dynamodb_put_get_update_delete_item(harness):
    table = "Orders"
    key = {"orderId": {"S.$": "$.id"}}
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": table, "Item": {"orderId": {"S.$": "$.id"}, "total": {"N": "10"}}},
                "ResultPath": "$.put",
                "Next": "Update",
            },
            "Update": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:updateItem",
                "Parameters": {
                    "TableName": table,
                    "Key": key,
                    "UpdateExpression": "SET #s = :s",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":s": {"S": "paid"}},
                    "ReturnValues": "ALL_NEW",
                },
                "ResultSelector": {"status.$": "$.Attributes.status.S"},
                "ResultPath": "$.updated",
                "Next": "Get",
            },
            "Get": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": table, "Key": key},
                "ResultSelector": {"item.$": "$.Item"},
                "ResultPath": "$.got",
                "Next": "Delete",
            },
            "Delete": {
                "Type": "Task",
                "Resource": "arn:aws:states:::dynamodb:deleteItem",
                "Parameters": {"TableName": table, "Key": key},
                "ResultPath": None,
                "End": True,
            },
        },
    }
    arn = deploy_machine(harness, definition, resources=(DynamoTable(table, partition_key=("orderId", "S")),))

    execution = harness.states.run(arn, {"id": "o-1"})

    assert execution.status == "SUCCEEDED"
    out = execution.output
    assert set(out["put"]) == {"SdkHttpMetadata", "SdkResponseMetadata"}
    assert out["updated"] == {"status": "paid"}
    assert out["got"]["item"] == {"orderId": {"S": "o-1"}, "total": {"N": "10"}, "status": {"S": "paid"}}
    assert harness.client("dynamodb").scan(TableName=table)["Items"] == []
    resources = [(d["resourceType"], d["resource"]) for d in details(execution, "TaskSucceeded")]
    assert resources == [("dynamodb", a) for a in ("putItem", "updateItem", "getItem", "deleteItem")]


def test_a_dynamodb_error_is_named_for_the_service_and_can_be_caught(harness):
    definition = single_task(
        "arn:aws:states:::dynamodb:putItem",
        {
            "TableName": "Orders",
            "Item": {"orderId": {"S": "o-1"}},
            "ConditionExpression": "attribute_not_exists(orderId)",
        },
        Catch=[{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "Next": "Duplicate"}],
    )
    definition["States"]["Call"].pop("End")
    definition["States"]["Call"]["Next"] = "Duplicate"
    definition["States"]["Duplicate"] = pass_state()
    arn = deploy_machine(harness, definition, resources=(DynamoTable("Orders", partition_key=("orderId", "S")),))

    first = harness.states.run(arn, {})
    second = harness.states.run(arn, {})

    assert "Error" not in first.output
    assert second.output["Error"] == "DynamoDB.ConditionalCheckFailedException"
    assert "Service: AmazonDynamoDBv2" in second.output["Cause"]


def test_sqs_send_message_sends_a_json_body_as_text(harness):
    definition = single_task(
        "arn:aws:states:::sqs:sendMessage",
        {"QueueUrl.$": "$.queue", "MessageBody": {"order.$": "$.order"}},
        ResultSelector={"id.$": "$.MessageId", "md5.$": "$.MD5OfMessageBody"},
    )
    arn = deploy_machine(harness, definition, resources=(Queue("Outbox"),))
    queue = harness.client("sqs").get_queue_url(QueueName="Outbox")["QueueUrl"]

    execution = harness.states.run(arn, {"queue": queue, "order": "o-9"})

    messages = harness.client("sqs").receive_message(QueueUrl=queue)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in messages] == [(execution.output["id"], '{"order":"o-9"}')]
    assert execution.output["md5"] == messages[0]["MD5OfBody"]


def test_sqs_to_a_missing_queue_fails_with_an_sqs_error(harness):
    queue = harness.account.endpoint_url + f"/{harness.account.account_id}/Missing"
    arn = deploy_machine(
        harness, single_task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": queue, "MessageBody": "x"})
    )

    execution = harness.states.run(arn, {})

    assert execution.status == "FAILED"
    assert execution.error.startswith("SQS.")


def test_sns_publish_reaches_a_subscribed_queue(harness):
    definition = single_task(
        "arn:aws:states:::sns:publish",
        {"TopicArn": harness.account.arn("sns", "Alerts"), "Message": {"alert.$": "$.text"}, "Subject": "alert"},
        ResultSelector={"id.$": "$.MessageId"},
    )
    resources = (Queue("AlertInbox"), Topic("Alerts"), QueueSubscription("inbox", "Alerts", "AlertInbox"))
    arn = deploy_machine(harness, definition, resources=resources)
    queue = harness.client("sqs").get_queue_url(QueueName="AlertInbox")["QueueUrl"]

    execution = harness.states.run(arn, {"text": "hot"})

    envelope = json.loads(harness.client("sqs").receive_message(QueueUrl=queue)["Messages"][0]["Body"])
    assert (envelope["MessageId"], envelope["Message"]) == (execution.output["id"], '{"alert":"hot"}')


def test_events_put_events_returns_the_event_ids(harness):
    definition = single_task(
        "arn:aws:states:::events:putEvents",
        {
            "Entries": [
                {
                    "EventBusName": "Orders",
                    "Source": "shop.orders",
                    "DetailType": "OrderPlaced",
                    "Detail": {"id.$": "$.id"},
                }
            ]
        },
    )
    arn = deploy_machine(harness, definition, resources=(EventBus("Orders"),))

    execution = harness.states.run(arn, {"id": "o-3"})

    assert execution.output["FailedEntryCount"] == 0
    assert [set(entry) for entry in execution.output["Entries"]] == [{"EventId"}]
    assert "SdkHttpMetadata" not in execution.output


def test_an_unsupported_resource_fails_clearly(harness):
    arn = deploy_machine(harness, single_task("arn:aws:states:::aws-sdk:s3:listBuckets", {}))

    execution = harness.states.run(arn, {})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "aws-sdk:s3:listBuckets" in execution.cause and "dynamodb:putItem" in execution.cause


def test_unknown_parameters_of_an_integration_are_named(harness):
    arn = deploy_machine(
        harness, single_task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": "q", "MessageBody": "x", "Colour": "red"})
    )

    execution = harness.states.run(arn, {})

    assert execution.error == "States.Runtime"
    assert "['Colour']" in execution.cause
