"""The intrinsic functions of the Amazon States Language (`States.Format(...)`, `States.Array(...)`, ...).

An intrinsic is parsed once into a small tree (calls, literals, paths) and evaluated against a state's data
and the context object. Arguments may be string literals in single quotes (with the escapes `\\'`, `\\{`,
`\\}` and `\\\\`), numbers, `true`, `false`, `null`, paths (`$.x`, `$$.Execution.Id`) and nested calls.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from harness.states.errors import INTRINSIC_FAILURE, RUNTIME, StatesError
from harness.states.jsonpath import PathError, PathNotFound, read_path, validate_path

MAX_NESTING = 10  # AWS: "You can nest up to 10 intrinsic functions within a field"
MAX_ARRAY_RANGE_ITEMS = 1000
MAX_TEXT_CHARACTERS = 10_000  # Base64Encode, Base64Decode and Hash inputs
MATH_ADD_RANGE = (-(2**31), 2**31 - 1)
HASH_ALGORITHMS = {
    "MD5": hashlib.md5,
    "SHA-1": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}

_CALL_START = re.compile(r"\s*(States\.[A-Za-z0-9]+)\s*\(")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_ESCAPABLE = "'{}\\"


class IntrinsicSyntaxError(ValueError):
    """An intrinsic function call that cannot be parsed, names an unknown function or has the wrong arity."""


@dataclass(frozen=True)
class _Literal:
    value: Any
    raw: str | None = None  # a string literal's text between its quotes, escapes kept (States.Format needs it)


@dataclass(frozen=True)
class _PathArgument:
    path: str


@dataclass(frozen=True)
class _Call:
    name: str
    arguments: tuple[_Literal | _PathArgument | _Call, ...]
    text: str


_Argument = _Literal | _PathArgument | _Call


# -- parsing --------------------------------------------------------------------------------------------------


class _Parser:
    """Reads one intrinsic call, naming the expression, the position and the problem when it cannot."""

    def __init__(self, expression: str) -> None:
        self.text = expression
        self.pos = 0

    def fail(self, problem: str) -> IntrinsicSyntaxError:
        return IntrinsicSyntaxError(f"Invalid intrinsic function '{self.text}': {problem}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_spaces(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def parse(self) -> _Call:
        call = self.call(depth=1)
        self.skip_spaces()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos :]!r} after the closing ')' at position {self.pos}")
        return call

    def call(self, depth: int) -> _Call:
        start = self.pos
        match = _CALL_START.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"a function call such as States.Format(...) is expected at position {self.pos}")
        name = match.group(1)
        if name not in _FUNCTIONS:
            raise self.fail(f"unknown function {name}; the intrinsic functions are {', '.join(sorted(_FUNCTIONS))}")
        if depth > MAX_NESTING:
            raise self.fail(f"intrinsic functions may be nested at most {MAX_NESTING} deep")
        self.pos = match.end()
        arguments: list[_Argument] = []
        self.skip_spaces()
        if self.peek() == ")":
            self.pos += 1
        else:
            while True:
                arguments.append(self.argument(depth))
                self.skip_spaces()
                char = self.peek()
                self.pos += 1
                if char == ")":
                    break
                if char != ",":
                    if char == "":
                        raise self.fail(f"the parenthesis of {name} is never closed")
                    raise self.fail(f"',' or ')' expected at position {self.pos - 1}, found {char!r}")
        _check_arity(self, name, len(arguments))
        call = _Call(name, tuple(arguments), self.text[start : self.pos].strip())
        if name == "States.Format":
            _check_format_template(self, call)
        return call

    def argument(self, depth: int) -> _Argument:
        self.skip_spaces()
        char = self.peek()
        if char == "'":
            return self.string()
        if char == "$":
            return self.path()
        if self.text.startswith("States.", self.pos):
            return self.call(depth + 1)
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            literal = number.group(0)
            return _Literal(float(literal) if number.group(1) or number.group(2) else int(literal))
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return _Literal(value)
        if char in (")", ","):
            raise self.fail(f"an argument is missing at position {self.pos}")
        if char == "":
            raise self.fail("the expression ends before its closing ')'")
        raise self.fail(
            f"unexpected {char!r} at position {self.pos}: an argument is a 'string', a number, true, false, null,"
            " a path or an intrinsic function"
        )

    def string(self) -> _Literal:
        start = self.pos
        self.pos += 1
        chars: list[str] = []
        while True:
            char = self.peek()
            if char == "":
                raise self.fail(f"the string starting at position {start} is never closed with '")
            self.pos += 1
            if char == "\\":
                escaped = self.peek()
                if escaped == "" or escaped not in _ESCAPABLE:
                    allowed = "\\', \\{, \\} and \\\\"
                    raise self.fail(f"bad escape '\\{escaped}' at position {self.pos - 1}; only {allowed} are allowed")
                chars.append(escaped)
                self.pos += 1
            elif char == "'":
                return _Literal("".join(chars), raw=self.text[start + 1 : self.pos - 1])
            else:
                chars.append(char)

    def path(self) -> _PathArgument:
        start = self.pos
        depth = 0
        quote = ""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if quote:
                if char == "\\":
                    self.pos += 1
                elif char == quote:
                    quote = ""
            elif char in ("'", '"'):
                quote = char
            elif char in "([":
                depth += 1
            elif char in ")]":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            self.pos += 1
        path = self.text[start : self.pos].rstrip()
        try:
            validate_path(path)
        except PathError as error:
            raise self.fail(str(error)) from None
        return _PathArgument(path)


def _check_arity(parser: _Parser, name: str, count: int) -> None:
    least, most = _FUNCTIONS[name][1], _FUNCTIONS[name][2]
    if count < least or (most is not None and count > most):
        if most is None:
            expected = f"at least {least}"
        elif least == most:
            expected = f"exactly {least}"
        else:
            expected = f"{least} to {most}"
        raise parser.fail(f"{name} takes {expected} argument{'' if expected.endswith(' 1') else 's'}, not {count}")


def _check_format_template(parser: _Parser, call: _Call) -> None:
    template = call.arguments[0]
    if isinstance(template, _Literal):
        if not isinstance(template.value, str):
            raise parser.fail("the first argument of States.Format must be a string")
        placeholders = len(_format_pieces(template.raw or "", escapes=True)) - 1
        if placeholders != len(call.arguments) - 1:
            raise parser.fail(_placeholder_mismatch(placeholders, len(call.arguments) - 1))


def _placeholder_mismatch(placeholders: int, values: int) -> str:
    return (
        f"the template of States.Format has {placeholders} placeholder{'s' if placeholders != 1 else ''} '{{}}'"
        f" but {values} value{'s were' if values != 1 else ' was'} given"
    )


def _parse(expression: str) -> _Call:
    if not isinstance(expression, str):
        raise IntrinsicSyntaxError(f"An intrinsic function must be a string, not {type(expression).__name__}")
    return _parse_text(expression)


@lru_cache(maxsize=4096)
def _parse_text(expression: str) -> _Call:
    return _Parser(expression).parse()


# -- public API -----------------------------------------------------------------------------------------------


def is_intrinsic(text: Any) -> bool:
    """Whether `text` looks like an intrinsic function call (`States.Name(`...)."""
    return isinstance(text, str) and _CALL_START.match(text) is not None


def validate_intrinsic(expression: str) -> None:
    """Raise IntrinsicSyntaxError naming the expression and the problem unless it is a well-formed call."""
    _parse(expression)


def evaluate_intrinsic(expression: str, data: Any, context: Any = None) -> Any:
    """The value of an intrinsic function call on a state's data and the context object.

    Raises StatesError("States.IntrinsicFailure") when the arguments do not suit the function, and
    StatesError("States.Runtime") when a path argument matches nothing.
    """
    try:
        call = _parse(expression)
    except IntrinsicSyntaxError as error:
        raise StatesError(INTRINSIC_FAILURE, str(error)) from None
    return _evaluate(call, data, context)


# -- evaluation -----------------------------------------------------------------------------------------------


def _evaluate(node: _Argument, data: Any, context: Any) -> Any:
    if isinstance(node, _Literal):
        return node.value
    if isinstance(node, _PathArgument):
        try:
            return read_path(node.path, data, context)
        except PathNotFound:
            document = context if node.path.startswith("$$") else data
            raise StatesError(
                RUNTIME, f"The JSONPath '{node.path}' could not be found in the input '{_compact(document)}'"
            ) from None
    values = [_evaluate(argument, data, context) for argument in node.arguments]
    implementation = _FUNCTIONS[node.name][0]
    return implementation(_Invocation(node), values)


@dataclass(frozen=True)
class _Invocation:
    """The call being evaluated: names it in failures and gives States.Format its template's text."""

    call: _Call

    def fail(self, problem: str) -> StatesError:
        return StatesError(INTRINSIC_FAILURE, f"Invalid arguments in {self.call.name}: {problem}")

    def array(self, values: list[Any], position: int) -> list[Any]:
        value = values[position]
        if not isinstance(value, list):
            raise self.fail(f"argument {position + 1} must be an array, not {_describe(value)}")
        return value

    def string(self, values: list[Any], position: int, *, limit: int | None = None) -> str:
        value = values[position]
        if not isinstance(value, str):
            raise self.fail(f"argument {position + 1} must be a string, not {_describe(value)}")
        if limit is not None and len(value) > limit:
            raise self.fail(f"argument {position + 1} has {len(value)} characters; at most {limit} are allowed")
        return value

    def obj(self, values: list[Any], position: int) -> dict[str, Any]:
        value = values[position]
        if not isinstance(value, dict):
            raise self.fail(f"argument {position + 1} must be a JSON object, not {_describe(value)}")
        return value

    def integer(self, values: list[Any], position: int) -> int:
        """An integer argument; AWS rounds a non-integer number to the nearest integer."""
        value = values[position]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise self.fail(f"argument {position + 1} must be an integer, not {_describe(value)}")
        return value if isinstance(value, int) else math.floor(value + 0.5)


