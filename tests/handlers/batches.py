"""Batch handlers for event source tests: they log what they saw and fail where told to."""

import base64
import json

ATTEMPTS = {}


def _kinesis_body(record):
    return json.loads(base64.b64decode(record["kinesis"]["data"]))


def poison_kinesis(event, context):
    """Fails the whole batch if any record carries "poison": true."""
    bodies = [_kinesis_body(r) for r in event["Records"]]
    if any(body.get("poison") for body in bodies):
        raise ValueError(f"poison record in batch of {len(bodies)}")
    for record, body in zip(event["Records"], bodies, strict=True):
        print(f"processed {body['n']} seq={record['kinesis']['sequenceNumber']}")
    return {"processed": len(bodies)}


def partial_kinesis(event, context):
    """Reports records with "flaky": true as failed the first time it sees them."""
    failures = []
    for record in event["Records"]:
        body = _kinesis_body(record)
        sequence = record["kinesis"]["sequenceNumber"]
        ATTEMPTS[sequence] = ATTEMPTS.get(sequence, 0) + 1
        if body.get("flaky") and ATTEMPTS[sequence] == 1:
            print(f"failed {body['n']}")
            failures.append({"itemIdentifier": sequence})
            break  # ordered processing stops at the first failure
        print(f"processed {body['n']}")
    return {"batchItemFailures": failures}


def always_fail(event, context):
    raise RuntimeError(f"cannot handle {len(event['Records'])} records")


def partial_sqs(event, context):
    """Reports messages whose body says "fail" as failed; logs the others."""
    failures = []
    for record in event["Records"]:
        if record["body"].startswith("fail"):
            failures.append({"itemIdentifier": record["messageId"]})
            print(f"failed {record['body']} receive={record['attributes']['ApproximateReceiveCount']}")
        else:
            print(f"processed {record['body']}")
    return {"batchItemFailures": failures}
