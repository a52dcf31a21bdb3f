"""Each SerDe's rows as DuckDB SQL over local copies of a table's objects, typed as the table declares.

Text formats follow Hive: every field is read as text and converted to the column's type, so a value
that does not parse gives NULL and a line with too few fields gives NULLs for the missing columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from adapters.athena.local.errors import QueryFailed
from adapters.athena.local.table import CSV, JSON, PARQUET, Column, Table


def quote(name: str) -> str:
    """A DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A DuckDB string literal."""
    return "'" + text.replace("'", "''") + "'"


def duckdb_type(hive_type: str) -> str:
    """The DuckDB type for a Hive column type."""
    try:
        return exp.DataType.build(hive_type, dialect="hive").sql(dialect="duckdb")
    except (sqlglot.errors.ParseError, ValueError):
        raise QueryFailed(f"HIVE_INVALID_METADATA: unknown column type {hive_type}") from None


def _convert(value_sql: str, column: Column) -> str:
    target = duckdb_type(column.type)
    if target in {"TEXT", "VARCHAR"}:
        return f"{value_sql} AS {quote(column.name)}"
    return f"TRY_CAST({value_sql} AS {target}) AS {quote(column.name)}"


def _files(paths: Iterable[Path]) -> str:
    return "[" + ", ".join(literal(str(p)) for p in paths) + "]"


def empty_sql(columns: Iterable[Column]) -> str:
    """A relation with the columns' names and types and no rows."""
    return (
        "SELECT " + ", ".join(f"CAST(NULL AS {duckdb_type(c.type)}) AS {quote(c.name)}" for c in columns) + " LIMIT 0"
    )


def delimited_text_sql(table: Table, files: list[Path]) -> str:
    """LazySimpleSerDe: lines split on the field delimiter, no quoting; `\\N` is NULL, extra fields ignored."""
    params = table.serde_parameters
    delimiter = params.get("field.delim") or params.get("serialization.format") or "\x01"
    null = params.get("serialization.null.format", "\\N")
    names = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(table.columns))) + "}"
    source = (
        f"read_csv({_files(files)}, columns={names}, header=false, skip={table.skip_header_lines}, "
        f"delim={literal(delimiter)}, quote='', escape='', nullstr={literal(null)}, null_padding=true, "
        "strict_mode=false, auto_detect=false, new_line='\\n')"
    )
    values = [_convert(f"c{i}", c) for i, c in enumerate(table.columns)]
    return f"SELECT {', '.join(values)} FROM {source}"


def _normalized_csv(rows: Iterator[list[str | None]], path: Path) -> None:
    # Quoted fields are strings (empty included); an unquoted empty field is NULL.
    with path.open("w", encoding="utf-8", newline="") as out:
        for row in rows:
            out.write(",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in row) + "\n")


def _read_normalized(table: Table, path: Path) -> str:
    names = {f"c{i}": "VARCHAR" for i in range(len(table.columns))}
    source = (
        f"read_csv({literal(str(path))}, columns={names!r}, header=false, delim=',', quote='\"', "
        "escape='\"', allow_quoted_nulls=false, auto_detect=false)"
    )
    values = [_convert(f"c{i}", c) for i, c in enumerate(table.columns)]
    return f"SELECT {', '.join(values)} FROM {source}"


def open_csv_rows(table: Table, files: list[Path]) -> Iterator[list[str | None]]:
    """OpenCSVSerde: quoted CSV, every value a string, short rows padded with NULLs, long rows cut."""
    params = table.serde_parameters
    width = len(table.columns)
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(
                handle,
                delimiter=params.get("separatorChar", ","),
                quotechar=params.get("quoteChar", '"'),
                escapechar=params.get("escapeChar", "\\"),
            )
            for number, row in enumerate(reader):
                if number < table.skip_header_lines:
                    continue
                yield [*row[:width], *([None] * (width - len(row)))]


def _json_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def json_rows(table: Table, files: list[Path]) -> Iterator[list[str | None]]:
    """JSON SerDe: one object per line, keys matched case-insensitively, missing keys NULL."""
    ignore_malformed = table.serde_parameters.get("ignore.malformed.json", "false").lower() == "true"
    names = [c.name for c in table.columns]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                if ignore_malformed:
                    yield [None] * len(names)
                    continue
                raise QueryFailed(
                    f"HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: {exc}: {line[:100]!r}"
                ) from None
            lowered = {str(k).lower(): v for k, v in record.items()}
            yield [_json_value(lowered.get(name)) for name in names]


def parquet_sql(table: Table, files: list[Path], file_columns: set[str]) -> str:
    """Parquet: columns matched by name, case-insensitively; a column the files lack is NULL."""
    source = f"read_parquet({_files(files)}, union_by_name=true)"
    by_lower = {name.lower(): name for name in file_columns}
    values = []
    for column in table.columns:
        found = by_lower.get(column.name)
        values.append(_convert(quote(found) if found else "NULL", column))
    return f"SELECT {', '.join(values)} FROM {source}"


def rows_sql(table: Table, files: list[Path], scratch: Path, file_columns: set[str] | None = None) -> str:
    """SQL for a table's rows (data columns only) read from local copies of its objects."""
    if not files:
        return empty_sql(table.columns)
    kind = table.format
    if kind == PARQUET:
        return parquet_sql(table, files, file_columns or set())
    if kind in {CSV, JSON}:
        rows = open_csv_rows(table, files) if kind == CSV else json_rows(table, files)
        path = scratch / f"normalized-{len(list(scratch.iterdir()))}.csv"
        _normalized_csv(rows, path)
        return _read_normalized(table, path)
    return delimited_text_sql(table, files)
