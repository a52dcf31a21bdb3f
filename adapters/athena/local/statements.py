"""One Athena statement, classified and run: Hive DDL against the Glue catalog, SELECT on DuckDB."""

from __future__ import annotations

import fnmatch
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp

from adapters.athena.interface import ResultColumn
from adapters.athena.local.catalog import GlueCatalog, Partition
from adapters.athena.local.ddl import table_from_ddl
from adapters.athena.local.errors import QueryFailed
from adapters.athena.local.query import SelectRunner
from adapters.athena.local.storage import ObjectStore
from adapters.athena.local.table import Table

logging.getLogger("sqlglot").setLevel(logging.ERROR)  # DDL it cannot model falls back to a Command: expected

DDL, DML, UTILITY = "DDL", "DML", "UTILITY"
VARCHAR = "varchar"
_NAME = r"[`\"]?([\w]+)[`\"]?(?:\.[`\"]?([\w]+)[`\"]?)?"


@dataclass
class Outcome:
    """What a statement produced: its result set (if any) and the bytes it read."""

    columns: list[ResultColumn] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    header: bool = False
    bytes_scanned: int = 0


def strip_statement(sql: str) -> str:
    """The statement without surrounding blanks, leading comments or a trailing semicolon."""
    text = sql.strip()
    while True:
        if text.startswith("--"):
            text = text.split("\n", 1)[1].lstrip() if "\n" in text else ""
        elif text.startswith("/*") and "*/" in text:
            text = text.split("*/", 1)[1].lstrip()
        else:
            break
    return text.rstrip().rstrip(";").rstrip()


_KINDS = [
    (r"CREATE\s+(DATABASE|SCHEMA)\b", DDL, "CREATE_DATABASE"),
    (r"CREATE\s+(EXTERNAL\s+)?TABLE\b", DDL, "CREATE_TABLE"),
    (r"DROP\s+TABLE\b", DDL, "DROP_TABLE"),
    (r"DROP\s+(DATABASE|SCHEMA)\b", DDL, "DROP_DATABASE"),
    (r"ALTER\s+TABLE\b.*\bADD\b", DDL, "ALTER_TABLE_ADD_PARTITION"),
    (r"MSCK\s+REPAIR\s+TABLE\b", DDL, "MSCK_REPAIR_TABLE"),
    (r"SHOW\s+(DATABASES|SCHEMAS)\b", UTILITY, "SHOW_DATABASES"),
    (r"SHOW\s+TABLES\b", UTILITY, "SHOW_TABLES"),
    (r"SHOW\s+PARTITIONS\b", UTILITY, "SHOW_PARTITIONS"),
    (r"SHOW\s+COLUMNS\b", UTILITY, "SHOW_COLUMNS"),
    (r"(DESCRIBE|DESC)\b", UTILITY, "DESCRIBE_TABLE"),
    (r"(SELECT|WITH|VALUES|\()", DML, "SELECT"),
]


def classify(sql: str) -> tuple[str, str]:
    """(StatementType, SubstatementType) of a statement, as GetQueryExecution reports them."""
    text = strip_statement(sql)
    for pattern, kind, sub in _KINDS:
        if re.match(pattern, text, re.IGNORECASE | re.DOTALL):
            return kind, sub
    return DML, "UNKNOWN"


def _text_result(name: str, values: list[str]) -> Outcome:
    return Outcome([ResultColumn(name, VARCHAR, 2147483647)], [[v] for v in values])


