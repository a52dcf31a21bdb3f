"""A rule target's Input, InputPath and InputTransformer: validated when declared, applied once per delivery.

The harness applies these itself (the plumbing target on the backend carries none of them), so the
transformation happens exactly once, with EventBridge's rules:

- `Input`: constant JSON text, sent instead of the event.
- `InputPath`: the part of the event a JSON path selects (`null` when it selects nothing).
- `InputTransformer`: variables from `InputPathsMap` (JSON paths into the event) and the predefined
  `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event.ingestion-time`, `aws.events.event`
  (the event without `detail`) and `aws.events.event.json` (the whole event) fill `<name>` placeholders
  of `InputTemplate`. In a JSON template (an object, array or string), a placeholder outside a string
  becomes the value as JSON (strings gain quotes) and one inside a string becomes the value's text,
  escaped so the result stays valid JSON. In a plain-text template (for queue and topic targets) every
  placeholder becomes the value's text. A variable whose path matches nothing is not created: its
  placeholder becomes `null` outside a JSON string and nothing elsewhere. Unknown placeholders stay.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from harness.routing.json_path import MISSING, InvalidJsonPath, parse_json_path

MAX_INPUT = 8192
MAX_PATH = 256
MAX_VARIABLES = 100
_VARIABLE = re.compile(r"^[A-Za-z0-9_\-]+$")
_PLACEHOLDER = re.compile(r"<([A-Za-z0-9_.\-]+)>")
PREDEFINED = (
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
)


@dataclass(frozen=True)
class RuleContext:
    """What the predefined variables say about one delivery."""

    rule_arn: str
    rule_name: str
    ingestion_time: str


@dataclass(frozen=True)
class TargetInput:
    """What a target receives instead of the whole event; at most one of the three is set."""

    input: str | None = None
    input_path: str | None = None
    input_transformer: dict[str, Any] | None = field(default=None, hash=False)

    def validate(self, owner: str, *, json_required: bool) -> None:
        """Raise ValueError naming `owner` (e.g. "target PaymentService of rule PayOnOrder") and the problem.

        `json_required` is set for function targets: Lambda only accepts a JSON payload.
        """
        chosen = [name for name in ("input", "input_path", "input_transformer") if getattr(self, name) is not None]
        if len(chosen) > 1:
            raise ValueError(f"{owner}: Input, InputPath and InputTransformer are exclusive; got {chosen}")
        if self.input is not None:
            _check_input(owner, self.input)
        if self.input_path is not None:
            _check_path(owner, "InputPath", self.input_path)
        if self.input_transformer is not None:
            _check_transformer(owner, self.input_transformer, json_required)

    def render(self, event: dict[str, Any], rule: RuleContext) -> str:
        """The text the target receives for `event`."""
        if self.input is not None:
            return self.input
        if self.input_path is not None:
            value = parse_json_path(self.input_path).find(event)
            return "null" if value is MISSING else json.dumps(value)
        if self.input_transformer is not None:
            return _fill_template(self.input_transformer, event, rule)
        return json.dumps(event)

    def as_target_fields(self) -> dict[str, Any]:
        """The PutTargets fields this input corresponds to."""
        fields: dict[str, Any] = {}
        if self.input is not None:
            fields["Input"] = self.input
        if self.input_path is not None:
            fields["InputPath"] = self.input_path
        if self.input_transformer is not None:
            fields["InputTransformer"] = dict(self.input_transformer)
        return fields


def _check_input(owner: str, text: str) -> None:
    if not isinstance(text, str) or not 1 <= len(text) <= MAX_INPUT:
        raise ValueError(f"{owner}: Input must be JSON text of 1 to {MAX_INPUT} characters")
    try:
        json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{owner}: Input is not valid JSON text ({exc})") from None


def _check_path(owner: str, what: str, path: Any) -> None:
    if not isinstance(path, str) or len(path) > MAX_PATH:
        raise ValueError(f"{owner}: {what} must be a JSON path of at most {MAX_PATH} characters, got {path!r}")
    try:
        parse_json_path(path)
    except InvalidJsonPath as exc:
        raise ValueError(f"{owner}: {what} {exc}") from None


def _check_transformer(owner: str, transformer: Any, json_required: bool) -> None:
    if not isinstance(transformer, dict):
        raise ValueError(f"{owner}: InputTransformer must be a mapping with InputTemplate and InputPathsMap")
    unknown = sorted(set(transformer) - {"InputTemplate", "InputPathsMap"})
    if unknown:
        raise ValueError(f"{owner}: InputTransformer has unknown fields {unknown}")
    template = transformer.get("InputTemplate")
    if not isinstance(template, str) or not 1 <= len(template) <= MAX_INPUT:
        raise ValueError(f"{owner}: InputTransformer.InputTemplate must be text of 1 to {MAX_INPUT} characters")
    paths = transformer.get("InputPathsMap", {})
    if not isinstance(paths, dict):
        raise ValueError(f"{owner}: InputTransformer.InputPathsMap must be a mapping of names to JSON paths")
    if len(paths) > MAX_VARIABLES:
        raise ValueError(f"{owner}: InputPathsMap has {len(paths)} variables; at most {MAX_VARIABLES} are allowed")
    for name, path in paths.items():
        if not isinstance(name, str) or not _VARIABLE.match(name):
            raise ValueError(
                f"{owner}: InputPathsMap variable {name!r} must be letters, digits, '-' or '_' "
                "(names starting with aws. are reserved)"
            )
        _check_path(owner, f"InputPathsMap[{name!r}]", path)
    if json_required:
        defined = {*PREDEFINED, *paths}
        sample = _substitute(template, lambda name, quoted: None if name not in defined else "x" if quoted else "null")
        try:
            json.loads(sample)
        except ValueError as exc:
            raise ValueError(
                f"{owner}: InputTemplate is not valid JSON once its placeholders are filled ({exc}); "
                "a function target needs a JSON payload (wrap text in quotes to send a string)"
            ) from None


def _fill_template(transformer: dict[str, Any], event: dict[str, Any], rule: RuleContext) -> str:
    values: dict[str, Any] = {
        "aws.events.rule-arn": rule.rule_arn,
        "aws.events.rule-name": rule.rule_name,
        "aws.events.event.ingestion-time": rule.ingestion_time,
        "aws.events.event": {key: value for key, value in event.items() if key != "detail"},
        "aws.events.event.json": event,
    }
    defined = set(values)
    for name, path in transformer.get("InputPathsMap", {}).items():
        defined.add(name)
        value = parse_json_path(path).find(event)
        if value is not MISSING:
            values[name] = value

    template = transformer["InputTemplate"]
    plain = not is_json_template(template)

    def replacement(name: str, quoted: bool) -> str | None:
        if name not in defined:
            return None
        if name not in values:
            return "" if quoted or plain else "null"
        value = values[name]
        text = value if isinstance(value, str) else json.dumps(value)
        if plain:
            return text
        return json.dumps(text)[1:-1] if quoted else json.dumps(value)

    return _substitute(template, replacement)


def is_json_template(template: str) -> bool:
    """True when the template is meant as JSON (an object, an array or a string), not plain text."""
    return template.lstrip().startswith(("{", "[", '"'))


def _substitute(template: str, replacement: Callable[[str, bool], str | None]) -> str:
    """Replace placeholders, telling `replacement` whether each sits inside a JSON string literal."""
    out: list[str] = []
    quoted = False
    position = 0
    while position < len(template):
        char = template[position]
        if char == "\\" and quoted:
            out.append(template[position : position + 2])
            position += 2
            continue
        if char == '"':
            quoted = not quoted
        elif char == "<":
            match = _PLACEHOLDER.match(template, position)
            if match is not None:
                text = replacement(match[1], quoted)
                if text is not None:
                    out.append(text)
                    position = match.end()
                    continue
        out.append(char)
        position += 1
    return "".join(out)
