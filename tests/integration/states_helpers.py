"""Helpers for the state machine tests: deploy a definition with its functions, read histories."""

from __future__ import annotations

import json
from typing import Any

from harness.functions.spec import FunctionSpec
from harness.states.execution import Execution
from provisioning.builders.iam import Role
from provisioning.builders.stepfunctions import STATES_TRUST_POLICY, StateMachine
from provisioning.stack import Stack

TASKS = "tests.handlers.state_tasks"


def task_function(name: str, handler: str, timeout: float = 30) -> FunctionSpec:
    """A function running one of the handlers of tests/handlers/state_tasks.py."""
    return FunctionSpec(name, f"{TASKS}.{handler}", timeout=timeout)


def deploy_machine(
    harness: Any,
    definition: dict[str, Any],
    *,
    name: str = "Machine",
    functions: tuple[FunctionSpec, ...] = (),
    resources: tuple[Any, ...] = (),
    machine_type: str = "STANDARD",
) -> str:
    """Deploy a state machine (with the functions and resources it uses) as a stack; return its ARN."""
    role = f"{name}-role"
    stack = Stack(
        f"states-{name}",
        resources=[
            *resources,
            Role(role, trust_policy=STATES_TRUST_POLICY),
            StateMachine(name, json.dumps(definition), role=role, type=machine_type),
        ],
        functions=functions,
    )
    return harness.deploy(stack).arn(name)


def lambda_arn(harness: Any, function: str) -> str:
    """A function's ARN in the harness's account."""
    return harness.functions.arn(function)


def finish(harness: Any, execution: Execution, *, step_seconds: float = 60, max_steps: int = 100) -> Execution:
    """Drain, and advance the clock in steps until the execution has ended."""
    harness.drain()
    for _ in range(max_steps):
        if execution.done:
            return execution
        harness.advance(seconds=step_seconds)
    raise AssertionError(f"{execution!r} did not end after {max_steps} steps of {step_seconds} s")


def entered(execution: Execution) -> list[str]:
    """The names of the states the execution entered, in order."""
    return [e.name for e in execution.events if e.type.endswith("StateEntered") and e.name]


def details(execution: Execution, event_type: str) -> list[dict[str, Any]]:
    """The details of every event of one type."""
    return [e.details or {} for e in execution.events if e.type == event_type]


def pass_state(**fields: Any) -> dict[str, Any]:
    """A Pass state that ends its machine unless `Next` is given."""
    state = {"Type": "Pass", **fields}
    if "Next" not in state:
        state["End"] = True
    return state
