"""EventBridge through the gateway: function targets put with PutTargets are delivered, plumbing stays hidden.

PutTargets with a Lambda function ARN routes the function through the harness (as a declared Rule);
RemoveTargets and DeleteRule undo that; ListRules leaves out the harness's monitor rules and
ListTargetsByRule shows targets as the user put them. PutRule's pattern and TestEventPattern are the harness's
own pattern engine's (written from EventBridge's documented rules). Every other operation reaches the backend
unchanged.
"""

from __future__ import annotations

from typing import Any

from harness.routing.bus_event import bus_name
from harness.routing.bus_monitor import MONITOR_RULE_PREFIX
from harness.routing.event_pattern import InvalidTestEvent, test_event_pattern
from harness.routing.eventbridge import EventRouting
from harness.routing.pattern_validation import InvalidEventPattern, validate_pattern
from harness.served.service import AwsError, Operation


def _bus(params: dict[str, Any]) -> str:
    return bus_name(params.get("EventBusName"))


class EventsApi:
    """EventBridge rules whose targets the harness delivers.

    Example:
        >>> gateway.serve(EventsApi(harness.events, backend_events_client))  # doctest: +SKIP
    """

    service = "events"

    def __init__(self, routing: EventRouting, backend: Any) -> None:
        self.routing = routing
        self.backend = backend  # a boto3 events client on the backend, in the harness's account

    def operations(self) -> dict[str, Operation]:
        """The operations answered here; the rest go to the backend."""
        return {
            "PutEvents": self.put_events,
            "PutRule": self.put_rule,
            "EnableRule": self.enable_rule,
            "DisableRule": self.disable_rule,
            "TestEventPattern": self.test_event_pattern,
            "PutTargets": self.put_targets,
            "RemoveTargets": self.remove_targets,
            "DeleteRule": self.delete_rule,
            "ListRules": self.list_rules,
            "ListTargetsByRule": self.list_targets_by_rule,
        }

    def put_events(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutEvents: stored on the backend, and delivered at once to the harness's targets of matching rules."""
        extra = {k: v for k, v in params.items() if k != "Entries"}
        answer = self.routing.put_events(params["Entries"], **extra)
        return {k: answer[k] for k in ("FailedEntryCount", "Entries") if k in answer}

    def put_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutRule: a pattern EventBridge would refuse is refused here, in its words; the rest is stored."""
        if params.get("EventPattern") is not None:
            try:
                validate_pattern(params["EventPattern"])
            except InvalidEventPattern as exc:
                raise AwsError(exc.code, str(exc)) from None
        # Through the backend client, whose calls mark cached rule states stale once the rule has changed.
        answer = self.backend.put_rule(**params)
        return {"RuleArn": answer["RuleArn"]}

    def enable_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        """EnableRule (cached rule states are marked stale once it is done)."""
        self.backend.enable_rule(**params)
        return {}

    def disable_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        """DisableRule (cached rule states are marked stale once it is done)."""
        self.backend.disable_rule(**params)
        return {}

    def test_event_pattern(self, params: dict[str, Any]) -> dict[str, Any]:
        """TestEventPattern, answered by the harness's pattern engine."""
        try:
            return test_event_pattern(params)
        except (InvalidEventPattern, InvalidTestEvent) as exc:
            raise AwsError(exc.code, str(exc)) from None

    def put_targets(self, params: dict[str, Any]) -> dict[str, Any]:
        """PutTargets: function targets are routed by the harness, the rest stored as they are."""
        failed = self.routing.api_routes.put_targets(params["Rule"], _bus(params), params["Targets"])
        return {"FailedEntryCount": len(failed), "FailedEntries": failed}

    def remove_targets(self, params: dict[str, Any]) -> dict[str, Any]:
        """RemoveTargets: routed targets stop being delivered."""
        answer = self.backend.remove_targets(**params)
        self.routing.api_routes.remove_targets(params["Rule"], _bus(params), params["Ids"])
        return {k: answer[k] for k in ("FailedEntryCount", "FailedEntries") if k in answer}

    def delete_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        """DeleteRule: the rule's routes go with it."""
        self.backend.delete_rule(**params)
        self.routing.api_routes.delete_rule(params["Name"], _bus(params))
        return {}

    def list_rules(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListRules without the harness's own monitor rules."""
        answer = self.backend.list_rules(**params)
        rules = [r for r in answer.get("Rules", []) if not r["Name"].startswith(MONITOR_RULE_PREFIX)]
        return {"Rules": rules, **({"NextToken": answer["NextToken"]} if answer.get("NextToken") else {})}

    def list_targets_by_rule(self, params: dict[str, Any]) -> dict[str, Any]:
        """ListTargetsByRule with each target as the user put it."""
        answer = self.backend.list_targets_by_rule(**params)
        targets = [self.routing.user_target(t) for t in answer.get("Targets", [])]
        return {"Targets": targets, **({"NextToken": answer["NextToken"]} if answer.get("NextToken") else {})}
