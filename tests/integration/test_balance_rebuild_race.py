"""BalanceRebuilder and BalanceProjection at once: an event applied during a rebuild is never lost.

The projection keeps consuming the EventStore stream while a rebuild replays the store; the rebuilt
row may only replace the projection's row if the projection applied nothing in between
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
"""

from __future__ import annotations

from provisioning.stacks import event_sourcing_stack


def balance(harness, account: str) -> dict:
    return harness.client("dynamodb").get_item(TableName="AccountBalance", Key={"accountId": {"S": account}})["Item"]


def deposit(harness, account: str, amount: int) -> None:
    harness.invoke("AccountCommand", {"command": "deposit", "accountId": account, "amount": amount}).value()


def test_a_deposit_applied_while_the_rebuilder_replays_is_kept(harness):
    stack = harness.deploy(event_sourcing_stack())
    projection = stack.mapping("BalanceProjection")
    deposit(harness, "ACC-R", 100)
    harness.drain()
    harness.invoke("BalanceRebuilder", {"accountId": "ACC-R"}).value()  # cold start: the module is loaded
    module = harness.functions.get("BalanceRebuilder")._module
    original = module.write_if_unchanged
    raced = []

    def deposit_lands_first(*args, **kwargs):
        # Between the rebuilder's read of the store and its write, a deposit is appended and projected.
        if not raced:
            raced.append(True)
            deposit(harness, "ACC-R", 50)
            while len(balance(harness, "ACC-R")["appliedEvents"]["SS"]) < 2:
                projection.pump()
        return original(*args, **kwargs)

    module.write_if_unchanged = deposit_lands_first
    try:
        result = harness.invoke("BalanceRebuilder", {})
    finally:
        module.write_if_unchanged = original
    harness.drain()

    assert result.value() == {"rebuilt": ["ACC-R"], "accounts": 1}
    assert raced
    row = balance(harness, "ACC-R")
    assert row["balance"]["N"] == "150"
    assert len(row["appliedEvents"]["SS"]) == 2
    assert "raced the projection" in result.log.text
    assert harness.invoke("AccountQuery", {"accountId": "ACC-R"}).value()["currentBalance"] == 150
