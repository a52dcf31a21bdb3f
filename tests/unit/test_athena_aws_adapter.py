"""The `aws` Athena adapter against botocore's Stubber, which checks every request and answer against Athena's model.

Oracle: https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html (the header row)
"""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from adapters.athena import VARIABLE, athena_adapter
from adapters.athena.aws import AwsAthena
from adapters.athena.interface import AthenaRequestError, NamedQuery, QueryRequest
from adapters.athena.local.engine import LocalAthena

WHEN = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def stubbed():
    client = boto3.client("athena", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    with Stubber(client) as stubber:
        yield AwsAthena(client), stubber
        stubber.assert_no_pending_responses()


def test_start_query_passes_context_output_and_parameters(stubbed):
    athena, stub = stubbed
    stub.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q-1"},
        {
            "QueryString": "SELECT ?",
            "WorkGroup": "primary",
            "QueryExecutionContext": {"Catalog": "AwsDataCatalog", "Database": "sales"},
            "ResultConfiguration": {"OutputLocation": "s3://b/r/"},
            "ExecutionParameters": ["1"],
        },
    )

    query_id = athena.start_query(QueryRequest("SELECT ?", "sales", output_location="s3://b/r/", parameters=("1",)))

    assert query_id == "q-1"


def test_query_execution_maps_status_and_statistics(stubbed):
    athena, stub = stubbed
    stub.add_response(
        "get_query_execution",
        {
            "QueryExecution": {
                "QueryExecutionId": "q-1",
                "Query": "SELECT x",
                "StatementType": "DML",
                "Status": {
                    "State": "FAILED",
                    "StateChangeReason": "line 1:8: Column 'x' cannot be resolved",
                    "SubmissionDateTime": WHEN,
                    "AthenaError": {"ErrorCategory": 2},
                },
                "Statistics": {"DataScannedInBytes": 42},
                "WorkGroup": "primary",
            }
        },
        {"QueryExecutionId": "q-1"},
    )

    execution = athena.query_execution("q-1")

    assert (execution.state, execution.error_category, execution.data_scanned_bytes) == ("FAILED", 2, 42)
    assert "cannot be resolved" in execution.reason


def test_query_results_reads_every_page_and_drops_the_header_row(stubbed):
    athena, stub = stubbed
    info = {"ColumnInfo": [{"Name": "region", "Type": "varchar"}]}
    stub.add_response(
        "get_query_results",
        {
            "ResultSet": {
                "Rows": [{"Data": [{"VarCharValue": "region"}]}, {"Data": [{"VarCharValue": "North"}]}],
                "ResultSetMetadata": info,
            },
            "NextToken": "t",
        },
        {"QueryExecutionId": "q-1"},
    )
    stub.add_response(
        "get_query_results",
        {"ResultSet": {"Rows": [{"Data": [{}]}], "ResultSetMetadata": info}},
        {"QueryExecutionId": "q-1", "NextToken": "t"},
    )
    stub.add_response(
        "get_query_execution",
        {"QueryExecution": {"QueryExecutionId": "q-1", "StatementType": "DML"}},
        {"QueryExecutionId": "q-1"},
    )

    result = athena.query_results("q-1")

    assert [c.name for c in result.columns] == ["region"]
    assert result.rows == [["North"], [None]]
    assert result.header


def test_client_errors_become_request_errors(stubbed):
    athena, stub = stubbed
    stub.add_client_error("get_work_group", "InvalidRequestException", "WorkGroup nope is not found.")

    with pytest.raises(AthenaRequestError) as refused:
        athena.work_group("nope")

    assert refused.value.code == "InvalidRequestException"


def test_named_queries_and_workgroups(stubbed):
    athena, stub = stubbed
    stub.add_response(
        "create_named_query",
        {"NamedQueryId": "n-1"},
        {"Name": "top", "Database": "sales", "QueryString": "SELECT 1", "WorkGroup": "primary"},
    )
    stub.add_response(
        "list_work_groups", {"WorkGroups": [{"Name": "primary", "State": "ENABLED", "CreationTime": WHEN}]}, {}
    )
    stub.add_response(
        "update_work_group",
        {},
        {
            "WorkGroup": "primary",
            "ConfigurationUpdates": {"ResultConfigurationUpdates": {"OutputLocation": "s3://b/r/"}},
        },
    )

    assert athena.create_named_query(NamedQuery("", "top", "sales", "SELECT 1")) == "n-1"
    assert [g.name for g in athena.work_groups()] == ["primary"]
    athena.set_work_group_output("primary", "s3://b/r/")


def test_factory_is_local_by_default_and_refuses_an_unknown_choice(harness):
    client = boto3.client("athena", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")

    assert isinstance(athena_adapter(harness.account, {}), LocalAthena)
    assert isinstance(athena_adapter(harness.account, {VARIABLE: "aws"}, athena_client=client), AwsAthena)
    with pytest.raises(ValueError, match="HARNESS_ALLOW_REAL_AWS=yes"):
        athena_adapter(harness.account, {VARIABLE: "aws"})
    with pytest.raises(ValueError, match="HARNESS_ATHENA_ADAPTER='presto'"):
        athena_adapter(harness.account, {VARIABLE: "presto"})
