"""A table as the Glue Data Catalog stores it, and what the engine needs to read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
LAZY_SIMPLE = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
OPEN_CSV = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
OPENX_JSON = "org.openx.data.jsonserde.JsonSerDe"
HIVE_JSON = "org.apache.hive.hcatalog.data.JsonSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"

TEXT, CSV, JSON, PARQUET = "text", "csv", "json", "parquet"


@dataclass(frozen=True)
class Column:
    """A column: lower-case name and Hive type (`string`, `int`, `decimal(10,2)`, ...)."""

    name: str
    type: str


@dataclass(frozen=True)
class Table:
    """A catalog table: schema, location, SerDe and table properties."""

    database: str
    name: str
    columns: tuple[Column, ...]
    location: str
    serde: str = LAZY_SIMPLE
    serde_parameters: dict[str, str] = field(default_factory=dict)
    input_format: str = TEXT_INPUT
    output_format: str = TEXT_OUTPUT
    partition_keys: tuple[Column, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def format(self) -> str:
        """Which reader decodes the table's objects: text, csv, json or parquet."""
        serde = self.serde or ""
        if serde == PARQUET_SERDE or "parquet" in (self.input_format or "").lower():
            return PARQUET
        if serde == OPEN_CSV:
            return CSV
        if serde in {OPENX_JSON, HIVE_JSON} or serde.lower().endswith("jsonserde"):
            return JSON
        if serde == LAZY_SIMPLE or not serde:
            return TEXT
        raise ValueError(f"SerDe {serde} is not supported")

    @property
    def skip_header_lines(self) -> int:
        """`skip.header.line.count`: lines skipped at the start of every object (text formats)."""
        value = self.parameters.get("skip.header.line.count", "0")
        try:
            return max(int(value), 0)
        except ValueError:
            return 0

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Data columns then partition keys, as Athena lists them."""
        return (*self.columns, *self.partition_keys)

    @property
    def qualified_name(self) -> str:
        """`awsdatacatalog.db.table`, as Athena names a table in its messages."""
        return f"awsdatacatalog.{self.database}.{self.name}"

    def table_input(self) -> dict[str, Any]:
        """The Glue `TableInput` that stores this table."""
        return {
            "Name": self.name,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"EXTERNAL": "TRUE", **self.parameters},
            "PartitionKeys": [{"Name": c.name, "Type": c.type} for c in self.partition_keys],
            "StorageDescriptor": {
                "Columns": [{"Name": c.name, "Type": c.type} for c in self.columns],
                "Location": self.location,
                "InputFormat": self.input_format,
                "OutputFormat": self.output_format,
                "SerdeInfo": {"SerializationLibrary": self.serde, "Parameters": dict(self.serde_parameters)},
            },
        }

    @classmethod
    def from_glue(cls, database: str, table: dict[str, Any]) -> Table:
        """A table from Glue's GetTable answer (made by DDL, the Glue API or a crawler)."""
        descriptor = table.get("StorageDescriptor", {})
        serde = descriptor.get("SerdeInfo", {})

        def columns(items: list[dict[str, Any]]) -> tuple[Column, ...]:
            return tuple(Column(c["Name"].lower(), c.get("Type", "string").lower()) for c in items)

        return cls(
            database=database,
            name=table["Name"].lower(),
            columns=columns(descriptor.get("Columns", [])),
            location=descriptor.get("Location", ""),
            serde=serde.get("SerializationLibrary", LAZY_SIMPLE),
            serde_parameters=dict(serde.get("Parameters", {})),
            input_format=descriptor.get("InputFormat", TEXT_INPUT),
            output_format=descriptor.get("OutputFormat", TEXT_OUTPUT),
            partition_keys=columns(table.get("PartitionKeys", [])),
            parameters=dict(table.get("Parameters", {})),
        )
