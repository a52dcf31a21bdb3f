"""The query protocol (SNS): `Action=Op&Name=value` forms in, XML documents out."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

from botocore.model import OperationModel, ServiceModel

from harness.served.protocols.rest import _scalar
from harness.served.service import AwsError
from harness.served.wire import WireRequest, WireResponse, drop_none


def _read(shape: Any, form: dict[str, str], prefix: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        found: dict[str, Any] = {}
        for name, member in shape.members.items():
            key = (
                f"{prefix}.{member.serialization.get('name', name)}"
                if prefix
                else member.serialization.get("name", name)
            )
            value = _read(member, form, key)
            if value is not None:
                found[name] = value
        return found if found or not prefix else None
    if kind == "list":
        flattened = shape.serialization.get("flattened")
        items, index = [], 1
        while True:
            key = f"{prefix}.{index}" if flattened else f"{prefix}.member.{index}"
            value = _read(shape.member, form, key)
            if value is None:
                break
            items.append(value)
            index += 1
        return items or (None if f"{prefix}" not in form else [])
    if kind == "map":
        # As botocore's query serializer writes maps: Prefix.entry.N.<key name>, named by the model
        # (SNS's MessageAttributes: Name and Value), flattened maps without ".entry".
        base = prefix if shape.serialization.get("flattened") else f"{prefix}.entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        entries, index = {}, 1
        while f"{base}.{index}.{key_name}" in form:
            key = form[f"{base}.{index}.{key_name}"]
            entries[key] = _read(shape.value, form, f"{base}.{index}.{value_name}")
            index += 1
        return entries or None
    if prefix not in form:
        return None
    return _scalar(shape, form[prefix])


def _write(parent: ElementTree.Element, tag: str, shape: Any, value: Any) -> None:
    kind = shape.type_name
    if kind == "list":
        holder = parent if shape.serialization.get("flattened") else ElementTree.SubElement(parent, tag)
        for item in value:
            _write(holder, tag if shape.serialization.get("flattened") else "member", shape.member, item)
        return
    element = ElementTree.SubElement(parent, tag)
    if kind == "structure":
        for name, item in value.items():
            member = shape.members[name]
            _write(element, member.serialization.get("name", name), member, item)
    elif kind == "map":
        for key, item in value.items():
            entry = ElementTree.SubElement(element, "entry")
            ElementTree.SubElement(entry, "key").text = str(key)
            _write(entry, "value", shape.value, item)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    elif kind == "timestamp" and isinstance(value, dt.datetime):
        element.text = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    else:
        element.text = str(value)


class QueryCodec:
    """AWS query: the operation in the form's Action, members as dotted form fields."""

    name = "query"

    def operation_name(self, request: WireRequest, model: ServiceModel) -> str | None:
        """The form's Action."""
        action = request.form.get("Action")
        return action if action in model.operation_names else None

    def parse(self, request: WireRequest, operation: OperationModel) -> dict[str, Any]:
        """The form's fields, read per the input shape."""
        shape = operation.input_shape
        return (_read(shape, request.form, "") or {}) if shape is not None else {}

    def serialize(self, output: dict[str, Any], operation: OperationModel) -> WireResponse:
        """`<OpResponse><OpResult>...</OpResult><ResponseMetadata/></OpResponse>`."""
        namespace = operation.service_model.metadata.get("xmlNamespace", "")
        root = ElementTree.Element(f"{operation.name}Response", {"xmlns": namespace} if namespace else {})
        shape = operation.output_shape
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper", f"{operation.name}Result")
            result = ElementTree.SubElement(root, wrapper)
            for name, value in drop_none(output).items():
                if name in shape.members:
                    member = shape.members[name]
                    _write(result, member.serialization.get("name", name), member, value)
        response = WireResponse(200, {"Content-Type": "text/xml"})
        metadata = ElementTree.SubElement(root, "ResponseMetadata")
        ElementTree.SubElement(metadata, "RequestId").text = response.headers["x-amzn-RequestId"]
        response.body = ElementTree.tostring(root, encoding="utf-8")
        return response

    def error(self, error: AwsError, model: ServiceModel) -> WireResponse:
        """`<ErrorResponse><Error><Type/><Code/><Message/></Error></ErrorResponse>`."""
        root = ElementTree.Element("ErrorResponse")
        detail = ElementTree.SubElement(root, "Error")
        ElementTree.SubElement(detail, "Type").text = "Sender" if error.status < 500 else "Receiver"
        ElementTree.SubElement(detail, "Code").text = error.code
        ElementTree.SubElement(detail, "Message").text = error.message
        return WireResponse(error.status, {"Content-Type": "text/xml"}, ElementTree.tostring(root, encoding="utf-8"))
