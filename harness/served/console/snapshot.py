"""One JSON view of a harness: functions, event sources, rules, schedules, state machines, executions, timeline."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.core import Harness

TIMELINE_LIMIT = 500  # the newest happenings a live view shows
EXECUTION_LIMIT = 50
RUN_LIMIT = 20
RECENT_SECONDS = 1.0  # how old the backend's parts of a live view may be


class SnapshotBuilder:
    """Reads a harness's state for the console and the report; clients to the backend are made once."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self._clients: dict[str, Any] = {}
        self._definitions: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._client_lock = threading.Lock()
        self._recent: dict[str, Any] | None = None
        self._recent_problems: list[str] = []
        self._read_at = float("-inf")
        self._reading = False

    def _client(self, service: str) -> Any:
        with self._client_lock:
            if service not in self._clients:
                self._clients[service] = self.harness.account.client(service)
            return self._clients[service]

    def build(self, *, limit: int | None = TIMELINE_LIMIT, fresh: bool = True) -> dict[str, Any]:
        """Everything the console shows, as JSON-ready data; a part that cannot be read is named in `problems`.

        Rules, schedules and state machines are read from the backend; unless `fresh`, they are the last
        ones read (at most a second old, read again in the background), so that a live page never waits.
        """
        h = self.harness
        view: dict[str, Any] = {
            "account": h.account.account_id,
            "region": h.account.region,
            "backend": h.backend.name,
            "endpoint": h.endpoint_url,
            "clock": _iso(h.clock.now()),
            "version": h.timeline.version,
            "problems": [],
        }
        local = {"functions": self._functions, "eventSources": self._event_sources, "executions": self._executions}
        view.update(_read(local, view["problems"]))
        if fresh:
            view.update(_read(self._backend_parts(), view["problems"]))
            view["pending"] = []
        else:
            parts, problems, pending = self._recent_backend_parts()
            view.update(parts)
            view["problems"] += problems
            view["pending"] = pending
        view["timeline"] = h.timeline.entries(limit)
        return json.loads(json.dumps(view, default=str))

    # -- the parts read from the backend, kept for a live view -------------------------------------
    def _backend_parts(self) -> dict[str, Callable[[], list[dict[str, Any]]]]:
        return {"rules": self._rules, "schedules": self._schedules, "stateMachines": self._state_machines}

    def _recent_backend_parts(self) -> tuple[dict[str, Any], list[str], list[str]]:
        with self._lock:
            if time.monotonic() - self._read_at > RECENT_SECONDS and not self._reading:
                self._reading = True
                threading.Thread(target=self._read_backend_parts, name="console-read", daemon=True).start()
            pending = [] if self._recent is not None else list(self._backend_parts())
            recent = self._recent or {key: [] for key in self._backend_parts()}
            return dict(recent), list(self._recent_problems), pending

    def _read_backend_parts(self) -> None:
        problems: list[str] = []
        try:
            parts = _read(self._backend_parts(), problems)
        finally:
            with self._lock:
                self._reading = False
        with self._lock:
            self._recent, self._recent_problems, self._read_at = parts, problems, time.monotonic()

    # -- parts -------------------------------------------------------------------------------------
    def _functions(self) -> list[dict[str, Any]]:
        triggers: dict[str, list[str]] = {}
        for mapping in self.harness.event_sources.all():
            triggers.setdefault(mapping.function.spec.name, []).append(_short(mapping.source_arn))
        return [
            {
                "name": f.spec.name,
                "handler": f.spec.handler,
                "runtime": f.spec.runtime,
                "timeout": f.spec.timeout,
                "memory": f.spec.memory_size,
                "invocations": f.invocation_count,
                "triggers": triggers.get(f.spec.name, []),
            }
            for f in self.harness.functions.all()
        ]

    def _event_sources(self) -> list[dict[str, Any]]:
        found = []
        for mapping in self.harness.event_sources.all():
            state = "Enabled" if mapping.enabled else "Disabled"
            if mapping.enabled and mapping.last_error:
                state = "Failing"
            found.append(
                {
                    "uuid": mapping.uuid,
                    "kind": mapping.kind,
                    "source": _short(mapping.source_arn),
                    "sourceArn": mapping.source_arn,
                    "function": mapping.function.spec.name,
                    "state": state,
                    "batchSize": mapping.settings.batch_size,
                    "delivered": mapping.delivered,
                    "batches": len(mapping.batches),
                    "lag": _pending_records(mapping),
                    "lastError": mapping.last_error,
                }
            )
        return found

    def _rules(self) -> list[dict[str, Any]]:
        events = self._client("events")
        buses = [bus["Name"] for bus in events.list_event_buses().get("EventBuses", [])]
        found = []
        for bus in buses:
            for rule in self.harness.events.rules(bus):
                found.append(
                    {
                        "name": rule.name,
                        "bus": bus,
                        "state": rule.state,
                        "eventPattern": rule.event_pattern,
                        "schedule": rule.schedule_expression,
                        "targets": [
                            {
                                "id": t.id,
                                "arn": t.arn,
                                "function": t.function,
                                "inputPath": t.input_path,
                                "deadLetter": t.dead_letter_arn,
                            }
                            for t in rule.targets
                        ],
                    }
                )
        return found

    def _schedules(self) -> list[dict[str, Any]]:
        scheduler = self._client("scheduler")
        found = []
        for page in scheduler.get_paginator("list_schedules").paginate():
            for entry in page.get("Schedules", []):
                name, group = entry["Name"], entry.get("GroupName", "default")
                detail = scheduler.get_schedule(Name=name, GroupName=group)
                runs = self.harness.scheduler.runs(name, group)
                next_run = self.harness.scheduler.next_run(name, group)
                found.append(
                    {
                        "name": name,
                        "group": group,
                        "expression": detail.get("ScheduleExpression"),
                        "timezone": detail.get("ScheduleExpressionTimezone", "UTC"),
                        "state": detail.get("State"),
                        "target": _short(detail.get("Target", {}).get("Arn", "")),
                        "runCount": len(runs),
                        "runs": [
                            {
                                "scheduled": _iso(run.scheduled_time),
                                "status": run.status,
                                "attempts": len(run.attempts),
                                "error": run.error,
                            }
                            for run in runs[-RUN_LIMIT:]
                        ],
                        "lastRun": _iso(runs[-1].scheduled_time) if runs else None,
                        "nextRun": _iso(next_run) if next_run else None,
                    }
                )
        return found

    def _state_machines(self) -> list[dict[str, Any]]:
        sfn = self._client("stepfunctions")
        found = []
        for page in sfn.get_paginator("list_state_machines").paginate():
            for machine in page.get("stateMachines", []):
                arn = machine["stateMachineArn"]
                definition = self._definitions.get(arn)
                if definition is None:
                    text = sfn.describe_state_machine(stateMachineArn=arn)["definition"]
                    definition = self._definitions[arn] = json.loads(text)
                found.append({"name": machine["name"], "arn": arn, "definition": definition})
        return found

    def _executions(self) -> list[dict[str, Any]]:
        executions = sorted(self.harness.states.executions(), key=lambda e: e.start_date)[-EXECUTION_LIMIT:]
        return [_execution(e) for e in executions]


