"""A SELECT in Athena's (Trino) SQL, run on DuckDB over the tables it names, with Athena's error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlglot import exp

from adapters.athena.interface import ResultColumn
from adapters.athena.local.catalog import GlueCatalog
from adapters.athena.local.errors import QueryFailed, position
from adapters.athena.local.formats import quote
from adapters.athena.local.rendering import render, result_column
from adapters.athena.local.scan import TableScanner
from adapters.athena.local.storage import ObjectStore

CATALOG = "awsdatacatalog"


@dataclass
class QueryOutcome:
    """What a SELECT produced."""

    columns: list[ResultColumn]
    rows: list[list[str | None]]
    bytes_scanned: int


def _offset(node: exp.Expression) -> int:
    meta = node.meta if node.meta else getattr(node.this, "meta", {}) or {}
    return int(meta.get("start", 0))


def _referenced_tables(tree: exp.Expression) -> list[exp.Table]:
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    tables = []
    for table in tree.find_all(exp.Table):
        if not table.name or isinstance(table.this, exp.Func):
            continue
        if not table.db and table.name.lower() in ctes:
            continue
        tables.append(table)
    return tables


def _columns_read(tree: exp.Expression) -> set[str] | None:
    for select in tree.find_all(exp.Select):
        for item in select.expressions:
            if isinstance(item, exp.Star) or (isinstance(item, exp.Column) and isinstance(item.this, exp.Star)):
                return None
    return {column.name.lower() for column in tree.find_all(exp.Column) if column.name}


class SelectRunner:
    """Runs one query: resolves its tables in the catalog, loads them, translates and executes the SQL."""

    def __init__(self, catalog: GlueCatalog, store: ObjectStore, scratch: Path) -> None:
        self.catalog = catalog
        self.store = store
        self.scratch = scratch

    def run(self, sql: str, tree: exp.Expression, database: str) -> QueryOutcome:
        """Execute a parsed query against the context database; raise QueryFailed as Athena would fail it."""
        connection = duckdb.connect()
        try:
            connection.execute("SET integer_division = true")  # Trino: 5 / 2 = 2
            # DuckDB pushes TRY_CAST into its CSV reader as a strict type, failing where Hive gives NULL.
            connection.execute("SET disabled_optimizers = 'type_pushdown'")
            connection.execute(f"ATTACH ':memory:' AS {CATALOG}")
            connection.execute(f"USE {CATALOG}")
            scanned, column_types = self._load_tables(connection, sql, tree, database)
            _check_comparisons(sql, tree, column_types)
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(database)}")
            connection.execute(f"USE {CATALOG}.{quote(database)}")
            translated = _name_unnamed_columns(tree).sql(dialect="duckdb")
            try:
                relation = connection.execute(translated)
                description = relation.description or []
                records = relation.fetchall()
            except duckdb.Error as exc:
                raise _athena_error(exc, sql, tree) from None
            types = [str(d[1]) for d in description]
            columns = [result_column(d[0].lower(), t) for d, t in zip(description, types, strict=True)]
            rows = [[render(v, t) for v, t in zip(record, types, strict=True)] for record in records]
            return QueryOutcome(columns, rows, scanned)
        finally:
            connection.close()

    def _load_tables(
        self, connection: Any, sql: str, tree: exp.Expression, database: str
    ) -> tuple[int, dict[str, str]]:
        scanner = TableScanner(self.catalog, self.store, connection, self.scratch)
        columns_read = _columns_read(tree)
        loaded: set[tuple[str, str]] = set()
        scanned = 0
        column_types: dict[str, str] = {}
        for reference in _referenced_tables(tree):
            catalog = (reference.catalog or CATALOG).lower()
            schema = (reference.db or database).lower()
            name = reference.name.lower()
            parts = [part for part in (reference.args.get(k) for k in ("catalog", "db", "this")) if part is not None]
            where = position(sql, min(_offset(part) for part in parts))  # Trino points at the name's start
            if catalog != CATALOG:
                raise QueryFailed(f"CATALOG_NOT_FOUND: {where}: Catalog '{catalog}' does not exist")
            if (schema, name) in loaded:
                continue
            table = self.catalog.table(schema, name)
            if table is None:
                if not self.catalog.has_database(schema):
                    raise QueryFailed(f"SCHEMA_NOT_FOUND: {where}: Schema '{schema}' does not exist")
                raise QueryFailed(f"TABLE_NOT_FOUND: {where}: Table '{CATALOG}.{schema}.{name}' does not exist")
            try:
                table.format  # noqa: B018 - refuses an unknown SerDe before anything is read
            except ValueError as exc:
                raise QueryFailed(f"HIVE_UNSUPPORTED_FORMAT: {exc}") from None
            needed = None if columns_read is None else columns_read & {c.name for c in table.all_columns}
            scan = scanner.scan(table, needed)
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
            connection.execute(f"CREATE VIEW {quote(schema)}.{quote(name)} AS {scan.sql}")
            loaded.add((schema, name))
            scanned += scan.bytes_scanned
            column_types.update({c.name: c.type for c in table.all_columns})
        return scanned, column_types


_NUMERIC = {"tinyint": "tinyint", "smallint": "smallint", "int": "integer", "integer": "integer"}
_NUMERIC |= {"bigint": "bigint", "double": "double", "float": "real"}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def _check_comparisons(sql: str, tree: exp.Expression, column_types: dict[str, str]) -> None:
    """Trino refuses to compare a number column with a string literal; DuckDB would cast the literal."""
    for comparison in tree.find_all(*_COMPARISONS):
        sides = [comparison.this, comparison.expression]
        for column, other in (sides, sides[::-1]):
            if not (isinstance(column, exp.Column) and isinstance(other, exp.Literal) and other.is_string):
                continue
            declared = column_types.get(column.name.lower(), "")
            numeric = _NUMERIC.get(declared) or ("decimal" if declared.startswith("decimal") else None)
            if numeric:
                operator = {exp.EQ: "=", exp.NEQ: "<>", exp.GT: ">", exp.GTE: ">=", exp.LT: "<", exp.LTE: "<="}[
                    type(comparison)
                ]
                left, right = (numeric, f"varchar({len(other.this)})")
                if sides[0] is other:
                    left, right = right, left
                where = position(sql, _offset(column))
                raise QueryFailed(f"TYPE_MISMATCH: {where}: Cannot apply operator: {left} {operator} {right}")


def _name_unnamed_columns(tree: exp.Expression) -> exp.Expression:
    """Trino names an output column that is neither a column nor aliased `_col<position>`."""
    if not isinstance(tree, exp.Query):
        return tree
    named = tree.copy()
    outermost = named if isinstance(named, exp.Select) else named.find(exp.Select)
    if outermost is None:
        return named
    for index, item in enumerate(list(outermost.expressions)):
        if not isinstance(item, exp.Alias | exp.Column | exp.Star):
            item.replace(exp.alias_(item.copy(), f"_col{index}"))
    return named


_TYPE_WORDS = {
    "VARCHAR": "varchar",
    "STRING_LITERAL": "varchar",
    "INTEGER": "integer",
    "INTEGER_LITERAL": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "bigint",
    "DOUBLE": "double",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}


def _trino_types(text: str) -> list[str]:
    return [_TYPE_WORDS.get(t.strip(), t.strip().lower()) for t in text.split(",") if t.strip()]


def _find_column(tree: exp.Expression, name: str) -> exp.Column | None:
    for column in tree.find_all(exp.Column):
        if column.name.lower() == name.lower():
            return column
    return None


def _athena_error(error: duckdb.Error, sql: str, tree: exp.Expression) -> QueryFailed:
    message = str(error).split("\n")[0]
    missing = re.search(r'Referenced column "([^"]+)" not found', message)
    if missing:
        column = _find_column(tree, missing.group(1))
        where = position(sql, _offset(column)) if column is not None else "line 1:1"
        return QueryFailed(
            f"COLUMN_NOT_FOUND: {where}: Column '{missing.group(1)}' cannot be resolved "
            "or requester is not authorized to access requested resources"
        )
    grouped = re.search(r'column "([^"]+)" must appear in the GROUP BY clause', message)
    if grouped:
        column = _find_column(tree, grouped.group(1))
        where = position(sql, _offset(column)) if column is not None else "line 1:1"
        return QueryFailed(
            f"EXPRESSION_NOT_AGGREGATE: {where}: '{grouped.group(1)}' must be an aggregate expression "
            "or appear in GROUP BY clause"
        )
    unknown = re.search(r"Function with name (\w+) does not exist", message)
    if unknown:
        found = re.search(rf"\b{re.escape(unknown.group(1))}\s*\(", sql, re.IGNORECASE)
        where = position(sql, found.start()) if found else "line 1:1"
        return QueryFailed(f"FUNCTION_NOT_FOUND: {where}: Function '{unknown.group(1).lower()}' not registered")
    call = re.search(r'function call "([^"(]+)\(([^)]*)\)"|argument types \'([^\'(]+)\(([^)]*)\)\'', message)
    if call:
        name = call.group(1) or call.group(3)
        args = _trino_types(call.group(2) if call.group(1) else call.group(4))
        if not name[0].isalpha() and len(args) == 2:
            return QueryFailed(f"TYPE_MISMATCH: Cannot apply operator: {args[0]} {name} {args[1]}")
        found = re.search(rf"\b{re.escape(name)}\s*\(", sql, re.IGNORECASE)
        where = position(sql, found.start()) + ": " if found else ""
        return QueryFailed(f"TYPE_MISMATCH: {where}Unexpected parameters ({', '.join(args)}) for function {name}")
    compare = re.search(r"Cannot compare values of type (\w+) and type (\w+)", message)
    if compare:
        left, right = _trino_types(f"{compare.group(1)},{compare.group(2)}")
        return QueryFailed(f"TYPE_MISMATCH: Cannot apply operator: {left} = {right}")
    if isinstance(error, duckdb.ConversionException):
        return QueryFailed("INVALID_CAST_ARGUMENT: " + message.removeprefix("Conversion Error: "))
    if isinstance(error, duckdb.ParserException | duckdb.CatalogException):
        return QueryFailed("NOT_SUPPORTED: " + message)
    return QueryFailed("GENERIC_INTERNAL_ERROR: " + message)
