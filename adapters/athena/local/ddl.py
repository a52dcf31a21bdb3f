"""Athena's Hive DDL (CREATE EXTERNAL TABLE ...) read with sqlglot into a catalog Table."""

from __future__ import annotations

import re

from sqlglot import exp

from adapters.athena.local.errors import QueryFailed
from adapters.athena.local.table import (
    HIVE_JSON,
    LAZY_SIMPLE,
    OPEN_CSV,
    PARQUET_INPUT,
    PARQUET_OUTPUT,
    PARQUET_SERDE,
    TEXT_INPUT,
    TEXT_OUTPUT,
    Column,
    Table,
)

# Hive writes a delimiter as a character, an escape (\t) or an octal code (\001).
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\", "'": "'", '"': '"'}


def unescape(text: str) -> str:
    """A Hive DDL string literal's value: `\\t` is a tab, `\\001` is Ctrl-A."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token.isdigit():
            return chr(int(token, 8))
        return _ESCAPES.get(token, token)

    return re.sub(r"\\([0-7]{1,3}|.)", replace, text)


def hive_type(kind: exp.DataType) -> str:
    """A column type as Glue stores it: lower-case Hive syntax (`string`, `array<int>`)."""
    return kind.sql(dialect="hive").lower()


def _columns(schema: exp.Schema) -> tuple[Column, ...]:
    columns = []
    for definition in schema.expressions:
        if not isinstance(definition, exp.ColumnDef) or definition.args.get("kind") is None:
            raise QueryFailed(f"line 1:1: column {definition.sql()} has no type")
        columns.append(Column(definition.name.lower(), hive_type(definition.args["kind"])))
    return tuple(columns)


def _literal(node: exp.Expression | None) -> str:
    if node is None:
        return ""
    return unescape(node.name if isinstance(node, exp.Literal) else node.sql())


def table_from_ddl(create: exp.Create, default_database: str) -> Table:
    """The catalog table a CREATE [EXTERNAL] TABLE statement describes."""
    schema = create.this
    if not isinstance(schema, exp.Schema):
        raise QueryFailed("NOT_SUPPORTED: CREATE TABLE AS SELECT is not supported by the local engine")
    target = schema.this
    database = (target.db or default_database).lower()
    properties = create.args.get("properties")
    serde, serde_parameters, stored_as = LAZY_SIMPLE, {}, None
    location, partition_keys, parameters = None, (), {}
    external = False
    for prop in properties.expressions if properties else []:
        if isinstance(prop, exp.ExternalProperty):
            external = True
        elif isinstance(prop, exp.RowFormatDelimitedProperty):
            fields = _literal(prop.args.get("fields")) or "\x01"
            serde_parameters = {"field.delim": fields, "serialization.format": fields}
            if prop.args.get("escaped"):
                serde_parameters["escape.delim"] = _literal(prop.args["escaped"])
            if prop.args.get("lines"):
                serde_parameters["line.delim"] = _literal(prop.args["lines"])
            if prop.args.get("collection_items"):
                serde_parameters["collection.delim"] = _literal(prop.args["collection_items"])
            if prop.args.get("map_keys"):
                serde_parameters["mapkey.delim"] = _literal(prop.args["map_keys"])
            if prop.args.get("null"):
                serde_parameters["serialization.null.format"] = _literal(prop.args["null"])
        elif isinstance(prop, exp.RowFormatSerdeProperty):
            serde = _literal(prop.this)
            serde_properties = prop.args.get("serde_properties")
            for item in serde_properties.expressions if serde_properties else []:
                serde_parameters[_literal(item.this)] = _literal(item.args.get("value"))
        elif isinstance(prop, exp.FileFormatProperty) and isinstance(prop.this, exp.InputOutputFormat):
            formats = (prop.this.args.get("input_format"), prop.this.args.get("output_format"))
            stored_as = "PARQUET" if "parquet" in _literal(formats[0]).lower() else "TEXTFILE"
        elif isinstance(prop, exp.FileFormatProperty):
            stored_as = (prop.this.name if prop.this else "").upper()
        elif isinstance(prop, exp.LocationProperty):
            location = _literal(prop.this)
        elif isinstance(prop, exp.PartitionedByProperty):
            partition_keys = _columns(prop.this)
        elif isinstance(prop, exp.SchemaCommentProperty):
            parameters["comment"] = _literal(prop.this)
        elif type(prop) is exp.Property:
            parameters[_literal(prop.this)] = _literal(prop.args.get("value"))
    if not external:
        raise QueryFailed(
            "NOT_SUPPORTED: only EXTERNAL tables can be created with Hive DDL; "
            "use CREATE EXTERNAL TABLE ... LOCATION 's3://...'"
        )
    if not location or not location.startswith("s3://"):
        raise QueryFailed("line 1:1: CREATE EXTERNAL TABLE needs LOCATION 's3://bucket/prefix/'")
    input_format, output_format = TEXT_INPUT, TEXT_OUTPUT
    if stored_as == "PARQUET":
        serde, input_format, output_format = PARQUET_SERDE, PARQUET_INPUT, PARQUET_OUTPUT
        serde_parameters = {"serialization.format": "1", **serde_parameters}
    elif stored_as == "JSONFILE":
        serde = HIVE_JSON
    elif stored_as not in {None, "TEXTFILE"}:
        raise QueryFailed(f"NOT_SUPPORTED: STORED AS {stored_as} is not supported by the local engine")
    if serde == LAZY_SIMPLE and "field.delim" not in serde_parameters:
        serde_parameters = {"field.delim": "\x01", "serialization.format": "\x01", **serde_parameters}
    if serde == OPEN_CSV:
        parameters.setdefault("classification", "csv")
    columns = _columns(schema)
    clash = {c.name for c in columns} & {c.name for c in partition_keys}
    if clash:
        raise QueryFailed(f"line 1:1: Column repeated in partitioning columns: {sorted(clash)[0]}")
    return Table(
        database=database,
        name=target.name.lower(),
        columns=columns,
        location=location,
        serde=serde,
        serde_parameters=serde_parameters,
        input_format=input_format,
        output_format=output_format,
        partition_keys=partition_keys,
        parameters=parameters,
    )
