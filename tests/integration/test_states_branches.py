"""Parallel and Map: branch outputs, ItemsPath / ItemSelector, MaxConcurrency, tolerated failures, aborts."""

from __future__ import annotations

import uuid

from tests.handlers import gates
from tests.integration.states_helpers import deploy_machine, details, lambda_arn, pass_state, task_function


def branch(state: dict, name: str = "Only") -> dict:
    return {"StartAt": name, "States": {name: state}}


def test_parallel_gives_each_branch_the_input_and_collects_outputs_in_branch_order(harness):
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Parameters": {"n.$": "$.n", "value.$": "$.value"},
                "Branches": [
                    branch({"Type": "Task", "Resource": lambda_arn(harness, "Double"), "End": True}, "Double"),
                    branch(pass_state(Parameters={"same.$": "$.n"}), "Copy"),
                    branch({"Type": "Wait", "Seconds": 5, "End": True}, "Hold"),
                ],
                "ResultSelector": {"doubled.$": "$[0].value", "copied.$": "$[1].same", "waited.$": "$[2]"},
                "ResultPath": "$.results",
                "End": True,
            }
        },
    }
    arn = deploy_machine(harness, definition, functions=(task_function("Double", "double"),))

    execution = harness.states.run(arn, {"n": 21, "value": 21, "extra": True})
    assert execution.status == "RUNNING"
    harness.advance(seconds=5)

    assert execution.output == {
        "n": 21,
        "value": 21,
        "extra": True,
        "results": {"doubled": 42, "copied": 21, "waited": {"n": 21, "value": 21}},
    }
    types = execution.event_types()
    assert types[1:3] == ["ParallelStateEntered", "ParallelStateStarted"]
    assert types[-3:] == ["ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"]
    started = next(e for e in execution.events if e.type == "ParallelStateStarted")
    firsts = [e for e in execution.events if e.type.endswith("StateEntered") and e.previous_event_id == started.id]
    assert len(firsts) == 3


def test_a_failing_branch_aborts_the_others_and_the_parallel_state_catches_it(harness):
    gate = f"parallel-{uuid.uuid4().hex}"
    harness.on_close(lambda: gates.release(gate))
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [
                    branch({"Type": "Task", "Resource": lambda_arn(harness, "Blocked"), "End": True}, "Blocked"),
                    {
                        "StartAt": "Hold",
                        "States": {
                            "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
                            "Boom": {"Type": "Fail", "Error": "BranchBroke", "Cause": "on purpose"},
                        },
                    },
                ],
                "Catch": [{"ErrorEquals": ["BranchBroke"], "ResultPath": "$.error", "Next": "Handled"}],
                "Next": "Handled",
            },
            "Handled": pass_state(),
        },
    }
    arn = deploy_machine(harness, definition, functions=(task_function("Blocked", "wait_for_gate", timeout=60),))
    execution = harness.states.start(arn, {"gate": gate})
    # the blocked branch has started, and the other branch's one-second Wait is on the clock
    harness.eventually(lambda: "LambdaFunctionStarted" in execution.event_types() and harness.clock.pending() == 1)

    harness.clock.advance(seconds=1)
    harness.drain()

    assert execution.status == "SUCCEEDED"
    assert execution.output["error"] == {"Error": "BranchBroke", "Cause": "on purpose"}
    types = execution.event_types()
    assert "TaskStateAborted" in types
    assert types.index("ParallelStateFailed") > types.index("TaskStateAborted")
    assert "ParallelStateSucceeded" not in types


def map_machine(processor_state: dict, **map_fields) -> dict:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {"Type": "Map", "ItemProcessor": branch(processor_state), "End": True, **map_fields},
        },
    }


def test_map_runs_the_processor_over_items_path_with_item_selector_and_context(harness):
    definition = map_machine(
        pass_state(),
        ItemsPath="$.order.lines",
        ItemSelector={"sku.$": "$$.Map.Item.Value.sku", "index.$": "$$.Map.Item.Index", "customer.$": "$.customer"},
        ResultPath="$.lines",
    )
    arn = deploy_machine(harness, definition)

    execution = harness.states.run(arn, {"customer": "c-1", "order": {"lines": [{"sku": "A"}, {"sku": "B"}]}})

    assert execution.output["lines"] == [
        {"sku": "A", "index": 0, "customer": "c-1"},
        {"sku": "B", "index": 1, "customer": "c-1"},
    ]
    assert details(execution, "MapStateStarted") == [{"length": 2}]
    iterations = sorted((d["index"], d["name"]) for d in details(execution, "MapIterationSucceeded"))
    assert iterations == [(0, "Each"), (1, "Each")]


def test_map_with_lambda_tasks_and_the_legacy_iterator_field(harness):
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Iterator": branch({"Type": "Task", "Resource": lambda_arn(harness, "Double"), "End": True}),
                "End": True,
            }
        },
    }
    arn = deploy_machine(harness, definition, functions=(task_function("Double", "double"),))

    execution = harness.states.run(arn, [{"value": n} for n in range(10)])

    assert execution.output == [{"value": 2 * n} for n in range(10)]


