"""The data-plane backend interface: where AWS resources live and how to reach them."""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3
import botocore.session
from botocore.config import Config
from botocore.loaders import create_loader

from harness import activity, timeline
from harness.backends import botocore_speedups, in_process, in_process_calls, network_guard

DEFAULT_REGION = "us-east-1"

# Retries hide emulator errors that a test should see; keep them low and predictable.
CLIENT_CONFIG = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=60)


def new_model_loader() -> Any:
    """A loader of botocore's service models of its own; unlike a botocore session, it reads no ~/.aws."""
    return create_loader(os.environ.get("AWS_DATA_PATH"))


# Built without a botocore session: a session would read ~/.aws/config for `data_path` at import.
_shared_loader = new_model_loader()


def new_boto3_session(**kwargs: Any) -> boto3.Session:
    """A boto3 session that shares one cache of service models with every other harness session.

    Loading a service model costs tens of milliseconds; every in-process function has its own session,
    so sharing the (read-only) loader keeps cold starts cheap. The session never reads ~/.aws, and
    refuses a request to an endpoint outside the harness while the network guard is active.
    """
    botocore_speedups.apply_all()
    core = botocore.session.get_session()
    core.set_config_variable("config_file", os.devnull)
    core.set_config_variable("credentials_file", os.devnull)
    core.register_component("data_loader", _shared_loader)
    core.register("before-parameter-build", activity.remember_params)
    core.register("after-call", activity.after_call)
    core.register("before-parameter-build", timeline.remember_params)
    core.register("after-call", timeline.after_call)
    core.register("before-send", network_guard.before_send)
    core.register("before-send", activity.mark_request)
    core.register("before-send", in_process.before_send)
    return boto3.Session(botocore_session=core, **kwargs)


@dataclass(frozen=True)
class Credentials:
    """Credentials the harness issued for one account on one backend."""

    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def as_environment(self) -> dict[str, str]:
        """The standard AWS_* variables for these credentials."""
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env


@dataclass(frozen=True)
class Account:
    """One isolated AWS account on a backend, with the credentials that select it."""

    account_id: str
    region: str
    endpoint_url: str
    credentials: Credentials
    _sessions: dict[str, boto3.Session] = field(default_factory=dict, compare=False, repr=False)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False, init=False)
    _making: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False, init=False)

    def session(self) -> boto3.Session:
        """A boto3 session bound to this account (never reads ~/.aws)."""
        session = self._sessions.get("default")
        if session is None:
            session = new_boto3_session(
                aws_access_key_id=self.credentials.access_key_id,
                aws_secret_access_key=self.credentials.secret_access_key,
                aws_session_token=self.credentials.session_token,
                region_name=self.region,
            )
            self._sessions["default"] = session
        return session

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for `service` in this account, pointed at the backend.

        Clients with the default config are made once per service and endpoint and then shared (a boto3
        client is safe to call from many threads; making one costs tens of milliseconds). Any other keyword
        argument makes a new one.
        """
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("config", CLIENT_CONFIG)
        if set(kwargs) != {"endpoint_url", "config"} or kwargs["config"] is not CLIENT_CONFIG:
            with self._making:
                return self.session().client(service, **kwargs)
        key = (service, kwargs["endpoint_url"])
        client = self._clients.get(key)
        if client is None:
            with self._making:  # a boto3 session is not safe to use from several threads at once
                client = self._clients.get(key)
                if client is None:
                    client = self._clients[key] = self.session().client(service, **kwargs)
        return client

    def internal_client(self, service: str) -> Any:
        """A client for the harness's own frequent calls, such as a poller's reads of its source.

        On the embedded backend, for a JSON-protocol service, the same calls go straight into the emulator
        without HTTP or signing (`in_process_calls`); anywhere else this is `client(service)`.
        """
        key = (service, "in-process")
        found = self._clients.get(key)
        if found is None:
            client = self.client(service)
            found = client
            if in_process.app_for(self.endpoint_url) is not None and in_process_calls.supports(client):
                found = in_process_calls.InProcessClient(client, self.credentials, self.account_id)
            self._clients[key] = found
        return found

    def resource(self, service: str, **kwargs: Any) -> Any:
        """A boto3 resource for `service` in this account, pointed at the backend."""
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("config", CLIENT_CONFIG)
        return self.session().resource(service, **kwargs)

    def arn(self, service: str, resource: str) -> str:
        """An ARN in this account and region."""
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    def iam_arn(self, resource: str) -> str:
        """An IAM ARN in this account (IAM ARNs carry no region)."""
        return f"arn:aws:iam::{self.account_id}:{resource}"


def random_account_id() -> str:
    """A random 12-digit account id that never starts with 0 (so it reads as a number)."""
    return str(secrets.randbelow(9 * 10**11) + 10**11)


class Backend(Protocol):
    """What the harness needs from a data plane: an endpoint and isolated accounts."""

    name: str
    endpoint_url: str
    region: str

    def describe(self) -> str:
        """One line for the pytest header and the CLI: what runs where."""
        ...

    def new_account(self, account_id: str | None = None) -> Account:
        """An isolated account on this backend; a random one when no id is given."""
        ...

    def stop(self) -> None:
        """Release what this backend started (idempotent)."""
        ...
