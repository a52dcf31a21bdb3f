"""BalanceRebuilder: rebuilds the AccountBalance read model by replaying the whole EventStore.

The seed's key insight: the read model is derived and disposable. Input {"accountId": "..."} rebuilds
one account; without it every account in the store is rebuilt.
"""

import os
from collections import defaultdict
from decimal import Decimal

import boto3

dynamo = boto3.resource("dynamodb")
balance_table = dynamo.Table(os.environ.get("BALANCE_TABLE", "AccountBalance"))
event_store = dynamo.Table(os.environ.get("EVENT_STORE_TABLE", "EventStore"))

SIGNS = {"MoneyDeposited": 1, "MoneyWithdrawn": -1}


def scan_events():
    scan = {}
    while True:
        page = event_store.scan(**scan)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def lambda_handler(event, context):
    only = event.get("accountId")
    balances = defaultdict(Decimal)
    applied = defaultdict(set)
    last = {}
    for item in scan_events():
        account_id = item["aggregateId"]
        if only and account_id != only:
            continue
        balances[account_id] += SIGNS.get(item["eventType"], 0) * Decimal(item["amount"])
        applied[account_id].add(item["eventId"])
        last[account_id] = max(last.get(account_id, ""), item["timestamp"])

    for account_id, balance in balances.items():
        balance_table.put_item(
            Item={
                "accountId": account_id,
                "balance": balance,
                "appliedEvents": applied[account_id],
                "lastUpdated": last[account_id],
            }
        )
        print(f"Rebuilt {account_id}: balance {balance} from {len(applied[account_id])} events")
    return {"rebuilt": sorted(balances), "accounts": len(balances)}
