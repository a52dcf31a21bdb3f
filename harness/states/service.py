"""Step Functions for one harness: state machines live on the backend, executions run here.

`harness.states.start(...)` / `run(...)` start executions from Python; the API served on 127.0.0.1 does
the same for boto3 and the AWS CLI. Executions are drainable: `harness.drain()` returns once every
execution has ended or waits on the clock (a Wait state, a retry interval), and `harness.advance()` runs it on.
"""

from __future__ import annotations

import json
import random
import re
import threading
import uuid
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from harness.backends.errors import error_code
from harness.states.errors import InvalidDefinition
from harness.states.execution import RUNNING, Execution, StateMachine
from harness.states.tasks import TaskRunner
from harness.states.validation import validate_definition
from harness.states.waits import Activity
from harness.waiting import WaitTimeout

if TYPE_CHECKING:
    from harness.attachments import HarnessServices

MAX_INPUT_BYTES = 256 * 1024
_NAME = re.compile(r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$")


class StatesApiError(Exception):
    """An error the Step Functions API answers with: its code (e.g. ExecutionDoesNotExist) and message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class StepFunctionsService:
    """Executions of the state machines of one harness's account, and the API that serves them."""

    def __init__(self, harness: HarnessServices) -> None:
        self.harness = harness
        self.account = harness.account
        self.clock = harness.clock
        self.activity = Activity()
        self.random = random.Random()
        self.tasks = TaskRunner(harness.functions, harness.async_invocations, harness.account)
        self._executions: dict[str, Execution] = {}
        self._definitions: dict[str, dict[str, Any]] = {}
        self._backend_client: Any = None
        self._lock = threading.Lock()
        harness.on_close(self.close)
        harness.add_drainable(self)

    # -- state machines (on the backend) ----------------------------------------------------------
    def state_machine_arn(self, name_or_arn: str) -> str:
        """The ARN of a state machine of this account, from its name or ARN."""
        if name_or_arn.startswith("arn:"):
            return name_or_arn
        return self.account.arn("states", f"stateMachine:{name_or_arn}")

    def _backend(self) -> Any:
        with self._lock:
            if self._backend_client is None:
                self._backend_client = self.account.client("stepfunctions")
            return self._backend_client

    def describe_state_machine(self, name_or_arn: str) -> dict[str, Any]:
        """The backend's DescribeStateMachine answer; StateMachineDoesNotExist (or InvalidArn) otherwise."""
        arn = self.state_machine_arn(name_or_arn)
        if not re.match(r"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$", arn):
            raise StatesApiError("InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {arn}'")
        try:
            return self._backend().describe_state_machine(stateMachineArn=arn)
        except ClientError as exc:
            code = error_code(exc) or "StateMachineDoesNotExist"
            raise StatesApiError(code, exc.response.get("Error", {}).get("Message") or str(exc)) from None

    def state_machine(self, name_or_arn: str) -> StateMachine:
        """The state machine as the backend describes it, with its definition parsed and validated."""
        described = self.describe_state_machine(name_or_arn)
        text = described["definition"]
        with self._lock:
            definition = self._definitions.get(text)
        if definition is None:
            try:
                definition = validate_definition(text)
            except InvalidDefinition as exc:
                raise StatesApiError("InvalidDefinition", f"Invalid State Machine Definition: '{exc}'") from None
            with self._lock:
                self._definitions[text] = definition
        return StateMachine(
            arn=described["stateMachineArn"],
            name=described["name"],
            definition=definition,
            definition_text=text,
            role_arn=described["roleArn"],
            type=described.get("type", "STANDARD"),
            updated=described.get("creationDate"),
        )

    # -- executions --------------------------------------------------------------------------------
    def start(self, state_machine: str, input: Any = None, name: str | None = None) -> Execution:
        """Start an execution (StartExecution) and return it at once; it runs on a thread of its own.

        `input` is a JSON-serializable value, or JSON text (a `str`); `name` defaults to a UUID.
        """
        machine = self.state_machine(state_machine)
        text = _input_text(input)
        name = _execution_name(name)
        if machine.type == "EXPRESS":
            arn = self.account.arn("states", f"express:{machine.name}:{name}:{uuid.uuid4()}")
        else:
            arn = self.account.arn("states", f"execution:{machine.name}:{name}")
        with self._lock:
            existing = self._executions.get(arn)
            if existing is not None:
                if existing.status == RUNNING and existing.input_text == text:
                    return existing  # StartExecution is idempotent for a running execution with the same input
                raise StatesApiError("ExecutionAlreadyExists", f"Execution Already Exists: '{arn}'")
            execution = Execution(
                machine,
                arn,
                name,
                text,
                clock=self.clock,
                tasks=self.tasks,
                activity=self.activity,
                rng=self.random,
                on_end=self._execution_ended,
            )
            self._executions[arn] = execution
        self.harness.telemetry.count("AWS/States", "ExecutionsStarted", {"StateMachineArn": machine.arn})
        return execution.start()

    def _execution_ended(self, execution: Execution) -> None:
        """Step Functions' execution metrics: the outcome, and ExecutionTime in milliseconds."""
        telemetry = self.harness.telemetry
        dimensions = {"StateMachineArn": execution.machine.arn}
        outcome = _OUTCOME_METRICS.get(execution.status)
        if outcome is not None:
            telemetry.count("AWS/States", outcome, dimensions)
        if execution.stop_date is not None:
            elapsed_ms = (execution.stop_date - execution.start_date).total_seconds() * 1000
            telemetry.measure("AWS/States", "ExecutionTime", dimensions, elapsed_ms, "Milliseconds")

    def run(self, state_machine: str, input: Any = None, name: str | None = None, timeout: float = 30.0) -> Execution:
        """Start an execution and return it once it has ended, or waits on the clock (then advance it).

        Raises WaitTimeout if it still works after `timeout` seconds of real time.
        """
        execution = self.start(state_machine, input, name)
        if not execution.settle(timeout):
            raise WaitTimeout(f"execution {execution.name} of {execution.machine.name} still ran after {timeout:g}s")
        return execution

    def get(self, execution_arn: str) -> Execution:
        """An execution by ARN; ExecutionDoesNotExist otherwise."""
        with self._lock:
            execution = self._executions.get(execution_arn)
        if execution is None:
            if not re.match(r"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(execution|express):", execution_arn or ""):
                raise StatesApiError(
                    "InvalidArn", f"Invalid Arn: 'Resource type not valid in this context: {execution_arn}'"
                )
            raise StatesApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{execution_arn}'")
        return execution

    def executions(self, state_machine: str | None = None, status: str | None = None) -> list[Execution]:
        """Executions, newest first; of one state machine and in one status when given."""
        arn = self.state_machine_arn(state_machine) if state_machine else None
        with self._lock:
            found = list(self._executions.values())
        return [
            e
            for e in reversed(found)
            if (arn is None or e.machine.arn == arn) and (status is None or e.status == status)
        ]

    def stop(self, execution_arn: str, error: str | None = None, cause: str | None = None) -> Execution:
        """Abort a running execution (StopExecution) and return it once it has stopped."""
        execution = self.get(execution_arn)
        execution.stop(error, cause)
        return execution

    # -- drain() and close() ---------------------------------------------------------------------------
    def pump(self) -> int:
        """Executions run on their own threads: nothing to deliver synchronously."""
        return 0

    def busy(self) -> str | None:
        """Why drain() should keep waiting: executions that are working (not waiting on the clock)."""
        working = self.activity.count
        return f"{working} state machine execution thread(s) working" if working > 0 else None

    def close(self) -> None:
        """Abort running executions."""
        for execution in self.executions(status=RUNNING):
            execution.stop("HarnessServices.Closed", "the harness was closed while the execution ran")


# https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html (execution metrics)
_OUTCOME_METRICS = {
    "SUCCEEDED": "ExecutionsSucceeded",
    "FAILED": "ExecutionsFailed",
    "TIMED_OUT": "ExecutionsTimedOut",
    "ABORTED": "ExecutionsAborted",
}


def _input_text(value: Any) -> str:
    if value is None:
        return "{}"
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        json.loads(text)
    except (TypeError, ValueError) as exc:
        raise StatesApiError("InvalidExecutionInput", f"Invalid State Machine Execution Input: '{exc}'") from None
    if len(text.encode()) > MAX_INPUT_BYTES:
        raise StatesApiError(
            "InvalidExecutionInput", f"The execution input is {len(text.encode())} bytes; at most 262144 are allowed"
        )
    return text


def _execution_name(name: str | None) -> str:
    if name is None:
        return str(uuid.uuid4())
    if not _NAME.match(name):
        raise StatesApiError(
            "InvalidName",
            f"Invalid Name: '{name}': use 1 to 80 characters, without spaces, brackets, wildcards "
            'or any of "#%\\^|~`$&,;:/',
        )
    return name
