"""A handler that runs one Athena query with plain boto3 and returns its rows, as a user's function would."""

import time

import boto3


def run(event, context):
    """Start `event["sql"]`, poll until it ends, return the state and the rows (header row included)."""
    athena = boto3.client("athena")
    query_id = athena.start_query_execution(
        QueryString=event["sql"], ResultConfiguration={"OutputLocation": event["output"]}
    )["QueryExecutionId"]
    while True:
        status = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
        if status["State"] in {"SUCCEEDED", "FAILED", "CANCELLED"}:
            break
        time.sleep(0.1)
    if status["State"] != "SUCCEEDED":
        return {"state": status["State"], "reason": status.get("StateChangeReason")}
    rows = athena.get_query_results(QueryExecutionId=query_id)["ResultSet"]["Rows"]
    return {"state": "SUCCEEDED", "rows": [[d.get("VarCharValue") for d in r["Data"]] for r in rows]}
