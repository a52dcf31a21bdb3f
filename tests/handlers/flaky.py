"""A stream consumer that fails about one invocation in ten (seeded), logging each record it accepts."""

import base64
import json
import random

_draw = random.Random(12)


def one_in_ten(event, context):
    """Fails the whole batch about 10% of the time; otherwise logs `ok <round> <n>` per record."""
    if _draw.random() < 0.1:
        raise RuntimeError(f"flaky failure on a batch of {len(event['Records'])}")
    for record in event["Records"]:
        body = json.loads(base64.b64decode(record["kinesis"]["data"]))
        print(f"ok {body['round']} {body['n']}")
    return {"processed": len(event["Records"])}
