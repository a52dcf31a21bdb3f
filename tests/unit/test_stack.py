"""Stack declarations: refusals at declaration time, copies with changes, trigger resolution."""

from __future__ import annotations

import pytest

from harness.event_sources.settings import MappingSettings
from harness.functions.spec import FunctionSpec
from provisioning.builders.kinesis import KinesisStream
from provisioning.builders.sqs import Queue
from provisioning.stack import Stack, Trigger

HANDLER = "tests.handlers.probes.env_probe"
STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/S"
DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:DLQ"


def stack() -> Stack:
    return Stack(
        "demo",
        resources=[KinesisStream("S"), Queue("DLQ")],
        functions=[FunctionSpec("Processor", HANDLER, environment={"TABLE": "T"}), FunctionSpec("Other", HANDLER)],
        triggers=[Trigger("Processor", "S", MappingSettings(batch_size=10, starting_position="LATEST"))],
    )


OUTPUTS = {"S": {"arn": STREAM_ARN, "name": "S"}, "DLQ": {"arn": DLQ_ARN, "url": "http://q/DLQ"}}


def test_lists_become_tuples() -> None:
    demo = stack()

    assert isinstance(demo.resources, tuple)
    assert isinstance(demo.functions, tuple)
    assert isinstance(demo.triggers, tuple)


def test_duplicate_resources_are_refused_naming_them() -> None:
    with pytest.raises(ValueError, match=r"stack demo declares resources \['S'\] more than once"):
        Stack("demo", resources=[KinesisStream("S"), Queue("Q"), KinesisStream("S", shards=2)])


def test_adding_a_duplicate_resource_is_refused() -> None:
    with pytest.raises(ValueError, match="more than once"):
        stack().with_resources(Queue("DLQ"))


def test_trigger_naming_an_unknown_function_is_refused() -> None:
    with pytest.raises(ValueError, match="stack demo: trigger names unknown function 'Missing'"):
        stack().with_triggers(Trigger("Missing", "S"))


def test_trigger_naming_an_unknown_resource_is_refused() -> None:
    with pytest.raises(ValueError, match="stack demo: trigger of Other names unknown resource 'Nowhere'"):
        stack().with_triggers(Trigger("Other", "Nowhere"))


def test_with_functions_and_resources_add_to_a_copy() -> None:
    original = stack()

    bigger = original.with_resources(Queue("Q2")).with_functions(FunctionSpec("Third", HANDLER))

    assert [r.name for r in bigger.resources] == ["S", "DLQ", "Q2"]
    assert [f.name for f in bigger.functions] == ["Processor", "Other", "Third"]
    assert len(original.resources) == 2
    assert len(original.functions) == 2


def test_with_trigger_settings_changes_only_that_functions_triggers() -> None:
    original = stack().with_triggers(Trigger("Other", "DLQ"))

    changed = original.with_trigger_settings("Processor", maximum_retry_attempts=0, on_failure_destination="DLQ")

    processor, other = changed.triggers
    assert processor.settings.maximum_retry_attempts == 0
    assert processor.settings.on_failure_destination == "DLQ"
    assert processor.settings.batch_size == 10
    assert other.settings == MappingSettings()
    assert original.triggers[0].settings.maximum_retry_attempts == -1


def test_with_trigger_settings_refuses_an_unknown_setting() -> None:
    with pytest.raises(TypeError, match="max_retries"):
        stack().with_trigger_settings("Processor", max_retries=0)


def test_with_environment_adds_variables_to_that_function_only() -> None:
    original = stack()

    changed = original.with_environment("Processor", MODE="test", TABLE="T2")

    processor, other = changed.functions
    assert processor.environment == {"TABLE": "T2", "MODE": "test"}
    assert other.environment == {}
    assert original.functions[0].environment == {"TABLE": "T"}


def test_with_environment_refuses_a_bad_variable_name() -> None:
    with pytest.raises(ValueError, match="environment variable names"):
        stack().with_environment("Processor", **{"BAD-NAME": "x"})


def test_with_trigger_settings_for_an_unknown_function_is_refused() -> None:
    with pytest.raises(ValueError, match="'Procesor'"):
        stack().with_trigger_settings("Procesor", maximum_retry_attempts=0)


def test_with_environment_for_an_unknown_function_is_refused() -> None:
    with pytest.raises(ValueError, match="'Procesor'"):
        stack().with_environment("Procesor", MODE="test")


def test_duplicate_function_names_are_refused() -> None:
    with pytest.raises(ValueError, match="Processor"):
        stack().with_functions(FunctionSpec("Processor", HANDLER))


def test_trigger_source_arn_is_the_resources_arn() -> None:
    assert Trigger("Processor", "S").source_arn(OUTPUTS) == STREAM_ARN


def test_trigger_source_arn_prefers_a_tables_stream() -> None:
    outputs = {"T": {"arn": "arn:aws:dynamodb:us-east-1:1:table/T", "stream_arn": "arn:aws:dynamodb:x/stream/1"}}

    assert Trigger("Processor", "T").source_arn(outputs) == "arn:aws:dynamodb:x/stream/1"


def test_trigger_source_arn_of_an_undeployed_resource_is_refused() -> None:
    with pytest.raises(ValueError, match="trigger of Processor names 'Nowhere'"):
        Trigger("Processor", "Nowhere").source_arn(OUTPUTS)


def test_resolved_settings_turns_a_resource_name_into_its_arn() -> None:
    trigger = Trigger("Processor", "S", MappingSettings(starting_position="LATEST", on_failure_destination="DLQ"))

    resolved = trigger.resolved_settings(OUTPUTS)

    assert resolved.on_failure_destination == DLQ_ARN
    assert resolved.starting_position == "LATEST"
    assert trigger.settings.on_failure_destination == "DLQ"


def test_resolved_settings_keeps_an_arn_as_it_is() -> None:
    other = "arn:aws:sns:us-east-1:123456789012:Alerts"
    trigger = Trigger("Processor", "S", MappingSettings(on_failure_destination=other))

    assert trigger.resolved_settings(OUTPUTS).on_failure_destination == other


def test_resolved_settings_without_destination_are_unchanged() -> None:
    trigger = Trigger("Processor", "S", MappingSettings(batch_size=5))

    assert trigger.resolved_settings(OUTPUTS) is trigger.settings


def test_resolved_settings_refuses_an_unknown_destination_naming_it() -> None:
    trigger = Trigger("Processor", "S", MappingSettings(on_failure_destination="Missing"))

    with pytest.raises(ValueError, match="trigger of Processor: destination 'Missing' is not a resource of the stack"):
        trigger.resolved_settings(OUTPUTS)
