"""StatesError and the Retry/Catch matching of error names."""

from __future__ import annotations

import pytest

from harness.states.errors import InvalidDefinition, StatesError, error_matches, state_label


def test_states_error_carries_the_aws_error_name_and_cause() -> None:
    error = StatesError("States.TaskFailed", "the function failed")

    assert (error.error, error.cause) == ("States.TaskFailed", "the function failed")
    assert str(error) == "States.TaskFailed: the function failed"


def test_states_error_cause_defaults_to_empty() -> None:
    error = StatesError("OutOfStock")

    assert error.cause == ""
    assert str(error) == "OutOfStock"


def test_invalid_definition_is_a_value_error() -> None:
    assert issubclass(InvalidDefinition, ValueError)


@pytest.mark.parametrize(
    ("error_equals", "error", "matches"),
    [
        (["OutOfStock"], "OutOfStock", True),
        (["OutOfStock"], "Exception", False),
        (["ErrorA", "ErrorB"], "ErrorB", True),
        (["outofstock"], "OutOfStock", False),  # names are case-sensitive
        (["States.ALL"], "Exception", True),
        (["States.ALL"], "States.Timeout", True),
        (["States.ALL"], "States.BranchFailed", True),
        (["States.TaskFailed"], "Exception", True),
        (["States.TaskFailed"], "Lambda.ServiceException", True),
        (["States.TaskFailed"], "States.Permissions", True),
        (["States.TaskFailed"], "States.Timeout", False),
        (["States.TaskFailed"], "States.HeartbeatTimeout", False),
        (["States.Timeout"], "States.Timeout", True),
        (["States.Timeout"], "States.HeartbeatTimeout", True),
        (["States.HeartbeatTimeout"], "States.HeartbeatTimeout", True),
        (["States.HeartbeatTimeout"], "States.Timeout", False),
        (["States.Timeout"], "Exception", False),
    ],
)
def test_error_matches_follows_the_language(error_equals: list[str], error: str, matches: bool) -> None:
    assert error_matches(error_equals, error) is matches


@pytest.mark.parametrize("error_equals", [["States.ALL"], ["States.TaskFailed"], ["States.Runtime"]])
def test_states_runtime_is_never_caught_or_retried(error_equals: list[str]) -> None:
    assert error_matches(error_equals, "States.Runtime") is False


def test_data_limit_exceeded_is_only_matched_by_its_own_name() -> None:
    assert error_matches(["States.ALL"], "States.DataLimitExceeded") is False
    assert error_matches(["States.TaskFailed"], "States.DataLimitExceeded") is False
    assert error_matches(["States.DataLimitExceeded"], "States.DataLimitExceeded") is True


def test_state_label_shows_the_nesting() -> None:
    assert state_label(("Map1",)) == "State 'Map1'"
    assert state_label(("Map1", "Inner")) == "State 'Map1' > 'Inner'"
