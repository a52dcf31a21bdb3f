"""Pattern 14 test helpers: a bucket of the test's own, Athena on it, and the seed's figures computed in Python."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from typing import Any

from harness.core import Harness


def unique_bucket() -> str:
    """A data-lake bucket name of this test's own (S3 names are global)."""
    return f"datalake-{uuid.uuid4().hex[:12]}"


def athena_client(harness: Harness) -> Any:
    """boto3's athena client on the harness's endpoint (the served Athena API)."""
    return harness.client("athena")


def drop_catalog(harness: Harness, database: str = "sales_datalake") -> None:
    """Remove a Glue database and its tables (what the seed's DDL created)."""
    glue = harness.client("glue")
    try:
        for table in glue.get_tables(DatabaseName=database)["TableList"]:
            glue.delete_table(DatabaseName=database, Name=table["Name"])
        glue.delete_database(Name=database)
    except glue.exceptions.EntityNotFoundException:
        pass


def seed_rows(sales_csv: str) -> list[dict[str, str]]:
    """The raw rows of a sales CSV."""
    return list(csv.DictReader(io.StringIO(sales_csv)))


def revenue_by_region(rows: list[dict[str, str]]) -> list[tuple[str, float, int, float]]:
    """(region, total revenue, total units, average unit price rounded to 2) by total revenue, descending."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row["region"]].append(row)
    figures = []
    for region, members in groups.items():
        prices = [round(float(r["revenue"]) / int(r["quantity"]), 2) for r in members]
        figures.append(
            (
                region,
                sum(float(r["revenue"]) for r in members),
                sum(int(r["quantity"]) for r in members),
                round(sum(prices) / len(prices), 2),
            )
        )
    return sorted(figures, key=lambda f: -f[1])


def top_products(rows: list[dict[str, str]]) -> list[tuple[str, int, int, float]]:
    """(product, transactions, total units, total revenue) by total revenue, descending."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row["product"]].append(row)
    figures = [
        (p, len(m), sum(int(r["quantity"]) for r in m), sum(float(r["revenue"]) for r in m)) for p, m in groups.items()
    ]
    return sorted(figures, key=lambda f: -f[3])
