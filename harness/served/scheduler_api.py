"""EventBridge Scheduler through the gateway: schedules are checked as AWS checks them, then stored on the backend.

CreateSchedule and UpdateSchedule are refused with ValidationException, and nothing is stored, when the
expression, time zone, window, retry policy or a date is one AWS would refuse; a schedule group is checked
for existence or conflict, which the emulators skip. After a change the harness's scheduler re-reads the
schedule at once, so a schedule runs from the moment CreateSchedule returns. Every other operation reaches
the backend unchanged.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from harness.scheduling.scheduler import SchedulerService
from harness.scheduling.validation import ScheduleValidationError, validate_name, validate_schedule_request
from harness.served.service import AwsError, Operation

_TIMESTAMPS = ("StartDate", "EndDate")


def _validation_errors(handler: Callable[[dict[str, Any]], Any]) -> Operation:
    @functools.wraps(handler)
    def answer(params: dict[str, Any]) -> Any:
        try:
            return handler(params)
        except ScheduleValidationError as exc:
            raise AwsError("ValidationException", str(exc)) from None

    return answer


def _request_body(params: dict[str, Any]) -> dict[str, Any]:
    """The parameters as the REST body carried them (dates as epoch seconds), for the shared validation."""
    body = dict(params)
    for key in _TIMESTAMPS:
        if hasattr(body.get(key), "timestamp"):
            body[key] = body[key].timestamp()
    return body


class SchedulerApi:
    """Checks schedule changes, stores them on the backend, and tells the harness's scheduler.

    Example:
        >>> gateway.serve(SchedulerApi(harness.scheduler, backend_scheduler_client))  # doctest: +SKIP
    """

    service = "scheduler"

    def __init__(self, scheduler: SchedulerService, backend: Any) -> None:
        self.scheduler = scheduler
        self.backend = backend  # a boto3 scheduler client on the backend, in the harness's account

    def operations(self) -> dict[str, Operation]:
        """The operations checked here; the rest go to the backend."""
        handlers = {
            "CreateSchedule": self.create_schedule,
            "UpdateSchedule": self.update_schedule,
            "DeleteSchedule": self.delete_schedule,
            "CreateScheduleGroup": self.create_schedule_group,
            "DeleteScheduleGroup": self.delete_schedule_group,
        }
        return {name: _validation_errors(handler) for name, handler in handlers.items()}

    def create_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateSchedule: checked, stored, armed."""
        name = params["Name"]
        validate_schedule_request(name, _request_body(params), self.scheduler.clock.now())
        group = params.get("GroupName") or "default"
        if not self.scheduler.group_exists(group):
            raise AwsError("ResourceNotFoundException", f"Schedule group {group} does not exist.", 404)
        answer = self.backend.create_schedule(**params)
        self.scheduler.schedule_changed(group, name, created=True)
        return {"ScheduleArn": answer["ScheduleArn"]}

    def update_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        """UpdateSchedule: checked, stored, re-armed."""
        name = params["Name"]
        validate_schedule_request(name, _request_body(params), self.scheduler.clock.now())
        answer = self.backend.update_schedule(**params)
        self.scheduler.schedule_changed(params.get("GroupName") or "default", name, created=False)
        return {"ScheduleArn": answer["ScheduleArn"]}

    def delete_schedule(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteSchedule: removed from the backend and disarmed."""
        self.backend.delete_schedule(**params)
        self.scheduler.schedule_deleted(params.get("GroupName") or "default", params["Name"])
        return {}

    def create_schedule_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """CreateScheduleGroup, refusing a name that exists."""
        name = params["Name"]
        validate_name("Name", name)
        if self.scheduler.group_exists(name):
            raise AwsError("ConflictException", f"Schedule group {name} already exists.", 409)
        answer = self.backend.create_schedule_group(**params)
        self.scheduler.group_created(name)
        return {"ScheduleGroupArn": answer["ScheduleGroupArn"]}

    def delete_schedule_group(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteScheduleGroup; the default group cannot be deleted."""
        if params["Name"] == "default":
            raise ScheduleValidationError("The default schedule group cannot be deleted")
        self.backend.delete_schedule_group(**params)
        self.scheduler.group_deleted(params["Name"])
        return {}
