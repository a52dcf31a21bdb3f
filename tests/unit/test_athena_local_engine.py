"""The local Athena engine: Hive DDL into Glue, text SerDes read as Hive reads them, Athena's errors.

Oracle: https://docs.aws.amazon.com/athena/latest/ug/create-table.html ,
https://docs.aws.amazon.com/athena/latest/ug/lazy-simple-serde.html ,
https://docs.aws.amazon.com/athena/latest/ug/csv-serde.html , .../json-serde.html ,
https://docs.aws.amazon.com/athena/latest/ug/querying.html (result files).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.athena.interface import FAILED, AthenaRequestError, QueryRequest
from tests.unit.athena_helpers import Lake, scratch_lake

SALES_DDL = """CREATE EXTERNAL TABLE IF NOT EXISTS shop.sales (
  date STRING, product STRING, quantity INT, revenue DOUBLE
)
ROW FORMAT DELIMITED
FIELDS TERMINATED BY ','
LINES TERMINATED BY '\\n'
LOCATION '{location}'
TBLPROPERTIES ('skip.header.line.count'='1');"""


@pytest.fixture
def lake(harness) -> Iterator[Lake]:
    with scratch_lake(harness.account) as created:
        yield created


def _sales(lake: Lake) -> None:
    lake.ok("CREATE DATABASE IF NOT EXISTS shop")
    lake.ok(SALES_DDL.format(location=lake.location("sales/")))


def test_delimited_table_reads_every_object_and_skips_each_header(lake):
    _sales(lake)
    lake.put("sales/a.csv", "date,product,quantity,revenue\n2025-01-01,Widget,10,99.90\n")
    lake.put("sales/b.csv", "date,product,quantity,revenue\n2025-01-02,Gadget,5,249.95\n")

    columns, rows = lake.ok("SELECT product, quantity, revenue FROM shop.sales ORDER BY product")

    assert columns == ["product", "quantity", "revenue"]
    assert rows == [["Gadget", "5", "249.95"], ["Widget", "10", "99.9"]]


def test_new_objects_appear_in_the_next_query(lake):
    _sales(lake)
    lake.put("sales/a.csv", "h\n2025-01-01,Widget,10,99.90\n")
    assert lake.ok("SELECT count(*) AS n FROM shop.sales")[1] == [["1"]]

    lake.put("sales/more/b.csv", "h\n2025-01-02,Gadget,5,249.95\n")

    assert lake.ok("SELECT count(*) AS n FROM shop.sales")[1] == [["2"]]


def test_short_lines_give_nulls_and_unparsable_values_give_null(lake):
    _sales(lake)
    lake.put("sales/a.csv", "h\n2025-01-01,Widget\n2025-01-02,Gadget,many,1.5\n")

    _, rows = lake.ok("SELECT product, quantity, revenue FROM shop.sales ORDER BY product")

    assert rows == [["Gadget", None, "1.5"], ["Widget", None, None]]


def test_create_external_table_is_visible_in_glue(lake):
    _sales(lake)

    table = lake.glue.get_table(DatabaseName="shop", Name="sales")["Table"]

    descriptor = table["StorageDescriptor"]
    assert [c["Name"] for c in descriptor["Columns"]] == ["date", "product", "quantity", "revenue"]
    assert descriptor["Location"] == lake.location("sales/")
    assert descriptor["SerdeInfo"]["Parameters"]["field.delim"] == ","
    assert table["Parameters"]["skip.header.line.count"] == "1"
    assert table["TableType"] == "EXTERNAL_TABLE"


def test_a_table_created_through_the_glue_api_can_be_queried(lake):
    lake.glue.create_database(DatabaseInput={"Name": "crawled"})
    lake.glue.create_table(
        DatabaseName="crawled",
        TableInput={
            "Name": "events",
            "StorageDescriptor": {
                "Columns": [{"Name": "kind", "Type": "string"}, {"Name": "n", "Type": "bigint"}],
                "Location": lake.location("events/"),
                "SerdeInfo": {"SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe"},
            },
        },
    )
    lake.put("events/1.json", '{"kind": "click", "n": 3}\n{"Kind": "view", "n": 4, "extra": true}\n')

    _, rows = lake.ok("SELECT kind, n FROM events ORDER BY n", database="crawled")

    assert rows == [["click", "3"], ["view", "4"]]


def test_open_csv_serde_reads_quoted_fields(lake):
    lake.ok("CREATE DATABASE shop")
    lake.ok(
        "CREATE EXTERNAL TABLE shop.people (name string, city string, age int) "
        "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' "
        "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"') "
        f"LOCATION '{lake.location('people/')}' TBLPROPERTIES ('skip.header.line.count'='1')"
    )
    lake.put("people/p.csv", 'name,city,age\n"Doe, Jane","Paris",41\n"Roe","",x\n')

    _, rows = lake.ok("SELECT name, city, age FROM shop.people ORDER BY name")

    assert rows == [["Doe, Jane", "Paris", "41"], ["Roe", "", None]]


def test_partitions_by_prefix_with_msck_repair_and_add_partition(lake):
    lake.ok("CREATE DATABASE shop")
    lake.ok(
        "CREATE EXTERNAL TABLE shop.sales (product string, revenue double) PARTITIONED BY (year string) "
        f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '{lake.location('p/')}'"
    )
    lake.put("p/year=2024/a.csv", "Widget,1.0\n")
    lake.put("p/year=2025/a.csv", "Gadget,2.0\n")
    lake.put("elsewhere/x.csv", "Device,3.0\n")
    assert lake.ok("SELECT * FROM shop.sales")[1] == []

    repaired = lake.ok("MSCK REPAIR TABLE shop.sales")[1]
    lake.ok(f"ALTER TABLE shop.sales ADD PARTITION (year='2023') LOCATION '{lake.location('elsewhere/')}'")

    assert any("Repair: Added partition to metastore sales:year=2024" in r[0] for r in repaired)
    _, rows = lake.ok("SELECT year, product FROM shop.sales ORDER BY year")
    assert rows == [["2023", "Device"], ["2024", "Widget"], ["2025", "Gadget"]]
    _, rows = lake.ok("SELECT product FROM shop.sales WHERE year = '2025'")
    assert rows == [["Gadget"]]
    assert lake.ok("SHOW PARTITIONS shop.sales")[1] == [["year=2023"], ["year=2024"], ["year=2025"]]


def test_show_describe_and_drop(lake):
    _sales(lake)

    assert ["shop"] in lake.ok("SHOW DATABASES")[1]
    assert lake.ok("SHOW TABLES IN shop")[1] == [["sales"]]
    assert lake.ok("DESCRIBE shop.sales")[1][2] == ["quantity", "int", ""]
    lake.ok("DROP TABLE shop.sales")
    assert lake.ok("SHOW TABLES IN shop")[1] == []
    lake.ok("DROP DATABASE shop")
    assert ["shop"] not in lake.ok("SHOW DATABASES")[1]


def test_unknown_column_fails_with_athenas_message(lake):
    _sales(lake)

    execution = lake.run("SELECT x FROM shop.sales")

    assert execution.state == FAILED
    assert "line 1:8: Column 'x' cannot be resolved" in execution.reason


def test_unknown_table_fails_with_athenas_message(lake):
    lake.ok("CREATE DATABASE db")

    execution = lake.run("SELECT * FROM t", database="db")

    assert execution.state == FAILED
    assert execution.reason == "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.db.t' does not exist"


def test_syntax_error_and_type_mismatch_fail_the_query(lake):
    _sales(lake)

    syntax = lake.run("SELECT product FROM shop.sales WHERE")
    mismatch = lake.run("SELECT sum(product) FROM shop.sales")

    compared = lake.run("SELECT product FROM shop.sales WHERE quantity = 'ten'")

    assert compared.reason == "TYPE_MISMATCH: line 1:38: Cannot apply operator: integer = varchar(3)"
    assert syntax.state == FAILED and syntax.reason.startswith("line 1:")
    assert mismatch.state == FAILED and "TYPE_MISMATCH" in mismatch.reason and "sum" in mismatch.reason


def test_grouping_and_unknown_functions_fail_as_trino_says(lake):
    _sales(lake)

    grouped = lake.run("SELECT product, count(*) FROM shop.sales")
    unknown = lake.run("SELECT frobnicate(product) FROM shop.sales")

    assert grouped.reason.startswith("EXPRESSION_NOT_AGGREGATE: line 1:8: 'product' must be an aggregate")
    assert unknown.reason == "FUNCTION_NOT_FOUND: line 1:8: Function 'frobnicate' not registered"


def test_results_are_written_as_csv_with_metadata(lake):
    _sales(lake)
    lake.put("sales/a.csv", 'h\n2025-01-01,Widget,10,99.90\n2025-01-01,"Q",,\n')

    execution = lake.run("SELECT product, quantity FROM shop.sales ORDER BY product")

    assert execution.output_location == f"{lake.results}{execution.query_id}.csv"
    key = execution.output_location.split("/", 3)[3]
    assert lake.get(key).decode() == '"product","quantity"\n"""Q""",\n"Widget","10"\n'
    assert b"quantity" in lake.get(key + ".metadata")
    assert execution.data_scanned_bytes == len('h\n2025-01-01,Widget,10,99.90\n2025-01-01,"Q",,\n')


def test_no_output_location_is_refused(lake):
    with pytest.raises(AthenaRequestError, match="No output location provided"):
        lake.athena.start_query(QueryRequest("SELECT 1"))
