"""The localstack backend: one LocalStack container shared by every pytest-xdist worker on this host.

The first worker to start takes a file lock, starts the container and records it in a JSON state file;
the others find the file and join. Each user records its process id, so a user that died without
stopping is not counted, and the last live user to stop removes the container and the file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from harness.backends.base import DEFAULT_REGION, Account, random_account_id
from harness.backends.endpoint import localstack_account
from harness.backends.errors import BackendUnavailable
from harness.backends.guard import RealAwsRefused, check_endpoint

DEFAULT_IMAGE = "localstack/localstack:4.14.0"
IMAGE_VARIABLE = "LOCALSTACK_IMAGE"
AUTH_TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN"
CONTAINER_LABEL = "harness.backend"
STATE_FILE = "localstack.json"
LOCK_FILE = "localstack.lock"
EDGE_PORT = 4566

# Long enough for a first image pull by one worker while the others wait on the lock.
LOCK_TIMEOUT_SECONDS = 900.0
READY_TIMEOUT_SECONDS = 180.0

Starter = Callable[[str, Mapping[str, str]], tuple[str, str]]
"""(image, container environment) -> (endpoint_url, container_id) of a running LocalStack."""
Stopper = Callable[[str], None]
"""Remove the container with this id; a container that is already gone is not an error."""

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_STATE_KEYS = {"endpoint_url": str, "container_id": str, "image": str, "users": int, "pids": list}

log = logging.getLogger(__name__)


class LocalStackError(BackendUnavailable):
    """Raised when the shared LocalStack container cannot be started, joined or removed."""


class LocalStackStartError(LocalStackError):
    """Raised when the LocalStack container cannot be started."""


class LocalStackStateError(LocalStackError):
    """Raised when the shared state file cannot be used as it is."""


def default_state_dir() -> Path:
    """Where workers of one user on this host meet: a per-user folder in the temp directory."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"harness-localstack-{user}"


def start_localstack_container(image: str, environment: Mapping[str, str]) -> tuple[str, str]:
    """Start LocalStack with testcontainers and wait until it is ready; return (endpoint_url, container_id)."""
    from testcontainers.community.localstack import LocalStackContainer
    from testcontainers.core.config import ConnectionMode
    from testcontainers.core.config import testcontainers_config as tc_config

    container = LocalStackContainer(image=image, edge_port=EDGE_PORT, labels={CONTAINER_LABEL: "localstack"})
    container.with_envs(**environment)
    client = container.get_docker_client()
    loopback = client.get_connection_mode() == ConnectionMode.docker_host and client.host() in {
        "localhost",
        "127.0.0.1",
    }
    if loopback:
        # Publish on the loopback interface only; testcontainers' API takes a host port but no address.
        container.ports[str(EDGE_PORT)] = ("127.0.0.1", None)  # type: ignore[assignment]
    # The container outlives the worker that starts it, so the reaper (which removes a session's
    # containers when its process exits) must not own it; the last user removes it instead.
    ryuk_was_disabled = tc_config.ryuk_disabled
    tc_config.ryuk_disabled = True
    try:
        container.start(timeout=READY_TIMEOUT_SECONDS)
        url = container.get_url()
        container_id = container.get_container_id()
    except BaseException:
        try:
            container.stop()
        except Exception:
            log.warning("could not remove the LocalStack container that failed to start", exc_info=True)
        raise
    finally:
        tc_config.ryuk_disabled = ryuk_was_disabled
    client.client.close()
    if loopback:
        # "localhost" may resolve to ::1 first, where nothing listens.
        url = url.replace("://localhost:", "://127.0.0.1:")
    return url, container_id


def remove_container(container_id: str) -> None:
    """Remove a container by id through the docker SDK (same engine testcontainers uses)."""
    import docker.errors
    from testcontainers.core.docker_client import DockerClient

    client = DockerClient().client
    try:
        client.containers.get(container_id).remove(force=True, v=True)
    except docker.errors.NotFound:
        pass
    finally:
        client.close()


