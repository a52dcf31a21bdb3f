"""The endpoint backend: any running LocalStack-compatible emulator at a URL."""

from __future__ import annotations

import urllib.error
import urllib.request

from harness.backends.base import DEFAULT_REGION, Account, Credentials, random_account_id
from harness.backends.errors import BackendUnavailable
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

    def check_reachable(self, timeout: float = 5.0) -> EndpointBackend:
        """Return self if anything answers HTTP at the endpoint; BackendUnavailable names it otherwise."""
        try:
            urllib.request.urlopen(self.endpoint_url, timeout=timeout).close()
        except urllib.error.HTTPError:
            pass  # an HTTP answer, even an error, means an emulator is there
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BackendUnavailable(
                f"no emulator answered at {self.endpoint_url} ({reason}); start one (e.g. `docker compose up`) "
                "or drop --aws-endpoint / AWS_ENDPOINT_URL to use the embedded backend"
            ) from None
        return self

    def describe(self) -> str:
        """What runs where."""
        return f"endpoint ({self.endpoint_url})"

    def new_account(self, account_id: str | None = None) -> Account:
        """An account selected by its id as access key, as LocalStack does."""
        return localstack_account(account_id or random_account_id(), self.region, self.endpoint_url)

    def stop(self) -> None:
        """Nothing to stop: the emulator belongs to someone else."""
