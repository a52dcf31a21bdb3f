"""Payload templates: the objects of Parameters, ResultSelector and ItemSelector.

In a template, a key ending in `.$` takes its value from a path (`$.x` on the data, `$$.x` on the context
object) or from an intrinsic function, and loses the `.$`; every other value is copied as it is. Objects
nested in the template, including those inside arrays, are templates too.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from harness.states.errors import RUNTIME, InvalidDefinition, StatesError
from harness.states.intrinsics import IntrinsicSyntaxError, evaluate_intrinsic, validate_intrinsic
from harness.states.jsonpath import PathError, PathNotFound, read_path, validate_path

DYNAMIC_SUFFIX = ".$"


def render_template(template: Any, data: Any, context: Any = None) -> Any:
    """The payload a template builds from a state's data and the context object; shares nothing with either.

    Raises StatesError("States.Runtime") naming the field and the path when a path matches nothing, and
    the intrinsic function's StatesError when one fails.
    """
    if isinstance(template, dict):
        rendered: dict[str, Any] = {}
        for key, value in template.items():
            if key.endswith(DYNAMIC_SUFFIX):
                rendered[key[: -len(DYNAMIC_SUFFIX)]] = _dynamic_value(key, value, data, context)
            else:
                rendered[key] = render_template(value, data, context)
        return rendered
    if isinstance(template, list):
        return [render_template(item, data, context) for item in template]
    return copy.deepcopy(template)


def _dynamic_value(key: str, expression: Any, data: Any, context: Any) -> Any:
    if not isinstance(expression, str):
        raise StatesError(RUNTIME, f"The value for the field '{key}' must be a STRING that contains a JSONPath")
    if not expression.startswith("$"):
        return evaluate_intrinsic(expression, data, context)
    try:
        return read_path(expression, data, context)
    except PathNotFound:
        document = context if expression.startswith("$$") else data
        raise StatesError(
            RUNTIME,
            f"The JSONPath '{expression}' specified for the field '{key}' could not be found in the input"
            f" '{json.dumps(document, separators=(',', ':'), ensure_ascii=False)}'",
        ) from None
    except PathError as error:
        raise StatesError(RUNTIME, f"The value for the field '{key}' is not a valid JSONPath: {error}") from None


def validate_template(template: Any, where: str) -> None:
    """Raise InvalidDefinition naming `where` and the field for a bad path or intrinsic in a template.

    `where` names the state and the field, e.g. "State 'Prepare' field 'Parameters'".
    """
    _validate(template, where, ())


def _validate(template: Any, where: str, location: tuple[str, ...]) -> None:
    if isinstance(template, list):
        for index, item in enumerate(template):
            _validate(item, where, (*location, f"[{index}]"))
        return
    if not isinstance(template, dict):
        return
    for key, value in template.items():
        if not key.endswith(DYNAMIC_SUFFIX):
            _validate(value, where, (*location, key))
            continue
        field = _field_name(location, key)
        plain = key[: -len(DYNAMIC_SUFFIX)]
        if not plain:
            raise InvalidDefinition(f"{where}: the field {field} has no name before '.$'")
        if plain in template:
            raise InvalidDefinition(f"{where}: the fields '{plain}' and '{key}' would both set '{plain}'")
        if not isinstance(value, str):
            raise InvalidDefinition(
                f"{where}: the value of the field {field} must be a string holding a JSONPath or an intrinsic"
                f" function, not {json.dumps(value)}"
            )
        try:
            if value.startswith("$"):
                validate_path(value)
            else:
                validate_intrinsic(value)
        except (PathError, IntrinsicSyntaxError) as error:
            raise InvalidDefinition(
                f"{where}: the value of the field {field} must be a valid JSONPath or intrinsic function: {error}"
            ) from None


def _field_name(location: tuple[str, ...], key: str) -> str:
    inside = "".join(part if part.startswith("[") else f".{part}" for part in location).lstrip(".")
    return f"'{key}'" + (f" (in {inside})" if inside else "")
