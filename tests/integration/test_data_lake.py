"""Pattern 14: the seed's Verify steps, automated, with Athena on the local engine.

Oracle: the seed's Verify — Pattern 14; https://docs.aws.amazon.com/athena/latest/ug/tables-location-format.html
(a table reads every object under its LOCATION); https://docs.aws.amazon.com/athena/latest/ug/columnar-storage.html
(Parquet reads only the columns a query needs).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from harness.athena_queries import run_query
from provisioning.stacks.data_lake import (
    REVENUE_BY_REGION,
    SALES_CSV,
    TOP_PRODUCTS,
    data_lake_stack,
    parquet_table,
    seed_queries,
)
from tests.integration.data_lake_helpers import (
    athena_client,
    drop_catalog,
    revenue_by_region,
    seed_rows,
    top_products,
    unique_bucket,
)

MORE_ROWS = "2025-01-05,Gizmo,Central,4,159.96\n2025-01-05,Widget,North,20,199.80\n"


@pytest.fixture
def lake(harness):
    bucket = unique_bucket()
    yield bucket
    drop_catalog(harness)


def _get(harness, bucket: str, key: str) -> str:
    return harness.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode()


def _setup_tables(athena, bucket: str) -> list:
    output = f"s3://{bucket}/athena-results/"
    return [run_query(athena, sql, output) for sql in seed_queries(bucket)]


def test_transform_writes_processed_csv_and_json_with_computed_fields(harness, lake):
    harness.deploy(data_lake_stack(lake))

    answer = harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()

    assert answer == {"rows": 8, "output": "processed-json/sales.json"}
    processed = list(csv.DictReader(io.StringIO(_get(harness, lake, "processed/sales.csv"))))
    as_json = json.loads(_get(harness, lake, "processed-json/sales.json"))
    for rows in (processed, as_json):
        assert len(rows) == 8
        for row in rows:
            revenue, quantity = float(row["revenue"]), int(row["quantity"])
            assert float(row["avgUnitPrice"]) == round(revenue / quantity, 2)
            expected = "high" if revenue > 200 else "medium" if revenue > 100 else "low"
            assert row["revenueCategory"] == expected
            assert row["processedAt"]
    assert harness.logs("DataLakeTransformer").contains("Transformed 8 rows")


def test_seed_queries_give_the_figures_computed_from_the_seed_rows(harness, lake):
    harness.deploy(data_lake_stack(lake))
    harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()
    athena = athena_client(harness)

    create_db, create_table, by_region, by_product = _setup_tables(athena, lake)

    assert [a.state for a in (create_db, create_table, by_region, by_product)] == ["SUCCEEDED"] * 4
    rows = seed_rows(SALES_CSV)
    assert by_region.columns == ["region", "total_revenue", "total_units", "avg_unit_price"]
    expected_regions = revenue_by_region(rows)
    assert [r[0] for r in by_region.rows] == [e[0] for e in expected_regions]
    for got, want in zip(by_region.rows, expected_regions, strict=True):
        assert float(got[1]) == pytest.approx(want[1])
        assert (int(got[2]), float(got[3])) == (want[2], want[3])
    expected_products = top_products(rows)
    assert [r[0] for r in by_product.rows] == [e[0] for e in expected_products]
    for got, want in zip(by_product.rows, expected_products, strict=True):
        assert (int(got[1]), int(got[2])) == (want[1], want[2])
        assert float(got[3]) == pytest.approx(want[3])
    processed_size = len(_get(harness, lake, "processed/sales.csv").encode())
    assert by_region.scanned == by_product.scanned == processed_size
    assert harness.client("glue").get_table(DatabaseName="sales_datalake", Name="sales_processed")["Table"]


def test_added_rows_appear_after_the_transform_runs_again(harness, lake):
    harness.deploy(data_lake_stack(lake))
    harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()
    athena = athena_client(harness)
    _setup_tables(athena, lake)
    output = f"s3://{lake}/athena-results/"

    harness.client("s3").put_object(Bucket=lake, Key="raw/sales.csv", Body=(SALES_CSV + MORE_ROWS).encode())
    harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()
    by_region = run_query(athena, REVENUE_BY_REGION, output)
    by_product = run_query(athena, TOP_PRODUCTS, output)

    rows = seed_rows(SALES_CSV + MORE_ROWS)
    assert [(r[0], int(r[2])) for r in by_region.rows] == [(e[0], e[2]) for e in revenue_by_region(rows)]
    assert [(r[0], int(r[1])) for r in by_product.rows] == [(e[0], e[1]) for e in top_products(rows)]
    assert "Central" in [r[0] for r in by_region.rows]


def test_json_copy_under_the_csv_tables_location_becomes_junk_rows(harness, lake):
    # The seed's own layout: the indented JSON copy lands in processed/, which the CSV table reads.
    harness.deploy(data_lake_stack(lake, json_prefix="processed/"))
    harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()
    athena = athena_client(harness)
    _setup_tables(athena, lake)

    counted = run_query(athena, "SELECT count(*) FROM sales_datalake.sales_processed", f"s3://{lake}/r/")
    by_region = run_query(athena, REVENUE_BY_REGION, f"s3://{lake}/r/")

    json_lines = _get(harness, lake, "processed/sales.json").rstrip("\n").split("\n")
    assert int(counted.rows[0][0]) == 8 + len(json_lines) - 1  # each JSON line but the skipped first is a row
    assert None in [r[0] for r in by_region.rows]  # the extra null group of the seed's query


def test_parquet_copy_scans_fewer_bytes_than_csv_for_the_same_columns(harness, lake):
    lines = [f"2025-02-{1 + i % 28:02d},P{i % 7},R{i % 5},{1 + i % 9},{(i % 50) * 3.5 + 1:.2f}" for i in range(400)]
    sales = "date,product,region,quantity,revenue\n" + "\n".join(lines) + "\n"
    harness.deploy(data_lake_stack(lake, parquet_prefix="processed-parquet/", sales_csv=sales))
    answer = harness.invoke("DataLakeTransformer", {"bucket": lake, "key": "raw/sales.csv"}).value()
    athena = athena_client(harness)
    _setup_tables(athena, lake)
    output = f"s3://{lake}/r/"
    assert run_query(athena, parquet_table(lake, "processed-parquet/"), output).state == "SUCCEEDED"

    query = "SELECT region, SUM(revenue) AS total FROM sales_datalake.{} GROUP BY region ORDER BY region"
    over_csv = run_query(athena, query.format("sales_processed"), output)
    over_parquet = run_query(athena, query.format("sales_parquet"), output)

    assert answer["parquet"] == "processed-parquet/sales.parquet"
    assert [r[0] for r in over_parquet.rows] == [r[0] for r in over_csv.rows]
    assert [float(r[1]) for r in over_parquet.rows] == pytest.approx([float(r[1]) for r in over_csv.rows])
    assert 0 < over_parquet.scanned < over_csv.scanned
    print(f"bytes scanned: CSV {over_csv.scanned}, Parquet {over_parquet.scanned}")
