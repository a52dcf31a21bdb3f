"""The served Athena API over the local engine, each operation checked against botocore's shapes.

Oracle: https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html (header row,
MaxResults, NextToken), .../API_GetQueryExecution.html , .../API_StartQueryExecution.html ,
.../API_GetWorkGroup.html , .../API_CreateNamedQuery.html , .../API_ListTableMetadata.html
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harness.served.athena import AthenaApi
from harness.served.service import AwsError
from harness.served.shapes import call_operation
from tests.unit.athena_helpers import Lake, scratch_lake


@pytest.fixture
def lake(harness) -> Iterator[Lake]:
    with scratch_lake(harness.account) as created:
        yield created


@pytest.fixture
def api(lake) -> AthenaApi:
    return AthenaApi(lake.athena)


def _start(api: AthenaApi, lake: Lake, sql: str, **extra) -> str:
    params = {"QueryString": sql, "ResultConfiguration": {"OutputLocation": lake.results}, **extra}
    return call_operation(api, "StartQueryExecution", params)["QueryExecutionId"]


def _regions(api: AthenaApi, lake: Lake) -> None:
    _start(api, lake, "CREATE DATABASE geo")
    _start(
        api,
        lake,
        "CREATE EXTERNAL TABLE geo.regions (name string, n int) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
        f"LOCATION '{lake.location('regions/')}'",
    )
    lake.put("regions/r.csv", "North,1\nSouth,2\nEast,3\nWest,\n")


def test_results_start_with_the_header_row_and_page(api, lake):
    _regions(api, lake)
    query_id = _start(api, lake, "SELECT name, n FROM geo.regions ORDER BY name")

    first = call_operation(api, "GetQueryResults", {"QueryExecutionId": query_id, "MaxResults": 3})
    second = call_operation(
        api, "GetQueryResults", {"QueryExecutionId": query_id, "MaxResults": 3, "NextToken": first["NextToken"]}
    )

    rows = [
        [d.get("VarCharValue") for d in r["Data"]] for r in first["ResultSet"]["Rows"] + second["ResultSet"]["Rows"]
    ]
    assert rows == [["name", "n"], ["East", "3"], ["North", "1"], ["South", "2"], ["West", None]]
    assert "NextToken" not in second
    info = first["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"]) for c in info] == [("name", "varchar"), ("n", "integer")]
    assert second["ResultSet"]["ResultSetMetadata"] == first["ResultSet"]["ResultSetMetadata"]


def test_get_query_execution_describes_a_finished_query(api, lake):
    _regions(api, lake)
    query_id = _start(api, lake, "SELECT count(*) FROM regions", QueryExecutionContext={"Database": "geo"})

    execution = call_operation(api, "GetQueryExecution", {"QueryExecutionId": query_id})["QueryExecution"]

    assert execution["Status"]["State"] == "SUCCEEDED"
    assert execution["StatementType"] == "DML"
    assert execution["ResultConfiguration"]["OutputLocation"] == f"{lake.results}{query_id}.csv"
    assert execution["Statistics"]["DataScannedInBytes"] == len("North,1\nSouth,2\nEast,3\nWest,\n")
    assert execution["QueryExecutionContext"] == {"Database": "geo", "Catalog": "AwsDataCatalog"}
    assert execution["WorkGroup"] == "primary"


def test_a_failed_query_is_described_not_raised(api, lake):
    _regions(api, lake)
    query_id = _start(api, lake, "SELECT nope FROM geo.regions")

    status = call_operation(api, "GetQueryExecution", {"QueryExecutionId": query_id})["QueryExecution"]["Status"]

    assert status["State"] == "FAILED"
    assert "line 1:8: Column 'nope' cannot be resolved" in status["StateChangeReason"]
    assert status["AthenaError"]["ErrorCategory"] == 2
    with pytest.raises(AwsError) as refused:
        call_operation(api, "GetQueryResults", {"QueryExecutionId": query_id})
    assert refused.value.code == "InvalidRequestException"


def test_unknown_execution_and_missing_output_location_are_refused(api, lake):
    with pytest.raises(AwsError, match="was not found"):
        call_operation(api, "GetQueryExecution", {"QueryExecutionId": "nope"})
    with pytest.raises(AwsError, match="No output location provided"):
        call_operation(api, "StartQueryExecution", {"QueryString": "SELECT 1"})


def test_list_batch_get_and_stop(api, lake):
    first = _start(api, lake, "SELECT 1")
    second = _start(api, lake, "SELECT 2")

    listed = call_operation(api, "ListQueryExecutions", {})["QueryExecutionIds"]
    batch = call_operation(api, "BatchGetQueryExecution", {"QueryExecutionIds": [first, "missing"]})
    call_operation(api, "StopQueryExecution", {"QueryExecutionId": second})

    assert listed[:2] == [second, first]
    assert [e["QueryExecutionId"] for e in batch["QueryExecutions"]] == [first]
    assert batch["UnprocessedQueryExecutionIds"][0]["QueryExecutionId"] == "missing"
    state = call_operation(api, "GetQueryExecution", {"QueryExecutionId": second})["QueryExecution"]["Status"]
    assert state["State"] == "SUCCEEDED"


def test_execution_parameters_fill_placeholders(api, lake):
    _regions(api, lake)
    query_id = _start(
        api, lake, "SELECT n FROM geo.regions WHERE name = ? AND n > ?", ExecutionParameters=["'South'", "1"]
    )

    rows = call_operation(api, "GetQueryResults", {"QueryExecutionId": query_id})["ResultSet"]["Rows"]

    assert rows[1] == {"Data": [{"VarCharValue": "2"}]}


def test_workgroups_primary_and_a_workgroup_result_location(api, lake):
    assert [g["Name"] for g in call_operation(api, "ListWorkGroups", {})["WorkGroups"]] == ["primary"]
    call_operation(
        api,
        "CreateWorkGroup",
        {"Name": "analysts", "Configuration": {"ResultConfiguration": {"OutputLocation": f"s3://{lake.bucket}/wg/"}}},
    )

    query_id = call_operation(api, "StartQueryExecution", {"QueryString": "SELECT 1", "WorkGroup": "analysts"})[
        "QueryExecutionId"
    ]

    group = call_operation(api, "GetWorkGroup", {"WorkGroup": "analysts"})["WorkGroup"]
    assert group["Configuration"]["ResultConfiguration"]["OutputLocation"] == f"s3://{lake.bucket}/wg/"
    assert lake.get(f"wg/{query_id}.csv") == b'"_col0"\n"1"\n'
    call_operation(
        api,
        "UpdateWorkGroup",
        {
            "WorkGroup": "primary",
            "ConfigurationUpdates": {"ResultConfigurationUpdates": {"OutputLocation": lake.results}},
        },
    )
    assert call_operation(api, "StartQueryExecution", {"QueryString": "SELECT 1"})["QueryExecutionId"]
    assert call_operation(api, "ListQueryExecutions", {"WorkGroup": "analysts"})["QueryExecutionIds"] == [query_id]


def test_named_queries(api, lake):
    named_id = call_operation(
        api, "CreateNamedQuery", {"Name": "top", "Database": "geo", "QueryString": "SELECT 1", "Description": "d"}
    )["NamedQueryId"]

    named = call_operation(api, "GetNamedQuery", {"NamedQueryId": named_id})["NamedQuery"]
    listed = call_operation(api, "ListNamedQueries", {})["NamedQueryIds"]
    batch = call_operation(api, "BatchGetNamedQuery", {"NamedQueryIds": [named_id, "no-such-query"]})
    assert [q["NamedQueryId"] for q in batch["NamedQueries"]] == [named_id]
    assert [u["NamedQueryId"] for u in batch["UnprocessedNamedQueryIds"]] == ["no-such-query"]
    call_operation(api, "DeleteNamedQuery", {"NamedQueryId": named_id})

    assert (named["Name"], named["QueryString"], named["WorkGroup"]) == ("top", "SELECT 1", "primary")
    assert listed == [named_id]
    assert call_operation(api, "ListNamedQueries", {}).get("NamedQueryIds", []) == []


def test_catalog_browsing(api, lake):
    _regions(api, lake)

    catalogs = call_operation(api, "ListDataCatalogs", {})["DataCatalogsSummary"]
    databases = call_operation(api, "ListDatabases", {"CatalogName": "AwsDataCatalog"})["DatabaseList"]
    tables = call_operation(api, "ListTableMetadata", {"CatalogName": "AwsDataCatalog", "DatabaseName": "geo"})

    assert catalogs[0]["CatalogName"] == "AwsDataCatalog"
    assert {"Name": "geo"} in databases
    assert tables["TableMetadataList"][0]["Columns"] == [
        {"Name": "name", "Type": "string"},
        {"Name": "n", "Type": "int"},
    ]
    name = tables["TableMetadataList"][0]["Name"]
    one = call_operation(
        api, "GetTableMetadata", {"CatalogName": "AwsDataCatalog", "DatabaseName": "geo", "TableName": name}
    )["TableMetadata"]
    assert one == tables["TableMetadataList"][0]
