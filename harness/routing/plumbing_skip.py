"""Leaving the backend's own deliveries to plumbing queues out while the harness delivers an event itself.

When the backend is the embedded moto of this process and its fix `internal_queue_deliveries_can_be_skipped`
is in place, a call forwarded on this thread inside `plumbing_skipped(queues)` fills none of those queues:
no message to receive, skip and delete, and no queue route to consult the ledger. Otherwise (LocalStack,
another endpoint, the fix removed) the queues are filled as before and the ledger makes them skip.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator

from harness.backends import in_process, moto_fixes
from harness.backends.base import Account

FIX = "internal_queue_deliveries_can_be_skipped"


def plumbing_skippable(account: Account) -> bool:
    """Whether the backend's deliveries to plumbing queues can be left out (embedded backend, fix installed)."""
    return in_process.app_for(account.endpoint_url) is not None and moto_fixes.installed(FIX)


@contextlib.contextmanager
def plumbing_skipped(queue_names: Collection[str]) -> Iterator[None]:
    """On this thread, the backend's own deliveries to these queues are left out (where it can)."""
    with moto_fixes.queue_deliveries_skipped(queue_names):
        yield
