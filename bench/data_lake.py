"""Pattern 14 benchmark: the seed's two Athena queries over N generated sales rows, as CSV and as Parquet.

The local Athena adapter (objects read from the embedded backend's S3 through boto3, the table from its
Glue catalog, the SQL translated to DuckDB) against DuckDB reading the same files from local disk
directly, in the same run. Prints figures; it never fails on timing.

Run:
    .venv/bin/python -m bench.data_lake [--rows 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from adapters.athena.interface import SUCCEEDED, QueryRequest
from adapters.athena.local.engine import LocalAthena
from harness.backends.embedded import EmbeddedBackend
from provisioning.builders.s3 import Bucket
from provisioning.stacks.data_lake import REVENUE_BY_REGION, TOP_PRODUCTS, parquet_table, seed_queries

BUCKET = "datalake-bench-0014"
QUERIES = {"revenue by region": REVENUE_BY_REGION, "top products": TOP_PRODUCTS}
COLUMNS = (
    "{'date': 'VARCHAR', 'product': 'VARCHAR', 'region': 'VARCHAR', 'quantity': 'INTEGER', 'revenue': 'DOUBLE', "
    "'avgUnitPrice': 'DOUBLE', 'revenueCategory': 'VARCHAR', 'processedAt': 'VARCHAR'}"
)


def say(message: str) -> None:
    """A progress line, shown at once."""
    print(message, flush=True)


def generate(rows: int, folder: Path) -> tuple[Path, Path]:
    """processed/sales.csv as the transformer writes it (header, enriched columns) and its Parquet copy."""
    csv_path, parquet_path = folder / "sales.csv", folder / "sales.parquet"
    products = "['Widget', 'Gadget', 'Device', 'Pro', 'Gizmo']"
    regions = "['North', 'South', 'East', 'West', 'Central']"
    # Hash-scattered values, so that Parquet compresses them as it would real sales, not a repeating pattern.
    generated = f"""
        SELECT strftime(DATE '2025-01-01' + CAST(hash(i, 1) % 365 AS INTEGER), '%Y-%m-%d') AS date,
               {products}[1 + CAST(hash(i, 2) % 5 AS INTEGER)] AS product,
               {regions}[1 + CAST(hash(i, 3) % 5 AS INTEGER)] AS region,
               quantity, revenue,
               round(revenue / quantity, 2) AS avgUnitPrice,
               CASE WHEN revenue > 200 THEN 'high' WHEN revenue > 100 THEN 'medium' ELSE 'low' END AS revenueCategory,
               strftime(TIMESTAMP '2025-02-25 10:00:00' + to_microseconds(CAST(i * 997 AS BIGINT)),
                        '%Y-%m-%dT%H:%M:%S.%f') AS processedAt
        FROM (SELECT i, quantity, round(quantity * (5 + (hash(i, 4) % 50000) / 100.0), 2) AS revenue
              FROM (SELECT i, CAST(1 + hash(i, 5) % 12 AS INTEGER) AS quantity FROM range({rows}) t(i)))"""
    connection = duckdb.connect()
    connection.execute(f"COPY ({generated}) TO '{csv_path}' (HEADER, DELIMITER ',')")
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, columns={COLUMNS})) "
        f"TO '{parquet_path}' (FORMAT PARQUET)"
    )
    connection.close()
    return csv_path, parquet_path


def timed(action: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median seconds over `repeats` runs, and the last run's answer."""
    times, answer = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        answer = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def direct(sql: str, source: str) -> list[tuple]:
    """The seed's query run by DuckDB on a local file."""
    connection = duckdb.connect()
    try:
        return connection.execute(sql.replace("sales_datalake.sales_processed", source)).fetchall()
    finally:
        connection.close()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    backend = EmbeddedBackend().start()
    try:
        account = backend.new_account()
        with tempfile.TemporaryDirectory(prefix="bench-lake-") as folder:
            say(f"generating {args.rows:,} rows")
            csv_path, parquet_path = generate(args.rows, Path(folder))
            bucket = Bucket(BUCKET)
            bucket.create(account)
            s3 = account.client("s3")
            s3.upload_file(str(csv_path), BUCKET, "processed/sales.csv")
            s3.upload_file(str(parquet_path), BUCKET, "processed-parquet/sales.parquet")
            say(f"uploaded CSV {csv_path.stat().st_size:,} B and Parquet {parquet_path.stat().st_size:,} B")
            athena = LocalAthena(s3, account.client("glue"))
            output = f"s3://{BUCKET}/athena-results/"

            def athena_run(sql: str) -> tuple[list[list[str | None]], int]:
                execution = athena.query_execution(athena.start_query(QueryRequest(sql, output_location=output)))
                if execution.state != SUCCEEDED:
                    raise RuntimeError(f"{sql[:40]}...: {execution.reason}")
                return athena.query_results(execution.query_id).rows, execution.data_scanned_bytes

            for ddl in [*seed_queries(BUCKET)[:2], parquet_table(BUCKET, "processed-parquet/")]:
                athena_run(ddl)
            sources = {
                "CSV": ("sales_datalake.sales_processed", f"read_csv('{csv_path}', header=true, columns={COLUMNS})"),
                "Parquet": ("sales_datalake.sales_parquet", f"read_parquet('{parquet_path}')"),
            }
            lines = []
            for label, sql in QUERIES.items():
                for kind, (table, local) in sources.items():
                    query = sql.replace("sales_datalake.sales_processed", table)
                    harness_s, (rows, scanned) = timed(lambda q=query: athena_run(q), args.repeats)
                    direct_s, expected = timed(lambda s=sql, src=local: direct(s, src), args.repeats)
                    same = [r[0] for r in rows] == [str(e[0]) for e in expected]
                    lines.append((label, kind, harness_s, direct_s, scanned, same))
                    say(f"  {label} over {kind}: {harness_s:.3f} s local adapter, {direct_s:.3f} s DuckDB direct")
    finally:
        backend.stop()

    say(f"\nThe seed's queries over {args.rows:,} rows (median of {args.repeats}):")
    say(f"{'query':<19}{'format':<9}{'adapter s':>11}{'DuckDB s':>10}{'ratio':>8}{'scanned B':>14}  same groups")
    for label, kind, harness_s, direct_s, scanned, same in lines:
        ratio = harness_s / direct_s if direct_s else float("inf")
        say(f"{label:<19}{kind:<9}{harness_s:>11.3f}{direct_s:>10.3f}{ratio:>8.1f}{scanned:>14,}  {same}")
    return 0 if all(line[-1] for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
