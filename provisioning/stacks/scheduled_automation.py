"""Pattern 10, scheduled automation: the HealthCheckEvery5Min schedule -> DailyHealthCheck."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.builders.schedules import Schedule
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack

SCHEDULE = "HealthCheckEvery5Min"
FUNCTION = "DailyHealthCheck"


def health_check_schedule(
    expression: str = "rate(5 minutes)", dead_letter_queue: str | None = None, name: str = SCHEDULE
) -> Schedule:
    """The seed's schedule: `expression` (rate 5 minutes), retry 2, maximum event age 1 hour."""
    return Schedule(
        name,
        expression,
        function=FUNCTION,
        maximum_retry_attempts=2,
        maximum_event_age_seconds=3600,
        dead_letter_queue=dead_letter_queue,
    )


def scheduled_automation_stack(expression: str = "rate(5 minutes)", dead_letter_queue: str | None = None) -> Stack:
    """DailyHealthCheck and its schedule; `dead_letter_queue` adds that queue as the schedule's DLQ."""
    return Stack(
        "scheduled-automation",
        resources=[Queue(dead_letter_queue)] if dead_letter_queue else [],
        functions=[
            # The seed keeps the console's 3 s timeout; listing every function and table can take longer
            # on a busy machine, so the harness gives the check 30 s.
            FunctionSpec(FUNCTION, "handlers.scheduled_automation.daily_health_check.lambda_handler", timeout=30),
        ],
        triggers=[health_check_schedule(expression, dead_letter_queue)],
    )
