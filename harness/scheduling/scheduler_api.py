"""The EventBridge Scheduler API on loopback: a validating pass-through to the backend's Scheduler.

Every request reaches the backend unchanged (its credentials pick the account there). CreateSchedule and
UpdateSchedule are first checked as AWS checks them, so a bad expression, time zone, window, retry
policy or date is answered with ValidationException and never stored; a schedule group is checked for
existence or conflict, which the emulators skip. After a change the harness's scheduler re-reads the
schedule at once, so a schedule runs from the moment CreateSchedule returns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import urllib3
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from harness.scheduling.validation import ScheduleValidationError, validate_name, validate_schedule_request
from harness.served_api import ServedApi

if TYPE_CHECKING:
    from harness.scheduling.scheduler import SchedulerService

_ROUTES = Map(
    [
        Rule("/schedules/<name>", methods=["POST"], endpoint="create_schedule"),
        Rule("/schedules/<name>", methods=["PUT"], endpoint="update_schedule"),
        Rule("/schedules/<name>", methods=["DELETE"], endpoint="delete_schedule"),
        Rule("/schedule-groups/<name>", methods=["POST"], endpoint="create_group"),
        Rule("/schedule-groups/<name>", methods=["DELETE"], endpoint="delete_group"),
    ]
)
# Headers that describe one HTTP hop or the server that sent it: never copied from one side to the other.
_NOT_FORWARDED = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "accept-encoding",
        "content-encoding",
        "server",
        "date",
    }
)


def error_response(status: int, code: str, message: str) -> Response:
    """An error as the Scheduler API sends it (rest-json: the code in x-amzn-ErrorType, the message in the body)."""
    body = json.dumps({"Message": message, "message": message})
    return Response(body, status=status, headers={"x-amzn-ErrorType": code}, content_type="application/json")


class SchedulerApi(ServedApi):
    """The Scheduler API of one harness, served on loopback: validates, then forwards to the backend.

    Example:
        >>> api = SchedulerApi(service).start()  # doctest: +SKIP
        >>> boto3.client("scheduler", endpoint_url=api.url).list_schedules()  # doctest: +SKIP
    """

    thread_name = "scheduler-api"

    def __init__(self, service: SchedulerService, backend_url: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.service = service
        self.backend_url = backend_url.rstrip("/")
        super().__init__(host, port)
        self._http = urllib3.PoolManager(num_pools=1, maxsize=16, retries=False)

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        super().stop()
        self._http.clear()

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """The WSGI entry point."""
        request = Request(environ)
        try:
            endpoint, args = _ROUTES.bind_to_environ(environ).match()
        except HTTPException:
            endpoint, args = "forward", {}
        try:
            response = getattr(self, f"_{endpoint}")(request, **args)
        except ScheduleValidationError as exc:
            response = error_response(400, "ValidationException", str(exc))
        except Exception as exc:
            response = error_response(500, "InternalServerException", f"{type(exc).__name__}: {exc}")
        return response(environ, start_response)

    # -- operations the harness looks at ----------------------------------------------------------
    def _create_schedule(self, request: Request, name: str) -> Response:
        body = self._json(request)
        validate_schedule_request(name, body, self.service.clock.now())
        group = body.get("GroupName") or "default"
        if not self.service.group_exists(group):
            return error_response(404, "ResourceNotFoundException", f"Schedule group {group} does not exist.")
        response = self._forward(request)
        if response.status_code == 200:
            self.service.schedule_changed(group, name, created=True)
        return response

    def _update_schedule(self, request: Request, name: str) -> Response:
        body = self._json(request)
        validate_schedule_request(name, body, self.service.clock.now())
        response = self._forward(request)
        if response.status_code == 200:
            self.service.schedule_changed(body.get("GroupName") or "default", name, created=False)
        return response

    def _delete_schedule(self, request: Request, name: str) -> Response:
        response = self._forward(request)
        if response.status_code == 200:
            self.service.schedule_deleted(request.args.get("groupName") or "default", name)
        return response

    def _create_group(self, request: Request, name: str) -> Response:
        validate_name("Name", name)
        if self.service.group_exists(name):
            return error_response(409, "ConflictException", f"Schedule group {name} already exists.")
        response = self._forward(request)
        if response.status_code == 200:
            self.service.group_created(name)
        return response

    def _delete_group(self, request: Request, name: str) -> Response:
        if name == "default":
            raise ScheduleValidationError("The default schedule group cannot be deleted")
        response = self._forward(request)
        if response.status_code == 200:
            self.service.group_deleted(name)
        return response

    # -- the pass-through -------------------------------------------------------------------------
    def _json(self, request: Request) -> dict[str, Any]:
        try:
            body = json.loads(request.get_data() or b"{}")
        except ValueError:
            raise ScheduleValidationError("the request body is not JSON") from None
        if not isinstance(body, dict):
            raise ScheduleValidationError("the request body must be a JSON object")
        return body

    def _forward(self, request: Request) -> Response:
        path = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or quote(request.path)
        if not path.startswith("/"):  # an absolute URI in the request line: keep only its path and query
            path = "/" + path.split("://", 1)[-1].split("/", 1)[-1]
        headers = {key: value for key, value in request.headers.items() if key.lower() not in _NOT_FORWARDED}
        answer = self._http.request(
            request.method,
            self.backend_url + path,
            body=request.get_data(),
            headers=headers,
            redirect=False,
            timeout=60.0,
        )
        kept = [(key, value) for key, value in answer.headers.items() if key.lower() not in _NOT_FORWARDED]
        return Response(answer.data, status=answer.status, headers=kept)
