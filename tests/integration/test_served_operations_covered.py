"""Every operation the harness serves is exercised by some test, where its answer is checked against botocore.

The `harness` fixture checks every served answer against botocore's output shape as it is sent, and
`harness.served.shapes.call_operation` does the same for an API called directly; this test makes sure no
served operation escapes both, by finding each one in the test sources (as a boto3 method call or by name).
"""

from __future__ import annotations

import re
from pathlib import Path

from botocore import xform_name

TESTS = Path(__file__).resolve().parents[1]


def test_every_served_operation_is_called_by_a_test(harness):
    sources = "\n".join(p.read_text() for p in TESTS.rglob("*.py") if p.name != Path(__file__).name)
    missing = []
    for service, operations in harness.gateway.served_services().items():
        for operation in operations:
            called = re.search(rf"\.{xform_name(operation)}\(", sources) or f'"{operation}"' in sources
            if not called:
                missing.append(f"{service}.{operation}")
    assert not missing, f"served operations no test calls: {missing}"
