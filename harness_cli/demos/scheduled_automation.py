"""Pattern 10's verify steps on the virtual clock: automatic runs, last status, a one-time run, a new rate."""

from __future__ import annotations

import itertools
from datetime import timedelta

from botocore.exceptions import ClientError

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import scheduled_automation_stack
from provisioning.stacks.scheduled_automation import FUNCTION, SCHEDULE


def demo_scheduled_automation(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 10, minutes of schedule in milliseconds."""
    harness.deploy(scheduled_automation_stack(), progress=report.note)
    scheduler = harness.client("scheduler")
    logs = harness.logs(FUNCTION)

    harness.advance(minutes=5)
    report.check(
        "after 5 minutes, /aws/lambda/DailyHealthCheck shows an automatic invocation", len(logs.invocations) == 1
    )
    report.check(
        "the health check counted the account's functions and tables",
        logs.contains("Found 1 Lambda functions active") and logs.contains("Found 0 DynamoDB tables"),
    )
    last = harness.scheduler.runs(SCHEDULE)[-1]
    report.check(
        "HealthCheckEvery5Min's last invocation was delivered",
        last.status == "delivered",
        f"{last.status} at {last.scheduled_time:%H:%M:%S} UTC",
    )
    harness.advance(minutes=10)
    report.check("15 minutes in, it has run exactly 3 times", len(logs.invocations) == 3)

    when = (harness.clock.now() + timedelta(minutes=2)).replace(microsecond=0)
    current = scheduler.get_schedule(Name=SCHEDULE)
    scheduler.create_schedule(
        Name="HealthCheckOnce",
        ScheduleExpression=f"at({when:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target=current["Target"],
    )
    harness.advance(hours=1)
    once = harness.scheduler.runs("HealthCheckOnce")
    report.check(
        "a one-time schedule 2 minutes ahead fired exactly once and never again",
        [run.scheduled_time for run in once] == [when],
        f"{len(once)} run(s) in the following hour",
    )

    scheduler.update_schedule(
        Name=SCHEDULE,
        ScheduleExpression="rate(1 minute)",
        FlexibleTimeWindow=current["FlexibleTimeWindow"],
        Target=current["Target"],
    )
    before = len(harness.scheduler.runs(SCHEDULE))
    harness.advance(minutes=3)
    fast = harness.scheduler.runs(SCHEDULE)[before:]
    spacing = {(b.scheduled_time - a.scheduled_time).total_seconds() for a, b in itertools.pairwise(fast)}
    report.check("at rate(1 minute), 3 consecutive invocations in 3 minutes", len(fast) == 3 and spacing == {60.0})

    scheduler.delete_schedule(Name=SCHEDULE)
    invoked = len(logs.invocations)
    harness.advance(minutes=10)
    report.check("after the schedule is deleted, nothing more runs", len(logs.invocations) == invoked)

    try:
        scheduler.create_schedule(
            Name="Broken",
            ScheduleExpression="cron(0 12 * * * *)",
            FlexibleTimeWindow={"Mode": "OFF"},
            Target=current["Target"],
        )
        refused = ""
    except ClientError as exc:
        refused = exc.response["Error"]["Message"]
    report.check("a cron AWS would refuse is refused when the schedule is created", bool(refused), refused)
