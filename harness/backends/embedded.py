"""The embedded backend: moto's threaded server on a free loopback port, in this process."""

from __future__ import annotations

import logging
import time
from importlib.metadata import version

from harness.backends import in_process, moto_fixes
from harness.backends.base import DEFAULT_REGION, Account, Credentials, random_account_id


class EmbeddedBackend:
    """moto's server on 127.0.0.1; each account is reached through credentials from moto's STS.

    Example:
        >>> backend = EmbeddedBackend().start()
        >>> account = backend.new_account()
        >>> account.client("sqs").list_queues()  # doctest: +SKIP
        >>> backend.stop()
    """

    name = "embedded"

    def __init__(self, region: str = DEFAULT_REGION) -> None:
        self.region = region
        self.endpoint_url = ""
        self.start_seconds = 0.0
        self._server = None

    def start(self) -> EmbeddedBackend:
        """Start the server (idempotent) and return self."""
        if self._server is not None:
            return self
        began = time.perf_counter()
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        self._server = server
        self.endpoint_url = f"http://{host}:{port}"
        self._configure()
        in_process.register(self.endpoint_url, server._server.app)  # type: ignore[union-attr]
        self.start_seconds = time.perf_counter() - began
        return self

    def _configure(self) -> None:
        # AWS managed policies (the seed's LambdaLabRole attaches eleven of them) come from
        # moto_fixes.managed_policies_in_the_aws_partition; moto's server runs in this process.
        from moto.core.config import default_user_config

        # moto's own ASL engine: it validates definitions at creation, and the differential tests run it.
        default_user_config.setdefault("stepfunctions", {})["execute_state_machine"] = True
        moto_fixes.apply_all()

    def describe(self) -> str:
        """What runs where."""
        return f"embedded (moto {version('moto')} server on {self.endpoint_url or 'not started'})"

    def new_account(self, account_id: str | None = None) -> Account:
        """An isolated account: moto maps the assumed role's credentials to its account."""
        if self._server is None:
            raise RuntimeError("the embedded backend is not started; call start() first")
        account_id = account_id or random_account_id()
        bootstrap = Account(account_id, self.region, self.endpoint_url, Credentials("harness", "harness"))
        issued = bootstrap.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account_id}:role/harness", RoleSessionName="harness"
        )["Credentials"]
        credentials = Credentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"])
        return Account(account_id, self.region, self.endpoint_url, credentials)

    def forget_metrics(self, account: Account) -> None:
        """Drop the metric data of an account, so that the next user of it starts with none.

        CloudWatch has no API to delete metric data; the embedded server runs in this process, so it can.
        """
        from moto.cloudwatch.models import cloudwatch_backends

        if account.account_id in cloudwatch_backends and account.region in cloudwatch_backends[account.account_id]:
            backend = cloudwatch_backends[account.account_id][account.region]
            backend.metric_data = []
            backend.paged_metric_data = {}

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self._server is not None:
            in_process.unregister(self.endpoint_url)
            self._server.stop()
            self._server = None