def _describe(value: Any) -> str:
    kind = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )
    return kind if value is None else f"{kind} ({_compact(value)[:80]})"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _canonical(value: Any) -> str:
    """A key under which equal JSON values (whatever their key order) compare equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _format_pieces(template: str, *, escapes: bool) -> list[str]:
    """The literal text around each `{}` of a States.Format template (one more piece than placeholders)."""
    pieces: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        if escapes and char == "\\" and index + 1 < len(template):
            current.append(template[index + 1])
            index += 2
            continue
        if template.startswith("{}", index):
            pieces.append("".join(current))
            current = []
            index += 2
            continue
        current.append(char)
        index += 1
    pieces.append("".join(current))
    return pieces


def _format_value(value: Any) -> str:
    """A value as States.Format writes it: strings as they are, objects and arrays as Java prints maps and lists."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={_format_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_format_value(item) for item in value) + "]"
    return json.dumps(value)


def _states_format(call: _Invocation, values: list[Any]) -> str:
    template = call.call.arguments[0]
    if isinstance(template, _Literal) and template.raw is not None:
        pieces = _format_pieces(template.raw, escapes=True)
    else:
        pieces = _format_pieces(call.string(values, 0), escapes=False)
    arguments = values[1:]
    if len(pieces) - 1 != len(arguments):
        raise call.fail(_placeholder_mismatch(len(pieces) - 1, len(arguments)))
    out = [pieces[0]]
    for argument, piece in zip(arguments, pieces[1:], strict=True):
        out.append(_format_value(argument))
        out.append(piece)
    return "".join(out)


