"""A start describes its state machine on the backend once; the harness's own writes make it describe again.

UpdateStateMachine: "Executions started immediately after calling UpdateStateMachine might use the previous
state machine definition" (https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html);
through the harness's endpoint the next start uses the new one.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from botocore.exceptions import ClientError

from tests.integration.states_helpers import pass_state

FIRST = {"StartAt": "Only", "States": {"Only": pass_state(Result="first", ResultPath="$.from")}}
SECOND = {"StartAt": "Only", "States": {"Only": pass_state(Result="second", ResultPath="$.from")}}


@pytest.fixture
def sfn(harness):
    return harness.client("stepfunctions")


@pytest.fixture
def machine(harness, sfn):
    role = harness.account.iam_arn("role/cache-test")
    arn = sfn.create_state_machine(name="Cached", definition=json.dumps(FIRST), roleArn=role)["stateMachineArn"]
    yield arn
    with contextlib.suppress(ClientError):
        harness.account.client("stepfunctions").delete_state_machine(stateMachineArn=arn)


@pytest.fixture
def backend_describes(harness):
    """Counts the DescribeStateMachine calls the harness makes on the backend."""
    calls = []
    client = harness.states._backend()
    handler = client.meta.events.register(
        "before-call.sfn.DescribeStateMachine", lambda **kwargs: calls.append(kwargs["params"])
    )
    yield calls
    client.meta.events.unregister("before-call.sfn.DescribeStateMachine", handler)


def ran(harness, arn):
    return harness.states.run(arn, {}).output["from"]


def test_starts_of_one_machine_describe_it_on_the_backend_once(harness, sfn, machine, backend_describes):
    outputs = [ran(harness, machine) for _ in range(3)]
    sfn.start_execution(stateMachineArn=machine)
    harness.drain()

    assert outputs == ["first"] * 3
    assert len(backend_describes) == 1


def test_an_update_through_the_endpoint_is_seen_by_the_next_start(harness, sfn, machine, backend_describes):
    assert ran(harness, machine) == "first"

    sfn.update_state_machine(stateMachineArn=machine, definition=json.dumps(SECOND))

    assert ran(harness, machine) == "second"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=machine)["definition"]) == SECOND
    assert len(backend_describes) == 2


def test_a_delete_through_the_endpoint_is_seen_by_the_next_start(harness, sfn, machine):
    assert ran(harness, machine) == "first"

    sfn.delete_state_machine(stateMachineArn=machine)

    with pytest.raises(ClientError) as error:
        sfn.start_execution(stateMachineArn=machine)
    assert error.value.response["Error"]["Code"] == "StateMachineDoesNotExist"
    assert harness.account.client("stepfunctions").list_state_machines()["stateMachines"] == []


def test_a_change_made_on_the_backend_directly_is_seen_after_forget(harness, machine):
    assert ran(harness, machine) == "first"
    harness.account.client("stepfunctions").update_state_machine(stateMachineArn=machine, definition=json.dumps(SECOND))

    harness.states.forget(machine)

    assert ran(harness, machine) == "second"


def test_an_invalid_update_leaves_the_described_machine_in_use(harness, sfn, machine):
    assert ran(harness, machine) == "first"

    with pytest.raises(ClientError):
        sfn.update_state_machine(stateMachineArn=machine, definition=json.dumps({"StartAt": "Gone", "States": {}}))

    assert ran(harness, machine) == "first"
