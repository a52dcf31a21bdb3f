"""The Step Functions API the harness serves: through boto3, from inside a handler, and its errors."""

from __future__ import annotations

import json

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from harness.functions.spec import FunctionSpec
from tests.integration.states_helpers import deploy_machine, pass_state, task_function

SIMPLE = {"StartAt": "Only", "States": {"Only": pass_state(Result={"done": True}, ResultPath="$.result")}}
WAITING = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 60, "End": True}}}


def code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


@pytest.fixture
def sfn(harness):
    return harness.client("stepfunctions")


@pytest.fixture
def role(harness):
    return harness.account.iam_arn("role/api-test")


def create(harness, sfn, role, name: str, definition: dict, **kwargs) -> str:
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=role, **kwargs)[
        "stateMachineArn"
    ]
    harness.on_close(lambda: sfn.delete_state_machine(stateMachineArn=arn))
    return arn


def test_state_machines_are_created_listed_updated_and_deleted_on_the_backend(harness, sfn, role):
    arn = sfn.create_state_machine(name="Api", definition=json.dumps(SIMPLE), roleArn=role)["stateMachineArn"]

    backend = harness.account.client("stepfunctions")
    assert [m["stateMachineArn"] for m in backend.list_state_machines()["stateMachines"]] == [arn]
    assert [m["name"] for m in sfn.list_state_machines()["stateMachines"]] == ["Api"]
    updated = {"StartAt": "Other", "States": {"Other": pass_state()}}
    sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(updated))
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == updated
    assert harness.states.run(arn, {"x": 1}).output == {"x": 1}

    sfn.delete_state_machine(stateMachineArn=arn)
    assert backend.list_state_machines()["stateMachines"] == []


@pytest.mark.parametrize(
    ("definition", "named"),
    [
        ({"States": {"A": pass_state()}}, "StartAt"),
        ({"StartAt": "A", "States": {"A": pass_state(Next="Nowhere")}}, "Nowhere"),
        ({"StartAt": "A", "States": {"A": pass_state(), "Island": pass_state()}}, "Island"),
        ({"StartAt": "A", "States": {"A": pass_state(InputPath="$..[")}}, "InputPath"),
        ({"StartAt": "A", "States": {"A": pass_state(Parameters={"x.$": "States.Format('{}'"})}}, "'A'"),
        ({"StartAt": "A", "States": {"A": {"Type": "Dance", "End": True}}}, "Dance"),
    ],
    ids=["no-start-at", "unknown-next", "unreachable", "bad-path", "malformed-intrinsic", "unknown-type"],
)
def test_invalid_definitions_are_refused_at_creation_naming_state_and_field(harness, sfn, role, definition, named):
    with pytest.raises(ClientError) as error:
        sfn.create_state_machine(name="Bad", definition=json.dumps(definition), roleArn=role)

    assert code(error) == "InvalidDefinition"
    assert error.value.response["Error"]["Message"].startswith("Invalid State Machine Definition: ")
    assert named in error.value.response["Error"]["Message"]
    assert harness.account.client("stepfunctions").list_state_machines()["stateMachines"] == []


def test_update_with_an_invalid_definition_is_refused_and_changes_nothing(harness, sfn, role):
    arn = create(harness, sfn, role, "Keep", SIMPLE)

    with pytest.raises(ClientError) as error:
        sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps({"StartAt": "Gone", "States": {}}))

    assert code(error) == "InvalidDefinition"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == SIMPLE


def test_validate_state_machine_definition_reports_ok_or_the_problem(sfn):
    good = sfn.validate_state_machine_definition(definition=json.dumps(SIMPLE))
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "X", "States": {}}))

    assert (good["result"], good["diagnostics"]) == ("OK", [])
    assert bad["result"] == "FAIL"
    assert "'States'" in bad["diagnostics"][0]["message"]


