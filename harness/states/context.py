"""The context object (`$$`): what a state can read about its execution, itself and its Map item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


def iso_time(when: datetime) -> str:
    """A time as the context object shows it: ISO 8601 in UTC with milliseconds, e.g. 2025-02-25T10:00:00.000Z."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class ExecutionInfo:
    """The fixed part of the context object: the execution and its state machine."""

    execution_arn: str
    name: str
    input: Any
    role_arn: str
    start_time: datetime
    state_machine_arn: str
    state_machine_name: str


@dataclass(frozen=True)
class MapItem:
    """The item a Map iteration works on."""

    index: int
    value: Any


def context_object(
    info: ExecutionInfo,
    state_name: str,
    entered: datetime,
    retry_count: int | None = 0,
    map_item: MapItem | None = None,
) -> dict[str, Any]:
    """The context object a state sees as `$$`; RetryCount only where the state can retry."""
    context: dict[str, Any] = {
        "Execution": {
            "Id": info.execution_arn,
            "Input": info.input,
            "Name": info.name,
            "RoleArn": info.role_arn,
            "StartTime": iso_time(info.start_time),
            "RedriveCount": 0,
        },
        "State": {"EnteredTime": iso_time(entered), "Name": state_name},
        "StateMachine": {"Id": info.state_machine_arn, "Name": info.state_machine_name},
    }
    if retry_count is not None:  # None for states without Retry (Pass, Wait, Choice, ...)
        context["State"]["RetryCount"] = retry_count
    if map_item is not None:
        context["Map"] = {"Item": {"Index": map_item.index, "Value": map_item.value}}
    return context
