"""Checks against botocore's service models: what a served operation takes and answers."""

from __future__ import annotations

import functools
from typing import Any

from botocore.model import OperationModel, ServiceModel
from botocore.validate import ParamValidator

from harness.backends.base import new_model_loader


class ShapeMismatch(AssertionError):
    """A served operation's input or output does not fit botocore's shape for it."""


@functools.cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of a service (loaded once per process)."""
    # A loader of its own (clients customise the models they load); a botocore session would read ~/.aws.
    return ServiceModel(_loader().load_service_model(service, "service-2"), service_name=service)


@functools.cache
def _loader() -> Any:
    return new_model_loader()


def operation_model(service: str, operation: str) -> OperationModel:
    """botocore's model of one operation; KeyError-free: botocore raises OperationNotFoundError."""
    return service_model(service).operation_model(operation)


def _check(value: Any, shape: Any, what: str) -> None:
    if shape is None:
        return
    report = ParamValidator().validate(value, shape)
    if report.has_errors():
        raise ShapeMismatch(f"{what} does not fit botocore's shape {shape.name}:\n{report.generate_report()}")


def check_input(service: str, operation: str, params: dict[str, Any]) -> None:
    """Raise ShapeMismatch unless `params` is a valid input for the operation."""
    _check(params, operation_model(service, operation).input_shape, f"input of {service}.{operation}")


def check_output(service: str, operation: str, output: dict[str, Any]) -> None:
    """Raise ShapeMismatch unless `output` is a valid output of the operation (event streams are not walked)."""
    model = operation_model(service, operation)
    shape = model.output_shape
    if shape is None:
        return
    if model.has_event_stream_output:
        streams = {name for name, member in shape.members.items() if member.serialization.get("eventstream")}
        output = {k: v for k, v in output.items() if k not in streams}
        # Required-ness of the stream member is the handler's business, not this check's.
        members = {k: v for k, v in shape.members.items() if k not in streams}
        shape = _structure_without(shape, members)
    _check(output, shape, f"output of {service}.{operation}")


def _structure_without(shape: Any, members: dict[str, Any]) -> Any:
    clone = type(shape).__new__(type(shape))
    clone.__dict__.update(shape.__dict__)
    required = [name for name in shape.required_members if name in members]
    clone._shape_model = {**shape._shape_model, "required": required}
    clone.__dict__["members"] = members
    clone.__dict__["required_members"] = required
    clone.__dict__["metadata"] = {**shape.metadata, "required": required}  # metadata may be cached already
    return clone


def call_operation(api: Any, operation: str, params: dict[str, Any] | None = None) -> Any:
    """Call one operation of a served API the way the gateway does, checking input and output shapes.

    For unit tests of a served API before or without the wire.
    """
    params = params or {}
    check_input(api.service, operation, params)
    output = api.operations()[operation](params)
    if isinstance(output, dict):
        check_output(api.service, operation, output)
    return output
