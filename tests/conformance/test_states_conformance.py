"""Step Functions behaviour against the documented outcomes (each case cites its page in states_cases)."""

from __future__ import annotations

import pytest

from harness.states.errors import InvalidDefinition
from tests.conformance.corpus import DocumentedCase, ids
from tests.conformance.states_cases import CASES, MAP, branch, single
from tests.conformance.states_runner import outcome, run_definition

FAMILY = "states.history"  # the tests below the parametrized one


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_documented_outcome(case: DocumentedCase):
    expected = case.expected
    if "refused" in expected:
        with pytest.raises(InvalidDefinition, match=expected["refused"]):
            run_definition(case.given["definition"], case.given["input"])
        return
    execution = run_definition(case.given["definition"], case.given["input"])
    got = outcome(execution)
    assert got["status"] == expected["status"], (case.source, got)
    if "output" in expected:
        assert got["output"] == expected["output"], case.source
    if "keys" in expected:
        assert sorted(got["output"]["v"]) == expected["keys"], case.source
    if expected.get("error"):
        assert got["error"] == expected["error"], (case.source, got)
    if expected.get("cause"):
        assert expected["cause"] in got["cause"], (case.source, got["cause"])


def _event_types(definition: dict, given: dict) -> list[str]:
    return [event.type for event in run_definition(definition, given).events]


def test_a_retried_map_records_map_state_failed_once():
    """Map page: each attempt runs the iterations again; the state fails once, when retries run out."""
    failing = branch(("F", {"Type": "Fail", "Error": "Nope"}))
    definition = single(
        {
            "Type": "Map",
            "ItemsPath": "$.xs",
            "ItemProcessor": failing,
            "Retry": [{"ErrorEquals": ["Nope"], "MaxAttempts": 2, "IntervalSeconds": 1}],
        }
    )
    types = _event_types(definition, {"xs": [1]})
    assert types.count("MapStateStarted") == 3, MAP
    assert types.count("MapStateFailed") == 1
    assert types[-2:] == ["MapStateFailed", "ExecutionFailed"]


def test_map_state_started_comes_before_a_tolerated_failure_path_error():
    """The Map records MapStateStarted before it reads ToleratedFailureCountPath."""
    definition = single(
        {
            "Type": "Map",
            "ItemsPath": "$.xs",
            "ToleratedFailureCountPath": "$.n",
            "ItemProcessor": branch(("P", {"Type": "Pass", "End": True})),
        }
    )
    types = _event_types(definition, {"xs": [1], "n": "many"})
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"], MAP
