"""A table's rows at query time: every object under its location (or its partitions'), and the bytes read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.athena.local.catalog import GlueCatalog
from adapters.athena.local.formats import duckdb_type, empty_sql, literal, quote, rows_sql
from adapters.athena.local.storage import ObjectStore
from adapters.athena.local.table import PARQUET, Table


@dataclass(frozen=True)
class Scan:
    """The SQL that yields a table's rows and how many bytes of S3 data it reads."""

    sql: str
    bytes_scanned: int


class TableScanner:
    """Turns catalog tables into DuckDB relations over fresh copies of their S3 objects."""

    def __init__(self, catalog: GlueCatalog, store: ObjectStore, connection: Any, scratch: Path) -> None:
        self.catalog = catalog
        self.store = store
        self.connection = connection
        self.scratch = scratch
        self._fetched = 0

    def scan(self, table: Table, columns_read: set[str] | None) -> Scan:
        """Rows of `table`; `columns_read` (None: all) decides what Parquet reads and so what is counted."""
        if not table.partition_keys:
            return self._scan_location(table, table.location, (), columns_read)
        parts = [
            self._scan_location(table, partition.location, partition.values, columns_read)
            for partition in self.catalog.partitions(table)
        ]
        if not parts:
            return Scan(empty_sql(table.all_columns), 0)
        return Scan(" UNION ALL ".join(f"({p.sql})" for p in parts), sum(p.bytes_scanned for p in parts))

    def _scan_location(
        self, table: Table, location: str, values: tuple[str, ...], columns_read: set[str] | None
    ) -> Scan:
        objects = self.store.objects(location)
        folder = self.scratch / f"objects-{self._fetched}"
        folder.mkdir()
        self._fetched += 1
        files = [self.store.fetch(obj, folder, i) for i, obj in enumerate(objects)]
        if table.format == PARQUET and files:
            file_columns = self._parquet_columns(files)
            scanned = self._parquet_bytes(files, columns_read)
        else:
            file_columns = None
            scanned = sum(obj.size for obj in objects)
        sql = rows_sql(table, files, folder, file_columns)
        if table.partition_keys:
            constants = ", ".join(
                f"TRY_CAST({literal(value)} AS {duckdb_type(key.type)}) AS {quote(key.name)}"
                for key, value in zip(table.partition_keys, values, strict=False)
            )
            sql = f"SELECT *, {constants} FROM ({sql})"
        return Scan(sql, scanned)

    def _parquet_columns(self, files: list[Path]) -> set[str]:
        listing = "[" + ", ".join(literal(str(p)) for p in files) + "]"
        rows = self.connection.execute(f"DESCRIBE SELECT * FROM read_parquet({listing}, union_by_name=true)").fetchall()
        return {row[0] for row in rows}

    def _parquet_bytes(self, files: list[Path], columns_read: set[str] | None) -> int:
        # Parquet is columnar: only the column chunks of the columns a query reads are fetched.
        listing = "[" + ", ".join(literal(str(p)) for p in files) + "]"
        chunks = self.connection.execute(
            f"SELECT path_in_schema, total_compressed_size FROM parquet_metadata({listing})"
        ).fetchall()
        return sum(
            size
            for path, size in chunks
            if columns_read is None or str(path).split(".")[0].split(",")[0].lower() in columns_read
        )