def test_start_describe_and_history_through_boto3(harness, sfn, role):
    arn = create(harness, sfn, role, "Api", SIMPLE)

    started = sfn.start_execution(stateMachineArn=arn, name="first-run", input='{"a": 1}')
    harness.drain()

    assert started["executionArn"] == harness.account.arn("states", "execution:Api:first-run")
    described = sfn.describe_execution(executionArn=started["executionArn"])
    assert described["status"] == "SUCCEEDED"
    assert described["input"] == '{"a": 1}'
    assert json.loads(described["output"]) == {"a": 1, "result": {"done": True}}
    assert described["startDate"] == started["startDate"] <= described["stopDate"]
    for_execution = sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])
    assert json.loads(for_execution["definition"]) == SIMPLE
    events = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]


def test_history_pages_reverses_and_leaves_out_data(harness, sfn, role):
    arn = create(harness, sfn, role, "Api", SIMPLE)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    harness.drain()

    first = sfn.get_execution_history(executionArn=execution, maxResults=3)
    rest = sfn.get_execution_history(executionArn=execution, maxResults=3, nextToken=first["nextToken"])
    reverse = sfn.get_execution_history(executionArn=execution, reverseOrder=True)["events"]
    bare = sfn.get_execution_history(executionArn=execution, includeExecutionData=False)["events"]

    assert [e["id"] for e in first["events"]] + [e["id"] for e in rest["events"]] == [1, 2, 3, 4]
    assert "nextToken" not in rest
    assert [e["id"] for e in reverse] == [4, 3, 2, 1]
    assert "input" not in bare[0]["executionStartedEventDetails"]
    assert "roleArn" in bare[0]["executionStartedEventDetails"]
    with pytest.raises(ClientError) as error:
        sfn.get_execution_history(executionArn=execution, nextToken="garbage")
    assert code(error) == "InvalidToken"


def test_list_executions_filters_by_status_and_pages(harness, sfn, role):
    quick = create(harness, sfn, role, "Quick", SIMPLE)
    slow = create(harness, sfn, role, "Slow", WAITING)
    done = [sfn.start_execution(stateMachineArn=quick)["executionArn"] for _ in range(3)]
    waiting = sfn.start_execution(stateMachineArn=slow)["executionArn"]
    harness.drain()

    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=quick)["executions"]] == done[::-1]
    assert [
        e["executionArn"] for e in sfn.list_executions(stateMachineArn=slow, statusFilter="RUNNING")["executions"]
    ] == [waiting]
    assert sfn.list_executions(stateMachineArn=quick, statusFilter="RUNNING")["executions"] == []
    page = sfn.list_executions(stateMachineArn=quick, maxResults=2)
    assert len(page["executions"]) == 2 and "nextToken" in page
    paginator = sfn.get_paginator("list_executions")
    listed = [
        e["executionArn"]
        for p in paginator.paginate(stateMachineArn=quick, PaginationConfig={"PageSize": 2})
        for e in p["executions"]
    ]
    assert listed == done[::-1]


def test_execution_names_are_unique_but_a_running_repeat_is_idempotent(harness, sfn, role):
    arn = create(harness, sfn, role, "Slow", WAITING)

    first = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    again = sfn.start_execution(stateMachineArn=arn, name="once", input="{}")
    with pytest.raises(ClientError) as error:
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"other": 1}')

    assert again["executionArn"] == first["executionArn"]
    assert code(error) == "ExecutionAlreadyExists"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"input": "{not json"}, "InvalidExecutionInput"),
        ({"name": "has space"}, "InvalidName"),
        ({"name": "x" * 81}, "InvalidName"),
    ],
    ids=["bad-input", "space-in-name", "long-name"],
)
def test_start_execution_refuses_bad_input_and_names(harness, sfn, role, kwargs, expected):
    arn = create(harness, sfn, role, "Api", SIMPLE)

    with pytest.raises(ClientError) as error:
        sfn.start_execution(stateMachineArn=arn, **kwargs)

    assert code(error) == expected
    assert harness.states.executions(arn) == []


