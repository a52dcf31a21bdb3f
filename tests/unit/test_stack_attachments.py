"""Stacks with attachments (rules, notifications, subscriptions) beside event source mappings."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.kinesis import KinesisStream
from provisioning.stack import Attachment, Stack, Trigger

HANDLER = "tests.handlers.probes.env_probe"


@dataclass(frozen=True)
class Wire:
    """An attachment that records what the stack asked of it."""

    function: str
    checked: list = field(default_factory=list, hash=False, compare=False)

    def check(self, stack):
        self.checked.append(stack.name)
        if self.function not in {f.name for f in stack.functions}:
            raise ValueError(f"stack {stack.name}: wire names unknown function {self.function!r}")

    def attach(self, harness, deployed):
        return lambda: None


def test_an_attachment_is_checked_against_the_stack():
    wire = Wire("Processor")

    Stack("demo", functions=[FunctionSpec("Processor", HANDLER)], triggers=[wire])

    assert wire.checked == ["demo"]
    assert isinstance(wire, Attachment)


def test_an_attachment_naming_an_unknown_function_is_refused():
    with pytest.raises(ValueError, match="wire names unknown function 'Nobody'"):
        Stack("demo", functions=[FunctionSpec("Processor", HANDLER)], triggers=[Wire("Nobody")])


def test_trigger_settings_change_mappings_and_leave_attachments_alone():
    wire = Wire("Processor")
    stack = Stack(
        "demo",
        resources=[KinesisStream("S")],
        functions=[FunctionSpec("Processor", HANDLER)],
        triggers=[Trigger("Processor", "S", MappingSettings(starting_position="LATEST")), wire],
    )

    changed = stack.with_trigger_settings("Processor", batch_size=7)

    mapping, attachment = changed.triggers
    assert mapping.settings.batch_size == 7
    assert attachment is wire
