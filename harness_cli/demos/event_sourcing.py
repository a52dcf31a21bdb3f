"""Pattern 15's verify steps: three commands, the projected balance, the audit trail, a replay."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import event_sourcing_stack

COMMANDS = [
    {"command": "deposit", "accountId": "ACC-001", "amount": 1000, "userId": "alice"},
    {"command": "withdraw", "accountId": "ACC-001", "amount": 250, "userId": "alice"},
    {"command": "deposit", "accountId": "ACC-001", "amount": 500, "userId": "bob"},
]


def demo_event_sourcing(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 15, plus its two key insights."""
    harness.deploy(event_sourcing_stack(), progress=report.note)
    for command in COMMANDS:
        harness.invoke("AccountCommand", command).value()
    harness.drain()
    answer = harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()
    report.check("balance is 1250 (1000 - 250 + 500)", answer["currentBalance"] == 1250, str(answer["currentBalance"]))
    report.check("the query returns all 3 events in the audit trail", answer["totalEvents"] == 3)
    store = harness.client("dynamodb").scan(TableName="EventStore")["Items"]
    report.check("EventStore has 3 rows, each with a unique eventId", len({i["eventId"]["S"] for i in store}) == 3)
    balances = harness.client("dynamodb").scan(TableName="AccountBalance")["Items"]
    report.check("AccountBalance has a single row", len(balances) == 1)
    as_of = answer["auditTrail"][1]["timestamp"]
    earlier = harness.invoke("AccountQuery", {"accountId": "ACC-001", "asOf": as_of}).value()
    report.check("point-in-time: the balance before the last deposit is 750", earlier["balanceAsOf"] == 750)
    harness.client("dynamodb").delete_item(TableName="AccountBalance", Key={"accountId": {"S": "ACC-001"}})
    harness.invoke("BalanceRebuilder", {}).value()
    rebuilt = harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"]
    report.check("the read model rebuilt by replaying the event store holds 1250 again", rebuilt == 1250)
    rejected = harness.invoke("AccountCommand", {"command": "steal", "accountId": "ACC-001", "amount": 5})
    report.check(
        "an unknown command is refused and appends nothing",
        rejected.error is not None and len(harness.client("dynamodb").scan(TableName="EventStore")["Items"]) == 3,
        rejected.error["errorMessage"] if rejected.error else "accepted",
    )
