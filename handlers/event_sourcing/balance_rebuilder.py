"""BalanceRebuilder: rebuilds the AccountBalance read model by replaying the whole EventStore.

The seed's key insight: the read model is derived and disposable. Input {"accountId": "..."} rebuilds
one account; without it every account in the store is rebuilt.

The projection keeps applying events while a rebuild runs. So that no event is lost, each account's
rebuilt row is written only if the projection applied nothing to it since the rebuild read the store
(the row still holds as many applied events as before); otherwise that account is replayed again.
"""

import os
from collections import defaultdict
from decimal import Decimal

import boto3
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from handlers.validation import event_object, text

dynamo = boto3.resource("dynamodb")
balance_table = dynamo.Table(os.environ.get("BALANCE_TABLE", "AccountBalance"))
event_store = dynamo.Table(os.environ.get("EVENT_STORE_TABLE", "EventStore"))

SIGNS = {"MoneyDeposited": 1, "MoneyWithdrawn": -1}
ATTEMPTS = 5


class RebuildConflict(RuntimeError):
    """The projection kept changing an account while it was rebuilt."""


def pages(operation, **request):
    while True:
        page = operation(**request)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def applied_counts():
    """How many events each balance row has applied so far (read before the event store)."""
    return {
        row["accountId"]: len(row.get("appliedEvents", ())) for row in pages(balance_table.scan, ConsistentRead=True)
    }


def replay(items, only=None):
    balances = defaultdict(Decimal)
    applied = defaultdict(set)
    last = {}
    for item in items:
        account_id = item["aggregateId"]
        if only and account_id != only:
            continue
        balances[account_id] += SIGNS.get(item["eventType"], 0) * Decimal(item["amount"])
        applied[account_id].add(item["eventId"])
        last[account_id] = max(last.get(account_id, ""), item["timestamp"])
    return balances, applied, last


def write_if_unchanged(account_id, balance, applied, last, seen):
    """Put the rebuilt row unless the projection applied an event since `seen` was read."""
    unchanged = Attr("accountId").not_exists() if seen is None else Attr("appliedEvents").size().eq(seen)
    try:
        balance_table.put_item(
            Item={"accountId": account_id, "balance": balance, "appliedEvents": applied, "lastUpdated": last},
            ConditionExpression=unchanged,
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


def rebuild_account(account_id):
    """Replay one account until its row is written without a concurrent projection update."""
    for _ in range(ATTEMPTS):
        row = balance_table.get_item(Key={"accountId": account_id}, ConsistentRead=True).get("Item")
        seen = None if row is None else len(row.get("appliedEvents", ()))
        items = pages(event_store.query, KeyConditionExpression=Key("aggregateId").eq(account_id), ConsistentRead=True)
        balances, applied, last = replay(items)
        if account_id not in balances:
            return None
        if write_if_unchanged(account_id, balances[account_id], applied[account_id], last[account_id], seen):
            return balances[account_id], len(applied[account_id])
    raise RebuildConflict(f"account {account_id} kept changing during {ATTEMPTS} rebuilds")


def lambda_handler(event, context):
    event_object(event)
    only = text(event, "accountId", "accountId", default=None)
    seen = applied_counts()
    balances, applied, last = replay(pages(event_store.scan, ConsistentRead=True), only)

    for account_id, balance in balances.items():
        count = len(applied[account_id])
        if not write_if_unchanged(account_id, balance, applied[account_id], last[account_id], seen.get(account_id)):
            print(f"Rebuild of {account_id} raced the projection; replaying it again")
            balance, count = rebuild_account(account_id)
        print(f"Rebuilt {account_id}: balance {balance} from {count} events")
    return {"rebuilt": sorted(balances), "accounts": len(balances)}