def _string_to_json(call: _Invocation, values: list[Any]) -> Any:
    text = call.string(values, 0)
    if not text.strip():
        return None  # Step Functions turns an empty or blank string into null
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise call.fail(f"argument 1 is not valid JSON text ({error})") from None


def _json_to_string(call: _Invocation, values: list[Any]) -> str:
    return _compact(values[0])


def _array(call: _Invocation, values: list[Any]) -> list[Any]:
    return list(values)


def _array_partition(call: _Invocation, values: list[Any]) -> list[list[Any]]:
    items = call.array(values, 0)
    size = call.integer(values, 1)
    if size <= 0:
        raise call.fail(f"the chunk size must be a positive integer, not {size}")
    return [items[start : start + size] for start in range(0, len(items), size)]


def _array_contains(call: _Invocation, values: list[Any]) -> bool:
    items = call.array(values, 0)
    wanted = _canonical(values[1])
    return any(_canonical(item) == wanted for item in items)


def _array_range(call: _Invocation, values: list[Any]) -> list[int]:
    start, end, step = (call.integer(values, position) for position in range(3))
    if step == 0:
        raise call.fail("the step (argument 3) must not be 0")
    count = max(0, (end - start) // step + 1)
    if count > MAX_ARRAY_RANGE_ITEMS:
        raise call.fail(f"the range would have {count} items; at most {MAX_ARRAY_RANGE_ITEMS} are allowed")
    return [start + step * index for index in range(count)]


def _array_get_item(call: _Invocation, values: list[Any]) -> Any:
    items = call.array(values, 0)
    index = call.integer(values, 1)
    if not 0 <= index < len(items):
        raise call.fail(f"the index {index} is out of bounds for an array of {len(items)} items")
    return items[index]


def _array_length(call: _Invocation, values: list[Any]) -> int:
    return len(call.array(values, 0))


def _array_unique(call: _Invocation, values: list[Any]) -> list[Any]:
    seen: set[str] = set()
    unique = []
    for item in call.array(values, 0):
        key = _canonical(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def _base64_encode(call: _Invocation, values: list[Any]) -> str:
    text = call.string(values, 0, limit=MAX_TEXT_CHARACTERS)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _base64_decode(call: _Invocation, values: list[Any]) -> str:
    text = call.string(values, 0, limit=MAX_TEXT_CHARACTERS)
    try:
        return base64.b64decode(text.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError) as error:
        raise call.fail(f"argument 1 is not Base64 encoded text ({error})") from None


def _hash(call: _Invocation, values: list[Any]) -> str:
    text = call.string(values, 0, limit=MAX_TEXT_CHARACTERS)
    algorithm = values[1]
    if algorithm not in HASH_ALGORITHMS:
        raise call.fail(f"the algorithm {_compact(algorithm)} is not one of {', '.join(HASH_ALGORITHMS)}")
    return HASH_ALGORITHMS[algorithm](text.encode("utf-8")).hexdigest()


def _json_merge(call: _Invocation, values: list[Any]) -> dict[str, Any]:
    first, second = call.obj(values, 0), call.obj(values, 1)
    if values[2] is not False:
        raise call.fail("only the shallow merge is supported: argument 3 must be false")
    return {**first, **second}


def _math_random(call: _Invocation, values: list[Any]) -> int:
    start, end = call.integer(values, 0), call.integer(values, 1)
    if start >= end:
        raise call.fail(f"the start ({start}) must be less than the end ({end})")
    if len(values) == 3:
        return random.Random(call.integer(values, 2)).randrange(start, end)
    return random.randrange(start, end)


def _math_add(call: _Invocation, values: list[Any]) -> int:
    low, high = MATH_ADD_RANGE
    numbers = [call.integer(values, position) for position in range(2)]
    for position, number in enumerate(numbers):
        if not low <= number <= high:
            raise call.fail(f"argument {position + 1} ({number}) is outside the range {low} to {high}")
    return numbers[0] + numbers[1]


def _string_split(call: _Invocation, values: list[Any]) -> list[str]:
    text = call.string(values, 0)
    delimiters = call.string(values, 1)
    if not delimiters:
        return [text] if text else []
    parts = re.split("|".join(re.escape(char) for char in delimiters), text)
    return [part for part in parts if part]


def _uuid(call: _Invocation, values: list[Any]) -> str:
    return str(uuid.uuid4())


_Implementation = Callable[[_Invocation, list[Any]], Any]

# name -> (implementation, least arguments, most arguments or None for any number)
_FUNCTIONS: dict[str, tuple[_Implementation, int, int | None]] = {
    "States.Format": (_states_format, 1, None),
    "States.StringToJson": (_string_to_json, 1, 1),
    "States.JsonToString": (_json_to_string, 1, 1),
    "States.Array": (_array, 0, None),
    "States.ArrayPartition": (_array_partition, 2, 2),
    "States.ArrayContains": (_array_contains, 2, 2),
    "States.ArrayRange": (_array_range, 3, 3),
    "States.ArrayGetItem": (_array_get_item, 2, 2),
    "States.ArrayLength": (_array_length, 1, 1),
    "States.ArrayUnique": (_array_unique, 1, 1),
    "States.Base64Encode": (_base64_encode, 1, 1),
    "States.Base64Decode": (_base64_decode, 1, 1),
    "States.Hash": (_hash, 2, 2),
    "States.JsonMerge": (_json_merge, 3, 3),
    "States.MathRandom": (_math_random, 2, 3),
    "States.MathAdd": (_math_add, 2, 2),
    "States.StringSplit": (_string_split, 2, 2),
    "States.UUID": (_uuid, 0, 0),
}

FUNCTION_NAMES = frozenset(_FUNCTIONS)
