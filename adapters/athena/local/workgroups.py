"""Workgroups and saved (named) queries, kept in memory for one account."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from adapters.athena.interface import PRIMARY_WORK_GROUP, AthenaRequestError, NamedQuery, WorkGroup


class WorkGroupStore:
    """The account's workgroups (`primary` always exists) and named queries."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._lock = threading.Lock()
        self._groups = {PRIMARY_WORK_GROUP: WorkGroup(PRIMARY_WORK_GROUP, created=now())}
        self._named: dict[str, NamedQuery] = {}
        self._now = now

    def get(self, name: str) -> WorkGroup:
        """One workgroup, or InvalidRequestException as Athena answers."""
        with self._lock:
            if name not in self._groups:
                raise AthenaRequestError("InvalidRequestException", f"WorkGroup {name} is not found.")
            return self._groups[name]

    def all(self) -> list[WorkGroup]:
        """Every workgroup, by name."""
        with self._lock:
            return sorted(self._groups.values(), key=lambda g: g.name)

    def create(self, group: WorkGroup) -> None:
        """Add a workgroup; a second one of the same name is refused."""
        with self._lock:
            if group.name in self._groups:
                raise AthenaRequestError("InvalidRequestException", f"WorkGroup {group.name} is already created")
            group.created = group.created or self._now()
            self._groups[group.name] = group

    def update_output_location(self, name: str, output_location: str | None) -> None:
        """Set a workgroup's result location (the console's "Manage settings")."""
        self.get(name).output_location = output_location

    def add_named(self, query: NamedQuery) -> str:
        """Save a query; return its new id."""
        self.get(query.work_group)
        query.named_query_id = str(uuid.uuid4())
        with self._lock:
            self._named[query.named_query_id] = query
        return query.named_query_id

    def named(self, named_query_id: str) -> NamedQuery:
        """One saved query."""
        with self._lock:
            if named_query_id not in self._named:
                raise AthenaRequestError("InvalidRequestException", f"NamedQuery {named_query_id} was not found")
            return self._named[named_query_id]

    def named_ids(self, work_group: str | None) -> list[str]:
        """Saved query ids of a workgroup (`primary` by default)."""
        group = work_group or PRIMARY_WORK_GROUP
        with self._lock:
            return [i for i, q in self._named.items() if q.work_group == group]

    def delete_named(self, named_query_id: str) -> None:
        """Delete a saved query."""
        self.named(named_query_id)
        with self._lock:
            self._named.pop(named_query_id, None)
