"""The endpoint backend: any running LocalStack-compatible emulator at a URL."""

from __future__ import annotations

from harness.backends.base import DEFAULT_REGION, Account, Credentials, random_account_id
from harness.backends.guard import check_endpoint


def localstack_account(account_id: str, region: str, endpoint_url: str) -> Account:
    """LocalStack selects the account from a 12-digit access key id."""
    return Account(account_id, region, endpoint_url, Credentials(account_id, "test"))


class EndpointBackend:
    """An emulator that something else started: `docker compose up`, a CI service, a shared server.

    Example:
        >>> backend = EndpointBackend("http://127.0.0.1:4566")
        >>> backend.new_account("000000000000").account_id
        '000000000000'
    """

    name = "endpoint"

    def __init__(self, endpoint_url: str, region: str = DEFAULT_REGION, *, allow_real_aws: bool = False) -> None:
        self.endpoint_url = check_endpoint(endpoint_url.rstrip("/"), allow_real_aws=allow_real_aws)
        self.region = region

    def describe(self) -> str:
        """What runs where."""
        return f"endpoint ({self.endpoint_url})"

    def new_account(self, account_id: str | None = None) -> Account:
        """An account selected by its id as access key, as LocalStack does."""
        return localstack_account(account_id or random_account_id(), self.region, self.endpoint_url)

    def stop(self) -> None:
        """Nothing to stop: the emulator belongs to someone else."""
