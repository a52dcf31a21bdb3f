"""Pattern 14's verify steps: the transform, the seed's four Athena queries, data scanned, new rows, Parquet."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from harness.athena_queries import run_query
from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks.data_lake import (
    REVENUE_BY_REGION,
    SALES_CSV,
    TOP_PRODUCTS,
    bucket_name,
    data_lake_stack,
    parquet_table,
    seed_queries,
)

MORE_ROWS = "2025-01-05,Gizmo,Central,4,159.96\n"
PARQUET_PREFIX = "processed-parquet/"


def _revenue_by_region(sales_csv: str) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for row in csv.DictReader(io.StringIO(sales_csv)):
        totals[row["region"]] += float(row["revenue"])
    return dict(totals)


def demo_data_lake(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 14, plus the Parquet advice measured."""
    bucket = bucket_name()
    harness.deploy(data_lake_stack(bucket, parquet_prefix=PARQUET_PREFIX), progress=report.note)
    s3 = harness.client("s3")
    athena = harness.client("athena")
    output = f"s3://{bucket}/athena-results/"

    answer = harness.invoke("DataLakeTransformer", {"bucket": bucket, "key": "raw/sales.csv"}).value()
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    report.check("the transform wrote processed/sales.csv", "processed/sales.csv" in keys, f"{answer['rows']} rows")
    report.check(
        "and the JSON copy (outside the table's processed/ prefix)", answer["output"] in keys, answer["output"]
    )

    answers = [run_query(athena, sql, output) for sql in seed_queries(bucket)]
    report.check(
        "the four Athena queries succeed", all(a.state == "SUCCEEDED" for a in answers), answers[-1].reason or ""
    )
    by_region, by_product = answers[2], answers[3]
    expected = _revenue_by_region(SALES_CSV)
    got = {r[0]: float(r[1]) for r in by_region.rows}
    report.check(
        "revenue by region matches the seed's rows",
        got.keys() == expected.keys() and all(abs(got[k] - v) < 1e-6 for k, v in expected.items()),
        ", ".join(f"{r[0]} {r[1]}" for r in by_region.rows),
    )
    report.check(
        "top products ranked by revenue", [r[0] for r in by_product.rows][:1] == ["Pro"], f"top: {by_product.rows[0]}"
    )
    report.note(f"data scanned: {by_region.scanned} bytes per query (Athena bills $5 per TB)")

    s3.put_object(Bucket=bucket, Key="raw/sales.csv", Body=(SALES_CSV + MORE_ROWS).encode())
    harness.invoke("DataLakeTransformer", {"bucket": bucket, "key": "raw/sales.csv"}).value()
    again = run_query(athena, REVENUE_BY_REGION, output)
    report.check(
        "a row added to sales.csv appears after the transform runs again", "Central" in [r[0] for r in again.rows]
    )

    run_query(athena, parquet_table(bucket, PARQUET_PREFIX), output)
    subset = "SELECT product, SUM(revenue) AS total_revenue FROM sales_datalake.{} GROUP BY product"
    over_csv = run_query(athena, subset.format("sales_processed"), output)
    over_parquet = run_query(athena, subset.format("sales_parquet"), output)
    report.check(
        "the same query over the Parquet copy scans fewer bytes",
        0 < over_parquet.scanned < over_csv.scanned,
        f"CSV {over_csv.scanned} B, Parquet {over_parquet.scanned} B",
    )
    from_csv = run_query(athena, TOP_PRODUCTS, output).rows
    from_parquet = run_query(athena, TOP_PRODUCTS.replace("sales_processed", "sales_parquet"), output).rows
    report.check("the seed's top-products query gives the same ranking over Parquet", from_csv == from_parquet)
    run_query(athena, "DROP DATABASE sales_datalake CASCADE", output)