def test_unknown_state_machines_and_executions_are_reported(harness, sfn):
    missing = harness.account.arn("states", "stateMachine:Missing")

    with pytest.raises(ClientError) as start_error:
        sfn.start_execution(stateMachineArn=missing)
    with pytest.raises(ClientError) as list_error:
        sfn.list_executions(stateMachineArn=missing)
    with pytest.raises(ClientError) as describe_error:
        sfn.describe_execution(executionArn=harness.account.arn("states", "execution:Missing:nope"))
    with pytest.raises(ClientError) as arn_error:
        sfn.describe_execution(executionArn="not-an-arn")

    assert code(start_error) == code(list_error) == "StateMachineDoesNotExist"
    assert code(describe_error) == "ExecutionDoesNotExist"
    assert code(arn_error) == "InvalidArn"


def test_stop_execution_of_an_ended_execution_changes_nothing(harness, sfn, role):
    arn = create(harness, sfn, role, "Api", SIMPLE)
    execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    harness.drain()

    sfn.stop_execution(executionArn=execution, error="Late")

    assert sfn.describe_execution(executionArn=execution)["status"] == "SUCCEEDED"


def test_a_handler_starts_an_execution_through_its_own_boto3_client(harness, sfn, role):
    arn = create(harness, sfn, role, "Api", SIMPLE)
    harness.register(FunctionSpec("Starter", "tests.handlers.state_tasks.start_and_describe", timeout=30))
    harness.register(FunctionSpec("Env", "tests.handlers.state_tasks.environment"))

    result = harness.invoke("Starter", {"stateMachineArn": arn, "input": {"from": "handler"}}).value()
    harness.drain()

    assert harness.invoke("Env", {}).value() == {"endpoint": harness.endpoint_url}
    assert result["status"] in {"RUNNING", "SUCCEEDED"}
    execution = harness.states.get(result["executionArn"])
    assert execution.output == {"from": "handler", "result": {"done": True}}


def test_a_state_machine_task_starts_another_state_machine_through_the_api(harness, sfn, role):
    child = create(harness, sfn, role, "Child", SIMPLE)
    parent = deploy_machine(
        harness,
        {
            "StartAt": "Kick",
            "States": {
                "Kick": {
                    "Type": "Task",
                    "Resource": harness.functions.arn("Starter"),
                    "Parameters": {"stateMachineArn": child, "input.$": "$"},
                    "End": True,
                }
            },
        },
        name="Parent",
        functions=(task_function("Starter", "start_and_describe"),),
    )

    started = harness.states.run(parent, {"n": 1})
    harness.drain()

    assert harness.states.get(started.output["executionArn"]).output == {"n": 1, "result": {"done": True}}
    assert [e.machine.name for e in harness.states.executions()] == ["Child", "Parent"]


def test_start_sync_execution_runs_an_express_machine_to_its_end(harness, sfn, role):
    express = create(harness, sfn, role, "Quick", SIMPLE, type="EXPRESS")
    standard = create(harness, sfn, role, "Standard", SIMPLE)
    # StartSyncExecution's endpoint has a "sync-" host prefix, which a loopback address cannot take.
    sync = harness.client("stepfunctions", config=Config(inject_host_prefix=False))

    result = sync.start_sync_execution(stateMachineArn=express, input='{"s": 1}')
    with pytest.raises(ClientError) as error:
        sync.start_sync_execution(stateMachineArn=standard)

    assert result["status"] == "SUCCEEDED"
    assert json.loads(result["output"]) == {"s": 1, "result": {"done": True}}
    assert ":express:Quick:" in result["executionArn"]
    assert code(error) == "StateMachineTypeNotSupported"


def test_operations_the_harness_does_not_serve_are_answered_by_the_backend(harness, sfn, role):
    arn = create(harness, sfn, role, "Tagged", SIMPLE, tags=[{"key": "team", "value": "orders"}])

    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "team", "value": "orders"}]
