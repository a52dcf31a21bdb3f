"""The local Athena engine's SerDes and DDL corners: JSON, Parquet, TSV, compressed and hidden objects.

Oracle: https://docs.aws.amazon.com/athena/latest/ug/json-serde.html (ignore.malformed.json),
https://docs.aws.amazon.com/athena/latest/ug/parquet-serde.html ,
https://docs.aws.amazon.com/athena/latest/ug/compression-formats.html ,
https://docs.aws.amazon.com/athena/latest/ug/tables-location-format.html (objects starting with _ or .),
https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html (\\N is NULL).
"""

from __future__ import annotations

import gzip
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from adapters.athena.interface import FAILED
from tests.unit.athena_helpers import Lake, scratch_lake


@pytest.fixture
def lake(harness) -> Iterator[Lake]:
    with scratch_lake(harness.account) as created:
        created.ok("CREATE DATABASE db")
        yield created


def _parquet(sql: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "x.parquet"
        duckdb.connect().execute(f"COPY ({sql}) TO '{target}' (FORMAT PARQUET)")
        return target.read_bytes()


def test_json_serde_table_from_ddl(lake):
    lake.ok(
        "CREATE EXTERNAL TABLE db.events (kind string, n int, tags array<string>) "
        f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '{lake.location('ev/')}'"
    )
    lake.put("ev/a.json", '{"kind": "a", "n": 1, "tags": ["x", "y"]}\n\n{"kind": "b", "n": "two"}\n')

    _, rows = lake.ok("SELECT kind, n FROM db.events ORDER BY kind")

    assert rows == [["a", "1"], ["b", None]]


def test_malformed_json_fails_unless_the_table_ignores_it(lake):
    ddl = (
        "CREATE EXTERNAL TABLE db.{name} (kind string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' "
        "{props} LOCATION '" + lake.location("bad/") + "'"
    )
    lake.ok(ddl.format(name="strict", props=""))
    lake.ok(ddl.format(name="lenient", props="WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')"))
    lake.put("bad/a.json", '{"kind": "a"}\n[\n')

    strict = lake.run("SELECT * FROM db.strict")

    assert strict.state == FAILED and strict.reason.startswith("HIVE_CURSOR_ERROR: Row is not a valid JSON Object")
    assert lake.ok("SELECT kind FROM db.lenient ORDER BY kind")[1] == [["a"], [None]]


def test_parquet_reads_only_the_columns_a_query_names(lake):
    lake.ok(
        "CREATE EXTERNAL TABLE db.sales (region string, revenue double, note string) "
        f"STORED AS PARQUET LOCATION '{lake.location('pq/')}'"
    )
    body = _parquet(
        "SELECT 'R' || (i % 3) AS Region, i * 1.5 AS revenue, repeat('x', 200) || i AS note FROM range(300) t(i)"
    )
    lake.put("pq/part-0.parquet", body)

    narrow = lake.run("SELECT region, sum(revenue) FROM db.sales GROUP BY region")
    wide = lake.run("SELECT * FROM db.sales")

    assert lake.athena.query_results(narrow.query_id).rows[0][0] in {"R0", "R1", "R2"}
    assert 0 < narrow.data_scanned_bytes < wide.data_scanned_bytes <= len(body)


def test_crawler_style_parquet_ddl_and_a_column_the_files_lack(lake):
    lake.ok(
        "CREATE EXTERNAL TABLE db.p (a int, missing string) "
        "ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' "
        "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat' "
        "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat' "
        f"LOCATION '{lake.location('p/')}'"
    )
    lake.put("p/x.parquet", _parquet("SELECT 7 AS a"))

    assert lake.ok("SELECT a, missing FROM db.p")[1] == [["7", None]]


def test_tab_separated_text_with_hive_nulls_gzip_and_hidden_objects(lake):
    lake.ok(
        "CREATE EXTERNAL TABLE db.t (name string, n bigint) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' "
        f"LOCATION '{lake.location('t/')}'"
    )
    lake.put("t/a.tsv", "a\t1\n\\N\t2\n\t3\n")
    lake.put("t/b.tsv.gz", gzip.compress(b"gz\t4\n"))
    lake.put("t/_SUCCESS", "ignored\t99\n")
    lake.put("t/.hidden", "ignored\t98\n")

    _, rows = lake.ok("SELECT name, n FROM db.t ORDER BY n")

    assert rows == [["a", "1"], [None, "2"], ["", "3"], ["gz", "4"]]


def test_catalog_errors_fail_the_query(lake):
    lake.ok("CREATE EXTERNAL TABLE db.t (a int) LOCATION '" + lake.location("t/") + "'")

    again = lake.run("CREATE DATABASE db")
    not_empty = lake.run("DROP DATABASE db")
    two = lake.run("SELECT 1; SELECT 2")
    schema = lake.run("SELECT * FROM nowhere.t")

    assert again.state == FAILED and "Database db already exists" in again.reason
    assert not_empty.state == FAILED and "is not empty" in not_empty.reason
    assert two.state == FAILED and two.reason.startswith("Only one sql statement is allowed")
    assert schema.reason == "SCHEMA_NOT_FOUND: line 1:15: Schema 'nowhere' does not exist"
    lake.ok("DROP DATABASE db CASCADE")
    assert lake.glue.get_databases()["DatabaseList"] == [] or "db" not in {
        d["Name"] for d in lake.glue.get_databases()["DatabaseList"]
    }


def test_trino_semantics_integer_division_and_unnamed_columns(lake):
    columns, rows = lake.ok("SELECT 7 / 2, 7.0 / 2 AS half, 1e7, CAST('2025-01-02' AS date)")

    assert columns == ["_col0", "half", "_col2", "_col3"]
    assert rows == [["3", "3.5", "1.0E7", "2025-01-02"]]
