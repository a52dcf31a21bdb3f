"""Handlers the Step Functions conformance cases invoke."""


def echo(event, context):
    return {"received": event}


def returns_bytes(event, context):
    return b'{"raw": true}'
