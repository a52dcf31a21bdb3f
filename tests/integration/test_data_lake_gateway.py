"""Pattern 14 through the gateway: boto3's athena client reaches the served Athena API.

Oracle: https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
"""

from __future__ import annotations

from harness.athena_queries import run_query
from harness.functions.spec import FunctionSpec
from provisioning.stacks.data_lake import data_lake_stack, seed_queries
from tests.integration.data_lake_helpers import drop_catalog, unique_bucket


def test_boto3_athena_client_runs_the_seed_queries(harness):
    bucket = unique_bucket()
    harness.deploy(data_lake_stack(bucket))
    harness.invoke("DataLakeTransformer", {"bucket": bucket, "key": "raw/sales.csv"}).value()
    athena = harness.client("athena")
    try:
        answers = [run_query(athena, sql, f"s3://{bucket}/athena-results/") for sql in seed_queries(bucket)]
        unknown = run_query(athena, "SELECT * FROM nope", f"s3://{bucket}/athena-results/", database="sales_datalake")
        paged = athena.get_query_results(QueryExecutionId=answers[2].execution["QueryExecutionId"], MaxResults=2)
    finally:
        drop_catalog(harness)

    assert [a.state for a in answers] == ["SUCCEEDED"] * 4
    assert [r[0] for r in answers[2].rows] == ["North", "West", "South", "East"]
    assert unknown.state == "FAILED"
    assert "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.sales_datalake.nope' does not exist" in unknown.reason
    assert paged["ResultSet"]["Rows"][0]["Data"][0] == {"VarCharValue": "region"}
    assert "NextToken" in paged


def test_a_function_queries_athena_with_plain_boto3(harness):
    bucket = unique_bucket()
    harness.deploy(data_lake_stack(bucket).with_functions(FunctionSpec("Analyst", "tests.handlers.athena_query.run")))
    harness.invoke("DataLakeTransformer", {"bucket": bucket, "key": "raw/sales.csv"}).value()
    output = f"s3://{bucket}/athena-results/"
    try:
        for sql in seed_queries(bucket)[:2]:
            assert harness.invoke("Analyst", {"sql": sql, "output": output}).value()["state"] == "SUCCEEDED"
        answer = harness.invoke("Analyst", {"sql": seed_queries(bucket)[3], "output": output}).value()
    finally:
        drop_catalog(harness)

    assert answer["rows"][0] == ["product", "transactions", "total_units", "total_revenue"]
    assert answer["rows"][1][:3] == ["Pro", "1", "3"]