def _read(parts: dict[str, Callable[[], list[dict[str, Any]]]], problems: list[str]) -> dict[str, Any]:
    """Each part read; one that cannot be read is empty and named in `problems`, and the rest still show."""
    found: dict[str, Any] = {}
    for key, read in parts.items():
        try:
            found[key] = read()
        except Exception as exc:
            found[key] = []
            problems.append(f"{key}: {type(exc).__name__}: {exc}")
    return found


def _execution(execution: Any) -> dict[str, Any]:
    """An execution with the path of states it took and where it stands."""
    path: list[dict[str, Any]] = []
    events = execution.history.events()
    for event in events:
        if event.type.endswith("StateEntered"):
            path.append({"state": event.name, "entered": _iso(event.timestamp), "status": "running"})
        elif event.type.endswith("StateExited") and path:
            for step in reversed(path):
                if step["state"] == event.name and step["status"] == "running":
                    step["status"] = "ok"
                    break
        elif event.type.endswith("Failed") and path and not event.type.startswith("Execution"):
            path[-1]["status"] = "error"
    if execution.status not in ("RUNNING",):
        for step in path:
            if step["status"] == "running":
                step["status"] = "error" if execution.status != "SUCCEEDED" else "ok"
    current = next((s["state"] for s in reversed(path) if s["status"] == "running"), None)
    happening = getattr(execution, "_happening", None)
    return {
        "arn": execution.arn,
        "name": execution.name,
        "machine": execution.machine.name,
        "machineArn": execution.machine.arn,
        "definition": execution.machine.definition,
        "status": execution.status,
        "started": _iso(execution.start_date),
        "stopped": _iso(execution.stop_date) if execution.stop_date else None,
        "error": execution.error,
        "cause": execution.cause,
        "path": path,
        "current": current,
        "events": [{"id": e.id, "type": e.type, "state": e.name, "at": _iso(e.timestamp)} for e in events],
        "happening": happening.id if happening is not None else None,
    }


def _pending_records(mapping: Any) -> int | None:
    """Records read from a stream and not yet checkpointed (None for a queue: its messages wait in it)."""
    shards = getattr(mapping, "_shards", None)
    if not isinstance(shards, dict):
        return None
    return sum(len(batch.records) for shard in list(shards.values()) for batch in list(shard.queue))


def _short(arn: str) -> str:
    """The resource name at the end of an ARN."""
    tail = arn.split(":")[-1]
    return tail.split("/")[1] if tail.startswith("table/") else tail.split("/")[-1]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="milliseconds") if moment is not None else None
