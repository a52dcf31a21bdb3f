"""The fork server of the process runtime: a Python that has imported boto3 once and forks workers from it.

Starting Python and importing boto3 is most of a worker's cold start. The server is started (once per
harness process, on first use) as `python -s fork_server.py CONTROL_FD`, imports the runtime's usual
modules, and for each request forks a child that takes the function's environment, code directory and
pipes and runs `worker_main.serve`. A child of the server is a fresh function instance: nothing of the
harness is in it, only the standard library, the preloaded modules and the worker.

Code that ships its own copy of a preloaded module (its own boto3, urllib3, ...) is not forked from here:
the runtime starts a fresh interpreter for it, so the zip's copy is the one it imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
import time

PRELOAD = ("boto3", "botocore.session", "botocore.client", "botocore.config", "json", "logging", "decimal", "uuid")
# Service models loaded ahead, between requests: the services the patterns' handlers create clients for.
PRELOAD_SERVICES = ("dynamodb", "s3", "sqs", "kinesis", "sns", "events", "stepfunctions", "lambda")
MAX_REQUEST = 1 << 20


def _share_one_loader() -> None:
    """Every botocore session of a worker reads service models through one loader (and its cache)."""
    import botocore.session

    original = botocore.session.create_loader
    loaders: dict[str, object] = {}

    def create_loader(search_path_string: str | None = None) -> object:
        key = search_path_string or ""
        if key not in loaders:
            loaders[key] = original(search_path_string)
        return loaders[key]

    botocore.session.create_loader = create_loader


def _load_service(name: str) -> None:
    import boto3

    session = boto3.Session(aws_access_key_id="preload", aws_secret_access_key="preload", region_name="us-east-1")
    session.client(name, endpoint_url="http://127.0.0.1:9")


def _child(request: dict, fds: list[int]) -> int:
    from worker_main import serve  # this script's directory is still sys.path[0] here

    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p]
    sys.path[1:1] = extra
    sys.modules.pop("worker_main", None)
    return serve(fds[0], fds[1], request["task_root"], request["handler"])


def main(argv: list[str]) -> int:
    """Preload, report the preloaded top-level names, then fork one worker per request until EOF."""
    control = socket.socket(fileno=int(argv[1]))
    import worker_main  # noqa: F401  (imported before forking, so children need not)

    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    with contextlib.suppress(ImportError):
        _share_one_loader()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    preloaded = sorted({name.split(".")[0] for name in sys.modules if not name.startswith("_")})
    control.send(json.dumps({"preloaded": preloaded}).encode())
    services = list(PRELOAD_SERVICES)
    while True:
        while services and not select.select([control], [], [], 0)[0]:
            with contextlib.suppress(Exception):
                _load_service(services.pop(0))
        try:
            data, fds, _, _ = socket.recv_fds(control, MAX_REQUEST, 2)
        except OSError:
            return 0
        if not data:
            return 0
        request = json.loads(data)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                code = _child(request, fds)
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        control.send(json.dumps({"pid": pid}).encode())


if __name__ == "__main__":
    sys.exit(main(sys.argv))
