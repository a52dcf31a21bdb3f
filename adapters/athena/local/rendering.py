"""Values and types as Athena (Trino) shows them: `99.9`, `1.0E7`, `2025-01-01 00:00:00.000`, `bigint`."""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
from decimal import Decimal
from typing import Any

from adapters.athena.interface import ResultColumn


def java_double(value: float) -> str:
    """A double as Java's Double.toString writes it (Trino's text for a double)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    return _java_format(repr(value), abs(value))


def java_float(value: float) -> str:
    """A real as Java's Float.toString writes it: the shortest digits that read back as the same float."""
    if math.isnan(value) or math.isinf(value) or value == 0:
        return java_double(value)
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            return _java_format(repr(float(text)), abs(single))
    return java_double(single)


def _java_format(shortest: str, magnitude: float) -> str:
    if 1e-3 <= magnitude < 1e7:
        text = shortest if "e" not in shortest else f"{Decimal(shortest):f}"
        return text if "." in text else text + ".0"
    sign, digits, exponent = Decimal(shortest).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) - 1 + int(exponent)
    mantissa = text[0] + "." + (text[1:] or "0")
    return ("-" if sign else "") + f"{mantissa}E{power}"


def render(value: Any, type_name: str) -> str | None:
    """One value as a string in Athena's results (None stays NULL)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_float(value) if type_name == "FLOAT" else java_double(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        inner = type_name[:-2] if type_name.endswith("[]") else ""
        return "[" + ", ".join(_nested(v, inner) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_nested(k, '')}={_nested(v, '')}" for k, v in value.items()) + "}"
    if isinstance(value, bytes):
        return " ".join(f"{b:02x}" for b in value)
    return str(value)


def _nested(value: Any, type_name: str) -> str:
    text = render(value, type_name)
    return "null" if text is None else text


_SIMPLE = {
    "VARCHAR": ("varchar", 2147483647),
    "INTEGER": ("integer", 10),
    "BIGINT": ("bigint", 19),
    "HUGEINT": ("bigint", 19),
    "UBIGINT": ("bigint", 19),
    "UINTEGER": ("bigint", 19),
    "SMALLINT": ("smallint", 5),
    "USMALLINT": ("integer", 10),
    "TINYINT": ("tinyint", 3),
    "UTINYINT": ("smallint", 5),
    "DOUBLE": ("double", 17),
    "FLOAT": ("real", 7),
    "BOOLEAN": ("boolean", 0),
    "DATE": ("date", 0),
    "TIMESTAMP": ("timestamp", 3),
    "TIMESTAMP WITH TIME ZONE": ("timestamp with time zone", 3),
    "BLOB": ("varbinary", 2147483647),
    '"NULL"': ("unknown", 0),
    "NULL": ("unknown", 0),
}


def result_column(name: str, duckdb_type: str) -> ResultColumn:
    """A result column with the Trino type name Athena reports for a DuckDB result type."""
    if duckdb_type in _SIMPLE:
        type_name, precision = _SIMPLE[duckdb_type]
        return ResultColumn(name, type_name, precision)
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", duckdb_type)
    if decimal:
        return ResultColumn(name, "decimal", int(decimal.group(1)), int(decimal.group(2)))
    if duckdb_type.endswith("[]"):
        return ResultColumn(name, "array")
    if duckdb_type.startswith("MAP("):
        return ResultColumn(name, "map")
    if duckdb_type.startswith("STRUCT("):
        return ResultColumn(name, "row")
    return ResultColumn(name, "varchar", 2147483647)