def test_an_empty_map_succeeds_with_an_empty_list(harness):
    arn = deploy_machine(harness, map_machine(pass_state()))

    execution = harness.states.run(arn, [])

    assert (execution.status, execution.output) == ("SUCCEEDED", [])


def test_max_concurrency_bounds_the_iterations_running_at_once(harness):
    gate = f"concurrency-{uuid.uuid4().hex}"
    harness.on_close(lambda: gates.release(gate))
    definition = map_machine(
        {"Type": "Task", "Resource": lambda_arn(harness, "Blocked"), "End": True},
        MaxConcurrency=2,
        ItemSelector={"gate.$": "$.gate", "item.$": "$$.Map.Item.Value"},
        ItemsPath="$.items",
    )
    arn = deploy_machine(harness, definition, functions=(task_function("Blocked", "wait_for_gate", timeout=60),))
    execution = harness.states.start(arn, {"gate": gate, "items": list(range(6))})

    harness.eventually(lambda: execution.event_types().count("LambdaFunctionStarted") == 2)
    assert execution.event_types().count("MapIterationStarted") == 2
    gates.release(gate)
    harness.drain()

    assert [o["item"] for o in execution.output] == list(range(6))
    running = peak = 0
    for kind in execution.event_types():
        running += {"MapIterationStarted": 1, "MapIterationSucceeded": -1}.get(kind, 0)
        peak = max(peak, running)
    assert peak == 2


def test_a_failing_iteration_fails_the_map_with_its_error(harness):
    definition = map_machine({"Type": "Task", "Resource": lambda_arn(harness, "Fail"), "End": True})
    arn = deploy_machine(harness, definition, functions=(task_function("Fail", "fail"),))

    execution = harness.states.run(arn, [{"error": "ItemBroken"}])

    assert (execution.status, execution.error) == ("FAILED", "ItemBroken")
    assert "MapIterationFailed" in execution.event_types()
    assert execution.event_types()[-2:] == ["MapStateFailed", "ExecutionFailed"]


def test_tolerated_failures_keep_the_map_going_until_the_threshold(harness):
    processor = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.ok", "BooleanEquals": False, "Next": "Broken"}],
        "Default": "Fine",
    }
    definition = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ToleratedFailureCount": 1,
                "MaxConcurrency": 1,
                "ItemProcessor": {
                    "StartAt": "Check",
                    "States": {
                        "Check": processor,
                        "Broken": {"Type": "Fail", "Error": "BadItem", "Cause": "not ok"},
                        "Fine": pass_state(Result="fine"),
                    },
                },
                "End": True,
            }
        },
    }
    arn = deploy_machine(harness, definition)

    one = harness.states.run(arn, [{"ok": True}, {"ok": False}, {"ok": True}])
    two = harness.states.run(arn, [{"ok": False}, {"ok": False}, {"ok": True}])

    assert one.status == "SUCCEEDED"
    assert one.output == ["fine", {"Error": "BadItem", "Cause": "not ok"}, "fine"]
    assert (two.status, two.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_tolerated_failure_percentage(harness):
    definition = map_machine(
        {"Type": "Fail", "Error": "Nope"}, ToleratedFailurePercentage=50.0, ItemSelector={"i.$": "$$.Map.Item.Index"}
    )
    definition["States"]["Each"]["ItemProcessor"] = {
        "StartAt": "Check",
        "States": {
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": 2, "Next": "Nope"}],
                "Default": "Fine",
            },
            "Nope": {"Type": "Fail", "Error": "Nope"},
            "Fine": pass_state(),
        },
    }
    arn = deploy_machine(harness, definition)

    half = harness.states.run(arn, [0, 1, 2, 3])
    most = harness.states.run(arn, [0, 1, 2])

    assert half.status == "SUCCEEDED"
    assert (most.status, most.error) == ("FAILED", "States.ExceedToleratedFailureThreshold")


def test_items_path_that_is_not_an_array_fails_with_states_runtime(harness):
    arn = deploy_machine(harness, map_machine(pass_state(), ItemsPath="$.items"))

    execution = harness.states.run(arn, {"items": {"not": "a list"}})

    assert (execution.status, execution.error) == ("FAILED", "States.Runtime")
    assert "ItemsPath" in execution.cause


def test_nested_map_inside_parallel_with_waits_on_the_clock(harness):
    inner = map_machine({"Type": "Wait", "Seconds": 10, "End": True})["States"]["Each"]
    definition = {
        "StartAt": "Both",
        "States": {
            "Both": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "Each", "States": {"Each": inner}}, branch(pass_state(Result="fast"), "Fast")],
                "End": True,
            }
        },
    }
    arn = deploy_machine(harness, definition)
    execution = harness.states.run(arn, [1, 2, 3])
    assert execution.status == "RUNNING"

    harness.advance(seconds=10)

    assert execution.output == [[1, 2, 3], "fast"]
