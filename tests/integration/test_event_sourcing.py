"""Pattern 15 end to end: commands append events, the stream projects balances, queries read both."""

from __future__ import annotations

import pytest

from provisioning.stacks import event_sourcing_stack

SEED_COMMANDS = [
    {"command": "deposit", "accountId": "ACC-001", "amount": 1000, "userId": "alice"},
    {"command": "withdraw", "accountId": "ACC-001", "amount": 250, "userId": "alice"},
    {"command": "deposit", "accountId": "ACC-001", "amount": 500, "userId": "bob"},
]


@pytest.fixture
def ledger(harness):
    """The event-sourcing stack with the seed's three commands applied and projected."""
    stack = harness.deploy(event_sourcing_stack())
    event_ids = [harness.invoke("AccountCommand", command).value()["eventId"] for command in SEED_COMMANDS]
    harness.drain()
    return stack, event_ids


def event_store_items(harness) -> list[dict]:
    return harness.client("dynamodb").scan(TableName="EventStore")["Items"]


def test_balance_is_1250_with_three_events_in_order(harness, ledger):
    _, event_ids = ledger

    answer = harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()

    assert answer["currentBalance"] == 1250
    assert answer["totalEvents"] == 3
    trail = answer["auditTrail"]
    assert [e["eventType"] for e in trail] == ["MoneyDeposited", "MoneyWithdrawn", "MoneyDeposited"]
    assert [float(e["amount"]) for e in trail] == [1000, 250, 500]
    assert [e["initiatedBy"] for e in trail] == ["alice", "alice", "bob"]
    assert [e["eventId"] for e in trail] == event_ids


def test_event_store_holds_three_unique_rows_never_updated(harness, ledger):
    stack, _ = ledger

    items = event_store_items(harness)
    assert len(items) == 3
    assert len({item["eventId"]["S"] for item in items}) == 3

    records = read_stream(harness, stack.arn("EventStore"))
    assert [r["eventName"] for r in records] == ["INSERT", "INSERT", "INSERT"]
    assert all("OldImage" not in r["dynamodb"] for r in records)


def test_account_balance_holds_a_single_row(harness, ledger):
    items = harness.client("dynamodb").scan(TableName="AccountBalance")["Items"]

    assert len(items) == 1
    assert items[0]["accountId"]["S"] == "ACC-001"
    assert float(items[0]["balance"]["N"]) == 1250


def test_point_in_time_balance_before_the_last_deposit(harness, ledger):
    trail = harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["auditTrail"]

    before_last = harness.invoke("AccountQuery", {"accountId": "ACC-001", "asOf": trail[1]["timestamp"]}).value()

    assert before_last["balanceAsOf"] == 750
    assert before_last["eventsAsOf"] == 2
    assert before_last["currentBalance"] == 1250


def test_read_model_is_rebuilt_by_replaying_the_event_store(harness, ledger):
    dynamodb = harness.client("dynamodb")
    dynamodb.delete_item(TableName="AccountBalance", Key={"accountId": {"S": "ACC-001"}})
    assert harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"] == 0

    rebuilt = harness.invoke("BalanceRebuilder", {}).value()

    assert rebuilt == {"rebuilt": ["ACC-001"], "accounts": 1}
    assert harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"] == 1250
    # the projection keeps working on top of the rebuilt model, without double counting
    harness.invoke("AccountCommand", {"command": "withdraw", "accountId": "ACC-001", "amount": 50}).value()
    harness.drain()
    assert harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"] == 1200


def test_redelivered_stream_records_do_not_double_count(harness, ledger):
    stack, _ = ledger
    records = read_stream(harness, stack.arn("EventStore"))

    replay = harness.invoke("BalanceProjection", {"Records": records})

    assert replay.value() == {"projected": 3}
    assert len(replay.log.lines) == 3
    assert all("already applied" in line for line in replay.log.lines)
    assert harness.invoke("AccountQuery", {"accountId": "ACC-001"}).value()["currentBalance"] == 1250


def test_accounts_are_projected_separately(harness):
    harness.deploy(event_sourcing_stack())
    harness.invoke("AccountCommand", {"command": "deposit", "accountId": "ACC-A", "amount": 10}).value()
    harness.invoke("AccountCommand", {"command": "deposit", "accountId": "ACC-B", "amount": 7.5}).value()
    harness.drain()

    assert harness.invoke("AccountQuery", {"accountId": "ACC-A"}).value()["currentBalance"] == 10
    assert harness.invoke("AccountQuery", {"accountId": "ACC-B"}).value()["currentBalance"] == 7.5


AMOUNT = "amount must be a positive amount of at most 1000000000000 with at most 2 decimals, got "


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ({"command": "transfer", "amount": 5}, "command must be 'deposit' or 'withdraw', got 'transfer'"),
        ({"amount": 5}, "command must be 'deposit' or 'withdraw', got None"),
        ({"command": "deposit", "amount": -5}, AMOUNT + "-5"),
        ({"command": "deposit", "amount": 0}, AMOUNT + "0"),
        ({"command": "withdraw", "amount": "ten"}, AMOUNT + '"ten"'),
        ({"command": "deposit"}, AMOUNT + "null"),
        ({"command": "deposit", "amount": True}, AMOUNT + "true"),
        ({"command": "deposit", "amount": "NaN"}, AMOUNT + '"NaN"'),
        ({"command": "deposit", "amount": 1e-200}, AMOUNT + "1e-200"),
        ({"command": "deposit", "amount": 1e200}, AMOUNT + "1e+200"),
        ({"command": "deposit", "amount": 0.001}, AMOUNT + "0.001"),
        ({"command": "deposit", "amount": 5, "accountId": ""}, "accountId must be a non-empty string"),
        ({"command": "deposit", "amount": 5, "userId": ["x"]}, "userId must be a non-empty string"),
    ],
)
def test_bad_commands_are_refused_and_append_nothing(harness, command, message):
    harness.deploy(event_sourcing_stack())

    result = harness.invoke("AccountCommand", {"accountId": "ACC-001", **command})
    harness.drain()

    assert result.error["errorType"] == "CommandRejected"
    assert result.error["errorMessage"].startswith(message)
    assert event_store_items(harness) == []
    assert harness.client("dynamodb").scan(TableName="AccountBalance")["Items"] == []


def read_stream(harness, table_arn: str) -> list[dict]:
    """Every record of the table's stream from its start, shaped as Lambda delivers them."""
    from harness.event_sources.stream import to_json_safe

    dynamodb = harness.client("dynamodb")
    streams = harness.client("dynamodbstreams")
    stream_arn = dynamodb.describe_table(TableName=table_arn.rsplit("/", 1)[1])["Table"]["LatestStreamArn"]
    records = []
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for raw in streams.get_records(ShardIterator=iterator)["Records"]:
            record = to_json_safe(raw)
            record["eventSourceARN"] = stream_arn
            records.append(record)
    return records
