"""Memory stays flat: a worker that runs hundreds of tests does not keep what each test's harness loaded.

Each test's harness imports every function's handler privately (its cold start) and gives it boto3
clients; once the harness closes, none of that may stay reachable from `sys.modules`.
"""

from __future__ import annotations

import gc
import os
import sys

from harness.core import Harness
from provisioning.stacks import stream_processing_stack

ROUNDS = int(os.environ.get("HARNESS_MEMORY_ROUNDS", "200"))
WARM_UP = 20
LIMIT_MB = 20


def resident_mb() -> float:
    """This process's resident set size, from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def one_test_worth(aws_backend, aws_accounts) -> None:
    """What a test does with its harness: start it, cold-start functions that make boto3 clients, close it."""
    account = aws_accounts.acquire()
    harness = Harness(aws_backend, account=account)
    clean = False
    try:
        for spec in stream_processing_stack().functions:
            harness.register(spec)
        assert harness.invoke("SensorProducer", {"count": 0}).value() == {"sent": 0}
        assert harness.invoke("SensorStreamProcessor", {"Records": []}).error is not None
        harness.drain()
        harness.close()
        clean = True
    finally:
        aws_accounts.release(account, clean=clean)


def private_handler_modules() -> list[str]:
    return [name for name in sys.modules if name.startswith("_harness_function_")]


def test_a_closed_harness_leaves_no_handler_module_behind(aws_backend, aws_accounts):
    before = set(private_handler_modules())

    one_test_worth(aws_backend, aws_accounts)

    assert set(private_handler_modules()) == before


def test_two_hundred_tests_worth_of_harness_use_keep_resident_memory_flat(aws_backend, aws_accounts):
    if not os.path.exists("/proc/self/statm"):
        import pytest

        pytest.skip("resident memory is read from /proc")
    for _ in range(WARM_UP):
        one_test_worth(aws_backend, aws_accounts)
    gc.collect()
    start = resident_mb()

    for _ in range(ROUNDS):
        one_test_worth(aws_backend, aws_accounts)
    gc.collect()
    grown = resident_mb() - start

    print(f"resident memory grew {grown:.1f} MB over {ROUNDS} tests' worth of harness use")
    assert grown < LIMIT_MB
