"""Accounts ready for use: the seed's Start-of-Day setup done once per account, reused between tests.

A test takes an account, and gives it back when everything it created has been destroyed; an account
whose cleanup failed is never handed out again. The LambdaLabRole is account-level setup (the seed
creates it once, at the start of the day), so it stays with the account until the pool closes.
"""

from __future__ import annotations

import threading

from harness.backends.base import Account, Backend
from harness.backends.lab_role import lambda_lab_role


class AccountPool:
    """Hands out prepared accounts of one backend."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._idle: list[Account] = []
        self._all: list[Account] = []
        self._lock = threading.Lock()

    def acquire(self) -> Account:
        """A clean account with LambdaLabRole in place."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        account = self.backend.new_account()
        lambda_lab_role().create(account)
        with self._lock:
            self._all.append(account)
        return account

    def release(self, account: Account, *, clean: bool) -> None:
        """Give an account back; a dirty one is retired."""
        if clean:
            # Metric data cannot be deleted through CloudWatch's API; a backend that can, forgets it.
            forget_metrics = getattr(self.backend, "forget_metrics", None)
            if forget_metrics is not None:
                forget_metrics(account)
            with self._lock:
                self._idle.append(account)

    def close(self) -> None:
        """Delete the account-level setup of every account handed out."""
        with self._lock:
            accounts, self._all, self._idle = self._all, [], []
        for account in accounts:
            lambda_lab_role().delete(account)
