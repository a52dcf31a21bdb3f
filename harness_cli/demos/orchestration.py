"""Pattern 8's verify steps: start OrderPipeline executions, read their status, history and logs."""

from __future__ import annotations

import json
from typing import Any

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks.orchestration import STATE_MACHINE, orchestration_stack

ORDER = {"orderId": "ORD-20250225", "amount": 149.99, "customerId": "cust-007"}
WORKERS = ["CheckInventory", "ProcessPayment", "ShipOrder"]


def _history(sfn: Any, arn: str) -> list[dict[str, Any]]:
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def demo_orchestration(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 8."""
    stack = harness.deploy(orchestration_stack(), progress=report.note)
    sfn = harness.client("stepfunctions")
    machine = stack.arn(STATE_MACHINE)

    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps({**ORDER, "inStock": True}))["executionArn"]
    harness.drain()
    described = sfn.describe_execution(executionArn=arn)
    output = json.loads(described.get("output", "{}"))
    report.check(
        "an in-stock order succeeds with payment charged and shipment tracked",
        described["status"] == "SUCCEEDED" and output.get("trackingId") == "TRK-0225",
        f"{described['status']}, {output.get('paymentStatus')}, {output.get('trackingId')}",
    )
    events = _history(sfn, arn)
    tasks = [e["stateEnteredEventDetails"]["name"] for e in events if e["type"] == "TaskStateEntered"]
    report.check("the execution ran CheckInventory, ProcessPayment, ShipOrder in order", tasks == WORKERS)

    runs = [
        sfn.start_execution(stateMachineArn=machine, input=json.dumps({**ORDER, "inventorySeed": seed}))
        for seed in range(5)
    ]
    harness.drain()
    harness.advance(seconds=1)  # the Retry's default interval
    statuses = [sfn.describe_execution(executionArn=r["executionArn"])["status"] for r in runs]
    report.check(
        "of 5 executions, the out-of-stock case fired and ended in OrderFailed",
        "FAILED" in statuses and "SUCCEEDED" in statuses,
        ", ".join(statuses),
    )

    before = len(harness.logs("CheckInventory").invocations)
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps({**ORDER, "inStock": False}))["executionArn"]
    harness.drain()
    harness.advance(seconds=1)
    described = sfn.describe_execution(executionArn=arn)
    report.check(
        "an out-of-stock order fails with OutOfStock and the Fail state's cause",
        described["status"] == "FAILED" and described.get("error") == "OutOfStock",
        f"{described['status']}: {described.get('error')}: {described.get('cause')}",
    )
    checks = len(harness.logs("CheckInventory").invocations) - before
    report.check("Step Functions retried CheckInventory once before failing", checks == 2, f"{checks} invocations")
    events = _history(sfn, arn)
    failed_input = json.loads(
        next(e for e in events if e["type"] == "FailStateEntered")["stateEnteredEventDetails"]["input"]
    )
    report.check(
        "the Catch put the caught error at $.error",
        failed_input.get("error", {}).get("Error") == "Exception",
        failed_input.get("error", {}).get("Error", "no $.error"),
    )
    report.check(
        "the event history is the complete audit trail, with timestamps and payloads",
        events[0]["type"] == "ExecutionStarted"
        and events[-1]["type"] == "ExecutionFailed"
        and all("timestamp" in e for e in events),
        f"{len(events)} events",
    )
    first = {name: harness.logs(name).invocations[0].started_at for name in WORKERS}
    report.check(
        "each worker's log shows it ran, in the pipeline's order",
        sorted(WORKERS, key=first.__getitem__) == WORKERS,
        " < ".join(WORKERS),
    )