class StatementRunner:
    """Runs statements for one account: the catalog is its Glue, the data its S3."""

    def __init__(self, catalog: GlueCatalog, store: ObjectStore) -> None:
        self.catalog = catalog
        self.store = store

    def run(self, sql: str, database: str, scratch: Path) -> Outcome:
        """Run one statement in the context database; raise QueryFailed as Athena fails it."""
        text = strip_statement(sql)
        if not text:
            raise QueryFailed("line 1:1: mismatched input '<EOF>'. Expecting: statement")
        _, kind = classify(text)
        simple = {
            "ALTER_TABLE_ADD_PARTITION": self._add_partitions,
            "MSCK_REPAIR_TABLE": self._repair,
            "SHOW_DATABASES": self._show_databases,
            "SHOW_TABLES": self._show_tables,
            "SHOW_PARTITIONS": self._show_partitions,
            "SHOW_COLUMNS": self._show_columns,
            "DESCRIBE_TABLE": self._describe,
        }
        if kind in simple:
            return simple[kind](text, database)
        tree = _parse(text)
        if kind == "SELECT":
            outcome = SelectRunner(self.catalog, self.store, scratch).run(text, tree, database)
            return Outcome(outcome.columns, outcome.rows, header=True, bytes_scanned=outcome.bytes_scanned)
        if isinstance(tree, exp.Create) and kind == "CREATE_DATABASE":
            self.catalog.create_database(tree.this.name.lower(), bool(tree.args.get("exists")))
            return Outcome()
        if isinstance(tree, exp.Create) and kind == "CREATE_TABLE":
            self.catalog.create_table(table_from_ddl(tree, database), bool(tree.args.get("exists")))
            return Outcome()
        if isinstance(tree, exp.Drop) and kind == "DROP_TABLE":
            target = (tree.args.get("tables") or [tree.this])[0]
            self.catalog.drop_table((target.db or database).lower(), target.name.lower(), bool(tree.args.get("exists")))
            return Outcome()
        if isinstance(tree, exp.Drop) and kind == "DROP_DATABASE":
            target = (tree.args.get("tables") or [tree.this])[0]
            self.catalog.drop_database(
                target.name.lower(), bool(tree.args.get("exists")), bool(tree.args.get("cascade"))
            )
            return Outcome()
        raise QueryFailed(f"NOT_SUPPORTED: the local Athena engine does not run this statement: {text[:60]}")

    # -- helpers -----------------------------------------------------------------------------
    def _table(self, match: re.Match[str], database: str) -> Table:
        first, second = match.group(1), match.group(2)
        schema, name = (first, second) if second else (database, first)
        table = self.catalog.table(schema.lower(), name.lower())
        if table is None:
            raise QueryFailed(f"FAILED: SemanticException [Error 10001]: Table not found {schema}.{name}")
        return table

    def _describe(self, text: str, database: str) -> Outcome:
        match = re.match(rf"(?:DESCRIBE|DESC)\s+(?:FORMATTED\s+|EXTENDED\s+)?{_NAME}", text, re.IGNORECASE)
        if not match:
            raise QueryFailed("line 1:1: DESCRIBE needs a table name")
        table = self._table(match, database)
        rows: list[list[str | None]] = [[c.name, c.type, ""] for c in table.columns]
        if table.partition_keys:
            rows += [["", None, None], ["# Partition Information", None, None], ["# col_name", "data_type", "comment"]]
            rows += [[c.name, c.type, ""] for c in table.partition_keys]
        columns = [ResultColumn(n, VARCHAR, 2147483647) for n in ("col_name", "data_type", "comment")]
        return Outcome(columns, rows)

    def _show_columns(self, text: str, database: str) -> Outcome:
        match = re.match(rf"SHOW\s+COLUMNS\s+(?:IN|FROM)\s+{_NAME}", text, re.IGNORECASE)
        if not match:
            raise QueryFailed("line 1:1: SHOW COLUMNS needs IN table")
        return _text_result("field", [c.name for c in self._table(match, database).all_columns])

    def _show_databases(self, text: str, database: str) -> Outcome:
        like = re.search(r"LIKE\s+'([^']*)'", text, re.IGNORECASE)
        names = self.catalog.databases()
        if like:
            names = [n for n in names if fnmatch.fnmatch(n, like.group(1).replace("|", "*"))]
        return _text_result("database_name", names)

    def _show_tables(self, text: str, database: str) -> Outcome:
        match = re.match(r"SHOW\s+TABLES(?:\s+(?:IN|FROM)\s+[`\"]?(\w+)[`\"]?)?(?:\s+'([^']*)')?", text, re.IGNORECASE)
        schema = (match.group(1) if match and match.group(1) else database).lower()
        if not self.catalog.has_database(schema):
            raise QueryFailed(f"FAILED: SemanticException [Error 10072]: Database does not exist: {schema}")
        names = self.catalog.tables(schema)
        if match and match.group(2):
            names = [n for n in names if any(fnmatch.fnmatch(n, p) for p in match.group(2).split("|"))]
        return _text_result("tab_name", names)

    def _show_partitions(self, text: str, database: str) -> Outcome:
        match = re.match(rf"SHOW\s+PARTITIONS\s+{_NAME}", text, re.IGNORECASE)
        if not match:
            raise QueryFailed("line 1:1: SHOW PARTITIONS needs a table name")
        table = self._table(match, database)
        specs = sorted(_spec(table, p.values) for p in self.catalog.partitions(table))
        return _text_result("partition", specs)

    def _add_partitions(self, text: str, database: str) -> Outcome:
        match = re.match(
            rf"ALTER\s+TABLE\s+{_NAME}\s+ADD\s+(IF\s+NOT\s+EXISTS\s+)?(.*)$", text, re.IGNORECASE | re.DOTALL
        )
        if not match:
            raise QueryFailed("line 1:1: ALTER TABLE ... ADD PARTITION (key='value') [LOCATION 's3://...']")
        table = self._table(match, database)
        if not table.partition_keys:
            raise QueryFailed(f"FAILED: SemanticException table {table.name} is not partitioned")
        wanted = []
        for spec, location in re.findall(r"PARTITION\s*\(([^)]*)\)\s*(?:LOCATION\s*'([^']*)')?", match.group(4), re.I):
            pairs = dict(
                (k.strip().strip('`"').lower(), v) for k, v in re.findall(r"([`\"]?\w+[`\"]?)\s*=\s*'([^']*)'", spec)
            )
            missing = [k.name for k in table.partition_keys if k.name not in pairs]
            if missing:
                raise QueryFailed(f"FAILED: SemanticException partition spec {spec.strip()} lacks {missing[0]}")
            values = tuple(pairs[k.name] for k in table.partition_keys)
            wanted.append(Partition(values, location or _default_location(table, values)))
        if not wanted:
            raise QueryFailed("line 1:1: ALTER TABLE ADD needs at least one PARTITION (key='value')")
        self.catalog.add_partitions(table, wanted, bool(match.group(3)))
        return Outcome()

    def _repair(self, text: str, database: str) -> Outcome:
        match = re.match(rf"MSCK\s+REPAIR\s+TABLE\s+{_NAME}", text, re.IGNORECASE)
        if not match:
            raise QueryFailed("line 1:1: MSCK REPAIR TABLE needs a table name")
        table = self._table(match, database)
        keys = [k.name for k in table.partition_keys]
        if not keys:
            return Outcome()
        found = []
        for folder in self.store.folders(table.location):
            parts = folder.split("/")[: len(keys)]
            pairs = [p.split("=", 1) for p in parts if "=" in p]
            if len(pairs) != len(keys) or [k.lower() for k, _ in pairs] != keys:
                continue
            values = tuple(v for _, v in pairs)
            found.append(Partition(values, _default_location(table, values)))
        unique = list({p.values: p for p in found}.values())
        added = self.catalog.add_partitions(table, unique, if_not_exists=True)
        lines = []
        if added:
            specs = [f"{table.name}:{_spec(table, p.values)}" for p in added]
            lines = ["Partitions not in metastore:\t" + "\t".join(specs)]
            lines += [f"Repair: Added partition to metastore {s}" for s in specs]
        return _text_result("result", lines)


def _spec(table: Table, values: tuple[str, ...]) -> str:
    return "/".join(f"{k.name}={v}" for k, v in zip(table.partition_keys, values, strict=True))


def _default_location(table: Table, values: tuple[str, ...]) -> str:
    base = table.location if table.location.endswith("/") else table.location + "/"
    return base + _spec(table, values) + "/"


def _parse(text: str) -> exp.Expression:
    try:
        statements = [s for s in sqlglot.parse(text, read="athena") if s is not None]
    except sqlglot.errors.ParseError as exc:
        detail = exc.errors[0] if exc.errors else {}
        highlight = detail.get("highlight") or ""
        line = detail.get("line", 1)
        column = max(int(detail.get("col", 1)) - len(highlight) + 1, 1)
        found = f"mismatched input '{highlight}'" if highlight else "mismatched input '<EOF>'"
        description = str(detail.get("description", "")).split(" but got <")[0]
        raise QueryFailed(f"line {line}:{column}: {found}. {description}") from None
    except sqlglot.errors.TokenError as exc:
        raise QueryFailed(f"line 1:1: {exc}") from None
    if len(statements) != 1:
        raise QueryFailed(f"Only one sql statement is allowed. Got: {text}")
    return statements[0]
