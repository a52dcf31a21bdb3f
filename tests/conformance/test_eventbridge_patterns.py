"""EventBridge event patterns against the documented results (pages cited per case in eventbridge_cases)."""

from __future__ import annotations

import json

import pytest

from harness.routing.event_pattern import (
    InvalidEventPattern,
    InvalidTestEvent,
    matches,
    test_event_pattern,
    validate_pattern,
)
from tests.conformance.corpus import DocumentedCase, ids
from tests.conformance.eventbridge_cases import MATCHING, TEST_EVENT, VALIDATION


@pytest.mark.parametrize("case", MATCHING, ids=ids(MATCHING))
def test_pattern_matching(case: DocumentedCase):
    validate_pattern(case.given["pattern"])
    assert matches(case.given["pattern"], case.given["event"]) is case.expected, case.source


@pytest.mark.parametrize("case", VALIDATION, ids=ids(VALIDATION))
def test_pattern_validation(case: DocumentedCase):
    if case.expected is None:
        validate_pattern(case.given["pattern"])
        validate_pattern(json.dumps(case.given["pattern"]))
        return
    with pytest.raises(InvalidEventPattern) as refused:
        validate_pattern(case.given["pattern"])
    assert case.expected in str(refused.value), case.source
    assert refused.value.code == "InvalidEventPatternException"


@pytest.mark.parametrize("case", TEST_EVENT, ids=ids(TEST_EVENT))
def test_test_event_pattern_answers_result(case: DocumentedCase):
    params = {"EventPattern": case.given["EventPattern"], "Event": json.dumps(case.given["Event"])}
    if isinstance(case.expected, dict):
        assert test_event_pattern(params) == case.expected, case.source
        return
    with pytest.raises((InvalidEventPattern, InvalidTestEvent)) as refused:
        test_event_pattern(params)
    assert refused.value.code == case.expected