class LocalStackBackend:
    """LocalStack in a container shared by all workers; each worker works in its own account.

    Example:
        >>> backend = LocalStackBackend().with_state_dir("/tmp/run-42").start()  # doctest: +SKIP
        >>> backend.new_account().client("sqs").list_queues()  # doctest: +SKIP
        >>> backend.stop()  # doctest: +SKIP
    """

    name = "localstack"

    def __init__(
        self,
        region: str = DEFAULT_REGION,
        *,
        state_dir: str | os.PathLike[str] | None = None,
        starter: Starter | None = None,
        stopper: Stopper | None = None,
    ) -> None:
        self.region = region
        self.image = os.environ.get(IMAGE_VARIABLE) or DEFAULT_IMAGE
        self.endpoint_url = ""
        self.container_id = ""
        self.start_seconds = 0.0
        self.started_container = False
        self._auth_token = os.environ.get(AUTH_TOKEN_VARIABLE) or None
        self._state_dir = Path(state_dir) if state_dir is not None else default_state_dir()
        self._starter: Starter = starter or start_localstack_container
        self._stopper: Stopper = stopper or remove_container
        self._started = False

    def with_image(self, image: str) -> LocalStackBackend:
        """Use this image instead of the default or LOCALSTACK_IMAGE."""
        if not image.strip():
            raise ValueError("LocalStack image must not be empty, e.g. " + DEFAULT_IMAGE)
        self.image = image.strip()
        return self

    def with_auth_token(self, token: str | None) -> LocalStackBackend:
        """Pass this LOCALSTACK_AUTH_TOKEN to the container (None: no token)."""
        self._auth_token = token or None
        return self

    def with_state_dir(self, path: str | os.PathLike[str]) -> LocalStackBackend:
        """Keep the shared state file and its lock in this folder (one folder per test run)."""
        self._state_dir = Path(path)
        return self

    def with_starter(self, starter: Starter) -> LocalStackBackend:
        """Start containers with this callable instead of testcontainers."""
        self._starter = starter
        return self

    def with_stopper(self, stopper: Stopper) -> LocalStackBackend:
        """Remove containers with this callable instead of the docker SDK."""
        self._stopper = stopper
        return self

    @property
    def state_file(self) -> Path:
        """The JSON file that records the shared container."""
        return self._state_dir / STATE_FILE

    @property
    def lock_file(self) -> Path:
        """The lock that serialises readers and writers of the state file."""
        return self._state_dir / LOCK_FILE

    def container_environment(self) -> dict[str, str]:
        """The environment the container starts with."""
        environment = {"AWS_DEFAULT_REGION": self.region}
        if self._auth_token:
            environment[AUTH_TOKEN_VARIABLE] = self._auth_token
        return environment

    def start(self) -> LocalStackBackend:
        """Join the shared container, starting it if no live user has; idempotent; return self."""
        if self._started:
            return self
        began = time.perf_counter()
        self.started_container = False
        self._state_dir.mkdir(parents=True, exist_ok=True)
        with self._lock():
            state = self._read_state()
            if state is not None and state["image"] != self.image and _live(state["pids"]):
                raise LocalStackStateError(
                    f"{self.state_file} records a running LocalStack from image {state['image']!r}, but this "
                    f"run asks for {self.image!r}; use another state dir or stop the other run first"
                )
            if state is None or not _live(state["pids"]):
                if state is not None:
                    self._remove_stale(state)
                state = self._launch()
                self.started_container = True
            state["pids"] = [*_live(state["pids"]), os.getpid()]
            state["users"] = len(state["pids"])
            self._write_state(state)
        self.endpoint_url = state["endpoint_url"]
        self.container_id = state["container_id"]
        self._started = True
        self.start_seconds = time.perf_counter() - began
        return self

    def describe(self) -> str:
        """What runs where (never the auth token itself)."""
        if not self._started:
            where = "not started"
        elif self.started_container:
            where = f"at {self.endpoint_url}, started in {self.start_seconds:.1f}s"
        else:
            where = f"at {self.endpoint_url}, shared container joined in {self.start_seconds:.1f}s"
        token = ", auth token set" if self._auth_token else ""
        return f"localstack ({self.image} {where}{token})"

    def new_account(self, account_id: str | None = None) -> Account:
        """An isolated account, selected in LocalStack by its 12-digit id used as access key."""
        if not self._started:
            raise RuntimeError("the localstack backend is not started; call start() first")
        account_id = account_id or random_account_id()
        if not _ACCOUNT_ID.match(account_id):
            # LocalStack silently maps any other access key to the default account, which would
            # make "isolated" accounts share everything.
            raise ValueError(f"account id {account_id!r} is not 12 digits, e.g. {random_account_id()}")
        return localstack_account(account_id, self.region, self.endpoint_url)

    def stop(self) -> None:
        """Leave the shared container; the last live user removes it and the state file (idempotent)."""
        if not self._started:
            return
        self._started = False
        with self._lock():
            state = self._read_state()
            if state is None or state["container_id"] != self.container_id:
                return  # someone already cleaned up, or a newer container replaced ours
            pids = _live(state["pids"])
            if os.getpid() in pids:
                pids.remove(os.getpid())
            state["pids"], state["users"] = pids, len(pids)
            if pids:
                self._write_state(state)
                return
            try:
                self._stopper(self.container_id)
            except Exception as error:
                # Keep the file: the next start sees no live users and retries the removal.
                self._write_state(state)
                raise LocalStackError(
                    f"could not remove LocalStack container {self.container_id}: {error}; "
                    f"remove it with `docker rm -f {self.container_id}`"
                ) from error
            self.state_file.unlink(missing_ok=True)

    def _launch(self) -> dict[str, Any]:
        try:
            endpoint_url, container_id = self._starter(self.image, self.container_environment())
        except Exception as error:
            raise LocalStackStartError(
                f"could not start LocalStack from image {self.image!r}: {error}. "
                f"To run without a Docker engine, use --aws-backend embedded."
            ) from error
        try:
            endpoint_url = check_endpoint(endpoint_url.rstrip("/"))
        except (ValueError, RealAwsRefused):
            self._stopper(container_id)
            raise
        return {"endpoint_url": endpoint_url, "container_id": container_id, "image": self.image, "pids": []}

    def _remove_stale(self, state: dict[str, Any]) -> None:
        # Every recorded user is gone without stopping: the container may be running, stopped or removed.
        try:
            self._stopper(state["container_id"])
        except Exception:
            log.warning("could not remove stale LocalStack container %s", state["container_id"], exc_info=True)
        self.state_file.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        lock = FileLock(self.lock_file, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout as error:
            raise LocalStackStateError(
                f"waited {LOCK_TIMEOUT_SECONDS:.0f}s for {self.lock_file}; another process holds it "
                f"(a LocalStack start in progress?)"
            ) from error
        try:
            yield
        finally:
            lock.release()

    def _read_state(self) -> dict[str, Any] | None:
        try:
            text = self.state_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as error:
            raise LocalStackStateError(f"cannot read LocalStack state file {self.state_file}: {error}") from error
        try:
            state = json.loads(text)
        except json.JSONDecodeError as error:
            raise LocalStackStateError(
                f"LocalStack state file {self.state_file} is not JSON ({error}); delete it if no test run "
                f"is using LocalStack"
            ) from error
        problems = [] if isinstance(state, dict) else ["not an object"]
        if not problems:
            problems = [
                f"{key!r} missing or not {kind.__name__}"
                for key, kind in _STATE_KEYS.items()
                if not isinstance(state.get(key), kind)
            ]
            if not problems and not all(isinstance(pid, int) for pid in state["pids"]):
                problems.append("'pids' holds something other than process ids")
        if not problems:
            try:
                state["endpoint_url"] = check_endpoint(state["endpoint_url"].rstrip("/"))
            except (ValueError, RealAwsRefused) as error:
                problems.append(str(error))
        if problems:
            raise LocalStackStateError(
                f"LocalStack state file {self.state_file} is malformed ({'; '.join(problems)}); delete it if no "
                f"test run is using LocalStack"
            )
        return state

    def _write_state(self, state: dict[str, Any]) -> None:
        # Write then rename, so a reader never sees half a file.
        partial = self.state_file.with_name(f"{STATE_FILE}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, self.state_file)


def _live(pids: list[int]) -> list[int]:
    """The process ids in `pids` that still run on this host."""
    return [pid for pid in pids if _pid_alive(pid)]


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate the process on Windows; assume alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    except OSError:
        return False
    return True
