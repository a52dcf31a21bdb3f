"""Runs a state machine definition in the harness's interpreter, without a backend, for the corpus."""

from __future__ import annotations

import json
import random
from typing import Any

from harness.clock import VirtualClock
from harness.states.execution import Execution, StateMachine
from harness.states.tasks import TaskRunner
from harness.states.validation import validate_definition
from harness.states.waits import Activity

ACCOUNT = "123456789012"
MACHINE_ARN = f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:Conformance"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/conformance"


def run_definition(definition: dict[str, Any], given: Any = None, *, tasks: TaskRunner | None = None) -> Execution:
    """Validate and run the definition on `given` (default `{}`) until it ends; the ended execution."""
    text = json.dumps(definition)
    validate_definition(text)
    machine = StateMachine(MACHINE_ARN, "Conformance", definition, text, ROLE_ARN)
    clock = VirtualClock()
    execution = Execution(
        machine,
        f"arn:aws:states:us-east-1:{ACCOUNT}:execution:Conformance:run",
        "run",
        json.dumps({} if given is None else given),
        clock=clock,
        tasks=tasks or TaskRunner(None, None, None),  # type: ignore[arg-type]
        activity=Activity(),
        rng=random.Random(7),
    ).start()
    for _ in range(1000):
        if execution.wait(timeout=0.05):
            return execution
        clock.advance(60)
    raise AssertionError(f"{execution!r} did not end")


def outcome(execution: Execution) -> dict[str, Any]:
    """Status with output, or error and cause, as DescribeExecution reports them."""
    if execution.status == "SUCCEEDED":
        return {"status": "SUCCEEDED", "output": execution.output}
    return {"status": execution.status, "error": execution.error, "cause": execution.cause}
