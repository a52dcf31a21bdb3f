"""The Step Functions API, served on loopback: executions run in the harness, state machines live on the backend.

Answered here: StartExecution, StartSyncExecution, DescribeExecution, GetExecutionHistory, ListExecutions,
StopExecution, DescribeStateMachineForExecution and ValidateStateMachineDefinition. CreateStateMachine and
UpdateStateMachine are validated here (InvalidDefinition names the state and field), then passed to the
backend with every other operation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from harness.clock import VirtualClock
from harness.served.service import FORWARD, AwsError, Operation
from harness.states.errors import InvalidDefinition
from harness.states.service import StatesApiError, StepFunctionsService
from harness.states.validation import validate_definition

STATUSES = ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE")
DEFAULT_PAGE = 100
MAX_PAGE = 1000
# How long StartSyncExecution waits, as Express workflows run for at most five minutes.
SYNC_SECONDS = 300.0


def _required(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise StatesApiError(
            "ValidationException",
            f"1 validation error detected: Value null at '{name}' failed to satisfy constraint: "
            "Member must not be null",
        )
    return value


def _page_size(params: dict[str, Any]) -> int:
    size = params.get("maxResults") or DEFAULT_PAGE
    if not isinstance(size, int) or not 0 < size <= MAX_PAGE:
        raise StatesApiError("ValidationException", f"maxResults must be between 1 and {MAX_PAGE}, got {size!r}")
    return size


def _paged(items: list[Any], params: dict[str, Any], key: str) -> dict[str, Any]:
    token = params.get("nextToken")
    try:
        start = int(token) if token else 0
        if start < 0 or start > len(items):
            raise ValueError
    except (TypeError, ValueError):
        raise StatesApiError("InvalidToken", f"Invalid Token: '{token}'") from None
    size = _page_size(params)
    body: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        body["nextToken"] = str(start + size)
    return body


def _without_data(event: dict[str, Any]) -> dict[str, Any]:
    """An event without its input and output (GetExecutionHistory with includeExecutionData false)."""
    stripped = dict(event)
    for key, details in event.items():
        if key.endswith("EventDetails") and isinstance(details, dict):
            stripped[key] = {
                k: v for k, v in details.items() if k not in {"input", "output", "inputDetails", "outputDetails"}
            }
    return stripped


def _as_aws_error(handler: Callable[[dict[str, Any]], Any]) -> Operation:
    @functools.wraps(handler)
    def answer(params: dict[str, Any]) -> Any:
        try:
            return handler(params)
        except StatesApiError as exc:
            raise AwsError(exc.code, exc.message, exc.status) from None

    return answer


class StatesApi:
    """The Step Functions API of one harness: executions here, state machines on the backend.

    Example:
        >>> gateway.serve(StatesApi(harness.states))  # doctest: +SKIP
    """

    service = "stepfunctions"

    def __init__(self, service: StepFunctionsService) -> None:
        self.states = service

    def operations(self) -> dict[str, Operation]:
        """The operations answered (or checked) here; the rest go to the backend."""
        local = {
            "StartExecution": self._start_execution,
            "StartSyncExecution": self._start_sync_execution,
            "DescribeExecution": self._describe_execution,
            "GetExecutionHistory": self._get_execution_history,
            "ListExecutions": self._list_executions,
            "StopExecution": self._stop_execution,
            "DescribeStateMachineForExecution": self._describe_state_machine_for_execution,
            "ValidateStateMachineDefinition": self._validate_definition,
            "CreateStateMachine": self._check_then_forward,
            "UpdateStateMachine": self._check_then_forward,
        }
        return {name: _as_aws_error(handler) for name, handler in local.items()}

    def _check_then_forward(self, params: dict[str, Any]) -> Any:
        if params.get("definition") is not None:
            self._check_definition(params["definition"])
        return FORWARD

    # -- definitions -------------------------------------------------------------------------------
    @staticmethod
    def _check_definition(definition: Any) -> None:
        try:
            validate_definition(definition)
        except InvalidDefinition as exc:
            raise StatesApiError("InvalidDefinition", f"Invalid State Machine Definition: '{exc}'") from None

    def _validate_definition(self, params: dict[str, Any]) -> dict[str, Any]:
        definition = _required(params, "definition")
        try:
            validate_definition(definition)
        except InvalidDefinition as exc:
            diagnostic = {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": str(exc)}
            return {"result": "FAIL", "diagnostics": [diagnostic], "truncated": False}
        return {"result": "OK", "diagnostics": [], "truncated": False}

    # -- executions --------------------------------------------------------------------------------
    def _start_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        execution = self.states.start(_required(params, "stateMachineArn"), params.get("input"), params.get("name"))
        return {"executionArn": execution.arn, "startDate": execution.start_date}

    def _start_sync_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = _required(params, "stateMachineArn")
        if self.states.state_machine(arn).type != "EXPRESS":
            raise StatesApiError(
                "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"
            )
        execution = self.states.start(arn, params.get("input"), params.get("name"))
        if isinstance(self.states.clock, VirtualClock):
            # Only the test can move a virtual clock, and it is blocked in this call: do not wait for it.
            execution.settle(SYNC_SECONDS)
        else:
            execution.wait(SYNC_SECONDS)
        if not execution.done:
            execution.stop(
                "States.Timeout",
                "the execution did not end: it runs longer than Express allows, or waits on a virtual clock",
            )
        described = execution.describe()
        if described["status"] not in {"SUCCEEDED", "FAILED", "TIMED_OUT"}:
            described["status"] = "FAILED"
        described["billingDetails"] = {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 100}
        for key in ("redriveCount", "redriveStatus"):
            described.pop(key, None)
        return described

    def _describe_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.states.get(_required(params, "executionArn")).describe()

    def _describe_state_machine_for_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        machine = self.states.get(_required(params, "executionArn")).machine
        return {
            "stateMachineArn": machine.arn,
            "name": machine.name,
            "definition": machine.definition_text,
            "roleArn": machine.role_arn,
            "updateDate": machine.updated or self.states.clock.now(),
        }

    def _get_execution_history(self, params: dict[str, Any]) -> dict[str, Any]:
        execution = self.states.get(_required(params, "executionArn"))
        events = [event.to_api() for event in execution.events]
        if params.get("reverseOrder"):
            events.reverse()
        if params.get("includeExecutionData") is False:
            events = [_without_data(event) for event in events]
        return _paged(events, params, "events")

    def _list_executions(self, params: dict[str, Any]) -> dict[str, Any]:
        arn = _required(params, "stateMachineArn")
        status = params.get("statusFilter")
        if status is not None and status not in STATUSES:
            raise StatesApiError("ValidationException", f"statusFilter must be one of {', '.join(STATUSES)}")
        self.states.describe_state_machine(arn)  # StateMachineDoesNotExist, as AWS answers
        items = [e.list_item() for e in self.states.executions(arn, status)]
        return _paged(items, params, "executions")

    def _stop_execution(self, params: dict[str, Any]) -> dict[str, Any]:
        # Stopping an execution that has already ended changes nothing and answers its stop date.
        execution = self.states.stop(_required(params, "executionArn"), params.get("error"), params.get("cause"))
        return {"stopDate": execution.stop_date}
