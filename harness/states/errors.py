"""Errors of the Amazon States Language: runtime errors by AWS name, Retry/Catch matching, bad definitions."""

from __future__ import annotations

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
RUNTIME = "States.Runtime"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
INTRINSIC_FAILURE = "States.IntrinsicFailure"

# Errors that no ErrorEquals matches: AWS fails the execution on them, whatever the Retry or Catch say.
_NEVER_MATCHED = frozenset({RUNTIME})
# Errors that only an ErrorEquals naming them matches, not the States.ALL or States.TaskFailed wildcards.
_ONLY_MATCHED_BY_NAME = frozenset({DATA_LIMIT_EXCEEDED})
# Errors that are timeouts, which States.TaskFailed does not match.
_TIMEOUTS = frozenset({TIMEOUT, HEARTBEAT_TIMEOUT})


class StatesError(Exception):
    """A runtime error of a state machine, named as AWS names it (States.Runtime, a Lambda error type, ...)."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}" if cause else error)
        self.error = error
        self.cause = cause

    def __repr__(self) -> str:
        return f"StatesError({self.error!r}, {self.cause!r})"


class InvalidDefinition(ValueError):
    """A state machine definition that breaks the Amazon States Language; the message names state and field."""


def error_matches(error_equals: list[str], error: str) -> bool:
    """Whether a Retrier's or Catcher's `ErrorEquals` matches an error name, as Step Functions matches it.

    `States.ALL` matches any error and `States.TaskFailed` any error but a timeout; neither matches
    `States.DataLimitExceeded`, which only its own name matches. `States.Runtime` is never matched.
    A heartbeat timeout is also a `States.Timeout`.
    """
    if error in _NEVER_MATCHED:
        return False
    for name in error_equals:
        if name == error:
            return True
        if error in _ONLY_MATCHED_BY_NAME:
            continue
        if name == ALL:
            return True
        if name == TASK_FAILED and error not in _TIMEOUTS:
            return True
        if name == TIMEOUT and error == HEARTBEAT_TIMEOUT:
            return True
    return False


def state_label(names: list[str] | tuple[str, ...]) -> str:
    """The name of a (possibly nested) state as messages show it: "State 'Map1' > 'Inner'"."""
    return "State " + " > ".join(f"'{name}'" for name in names)
