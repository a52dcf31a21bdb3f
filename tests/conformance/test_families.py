"""Every family of the conformance corpus has cases, and every case names its documentation page."""

from __future__ import annotations

from tests.conformance.eventbridge_cases import MATCHING, TEST_EVENT, VALIDATION
from tests.conformance.states_cases import CASES

FAMILY = "corpus"
FAMILIES = {
    "eventbridge.matching",
    "eventbridge.validation",
    "eventbridge.test-event-pattern",
    "states.paths",
    "states.intrinsics",
    "states.map",
    "states.errors",
    "states.context",
    "states.quotas",
    "states.wait",
}


def test_every_family_has_cases_and_every_case_cites_a_page():
    cases = [*MATCHING, *VALIDATION, *TEST_EVENT, *CASES]
    assert {case.family for case in cases} == FAMILIES
    assert all(case.source.startswith("https://") for case in cases)
    names = [(case.family, case.name) for case in cases]
    assert len(names) == len(set(names)), "case names are unique within a family"
