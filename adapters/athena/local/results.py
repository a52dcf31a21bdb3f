"""Result files as Athena writes them to the output location: `<id>.csv` (+ `.metadata`) or `<id>.txt`."""

from __future__ import annotations

import json

from adapters.athena.interface import ResultSet


def result_key(output_location: str, query_id: str, header: bool) -> str:
    """The result object's `s3://` URI: a CSV for queries, a text file for DDL and SHOW."""
    base = output_location if output_location.endswith("/") else output_location + "/"
    return f"{base}{query_id}.{'csv' if header else 'txt'}"


def csv_bytes(result: ResultSet) -> bytes:
    """Athena's result CSV: a header row, every value in double quotes, NULL as an empty unquoted field."""

    def line(values: list[str | None]) -> str:
        return ",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in values)

    lines = [line([c.name for c in result.columns]), *(line(r) for r in result.rows)]
    return ("\n".join(lines) + "\n").encode()


def text_bytes(result: ResultSet) -> bytes:
    """A DDL or SHOW result: one row per line, values separated by tabs."""
    return "".join("\t".join(v or "" for v in row) + "\n" for row in result.rows).encode()


def metadata_bytes(result: ResultSet) -> bytes:
    """The `.metadata` companion: the result's column descriptions (JSON here, a binary format on AWS)."""
    columns = [{"name": c.name, "type": c.type, "precision": c.precision, "scale": c.scale} for c in result.columns]
    return json.dumps({"columns": columns, "rows": len(result.rows)}).encode()
