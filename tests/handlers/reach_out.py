"""A handler that tries to reach an endpoint of its choosing, as a misconfigured handler would."""

import boto3


def lambda_handler(event, context):
    client = boto3.client("dynamodb", endpoint_url=event["endpoint"])
    return client.list_tables()["TableNames"]
