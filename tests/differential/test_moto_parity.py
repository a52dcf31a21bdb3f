"""The harness's interpreter against moto's own ASL engine: same definitions, same inputs, same outcomes.

Each case's state machine is created once on the embedded backend; moto runs one execution of it
(StartExecution on the backend, with moto's `execute_state_machine` enabled) and the harness runs another
with the same name and input. Status, output, error and cause must agree, except where DIFFERENCES says
why a field differs.

One difference holds for every case: moto writes an output that is a JSON string without its quotes
(`Ann` where Step Functions writes `"Ann"`), so moto's output is read as that string when it is not JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.differential.cases import CASES, Case
from tests.integration.states_helpers import finish

_INDEXED_PATH = (
    "moto's JSONPath returns a list for a definite path with an index step ($.lines[0].sku, $[0].n); "
    "Step Functions (Jayway) and the harness return the single value"
)

# case id -> (fields that differ, why). Every entry is a known, explained difference.
DIFFERENCES: dict[str, tuple[frozenset[str], str]] = {
    "parameters-nested": (frozenset({"output"}), _INDEXED_PATH),
    "parallel-parameters-selector-result-path": (frozenset({"output"}), _INDEXED_PATH),
    "runtime-error-missing-path": (
        frozenset({"cause"}),
        'the cause quotes the state\'s input: moto writes it with spaces ({"present": 1}), Step Functions and the '
        'harness write compact JSON ({"present":1})',
    ),
    "intrinsic-array": (
        frozenset({"output"}),
        "moto drops null arguments of States.Array; the harness keeps them, as the specification allows null",
    ),
    "intrinsic-format-escapes": (
        frozenset({"status", "output", "error", "cause"}),
        "moto fails (KeyError) on the escaped braces \\{ \\} that States.Format allows; the harness prints them",
    ),
    "intrinsic-base64": (
        frozenset({"status", "output", "error", "cause"}),
        "moto's States.Base64Encode only takes ASCII text; the harness encodes the UTF-8 bytes of any text",
    ),
    "intrinsic-failure": (
        frozenset({"error", "cause"}),
        "moto reports a failing intrinsic function as States.Runtime; the harness names it "
        "States.IntrinsicFailure, the error the specification defines for it",
    ),
}


def outcome(described: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
    """What must agree: status, output (parsed), error and cause."""
    output = described.get("output")
    if output is not None:
        try:
            output = json.loads(output)
        except ValueError:
            if not lenient:
                raise
    return {
        "status": described["status"],
        "output": output,
        "error": described.get("error"),
        "cause": described.get("cause"),
    }


@pytest.fixture
def backend_sfn(harness):
    """The backend's own Step Functions API (moto's engine runs what it starts)."""
    if harness.backend.name != "embedded":
        pytest.skip("the differential tests compare the harness with moto's engine, on the embedded backend")
    return harness.account.client("stepfunctions")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_harness_and_moto_agree(harness, backend_sfn, case: Case):
    sfn = harness.client("stepfunctions")
    arn = sfn.create_state_machine(
        name=case.id, definition=json.dumps(case.definition), roleArn=harness.account.iam_arn("role/differential")
    )["stateMachineArn"]
    harness.on_close(lambda: sfn.delete_state_machine(stateMachineArn=arn))
    ignored, _reason = DIFFERENCES.get(case.id, (frozenset(), ""))

    for index, payload in enumerate(case.inputs):
        name = f"run-{index}"
        moto_run = backend_sfn.start_execution(stateMachineArn=arn, name=name, input=json.dumps(payload))
        ours = finish(harness, harness.states.start(arn, json.dumps(payload), name=name), step_seconds=1)

        def moto_done(execution_arn: str = moto_run["executionArn"]) -> dict[str, Any] | None:
            described = backend_sfn.describe_execution(executionArn=execution_arn)
            return described if described["status"] != "RUNNING" else None

        described = harness.eventually(moto_done, timeout=30, message=f"moto's run of {case.id} never ended")
        theirs = outcome(described, lenient=True)
        mine = outcome(sfn.describe_execution(executionArn=ours.arn))
        for key in ignored:
            mine.pop(key), theirs.pop(key)
        assert mine == theirs, f"input {payload!r}"


def test_there_are_at_least_forty_cases_and_every_difference_names_a_case():
    ids = [case.id for case in CASES]
    assert len(ids) >= 40
    assert len(set(ids)) == len(ids)
    assert set(DIFFERENCES) <= set(ids)
    assert all(reason for _fields, reason in DIFFERENCES.values())
