"""Pattern 14: read raw CSV from S3, enrich every row, write JSON and CSV copies (and optionally Parquet)."""

import csv
import io
import json
import os
import tempfile
from datetime import datetime

import boto3

s3 = boto3.client("s3")

# The seed writes the JSON copy next to the CSV in processed/; the stack moves it out of the table's way.
JSON_PREFIX = os.environ.get("DATALAKE_JSON_PREFIX", "processed/")
# Where a Parquet copy goes (the seed's production advice); empty: no Parquet copy.
PARQUET_PREFIX = os.environ.get("DATALAKE_PARQUET_PREFIX", "")
DEFAULT_BUCKET = os.environ.get("DATALAKE_BUCKET", "datalake-hx-0014")


def lambda_handler(event, context):
    bucket = event.get("bucket", DEFAULT_BUCKET)
    raw_key = event["key"]

    # Read raw CSV from S3
    obj = s3.get_object(Bucket=bucket, Key=raw_key)
    content = obj["Body"].read().decode("utf-8")
    reader = csv.DictReader(io.StringIO(content))
    rows = list(reader)

    # Transform: enrich with computed fields
    transformed = []
    for row in rows:
        qty = int(row["quantity"])
        revenue = float(row["revenue"])
        row["avgUnitPrice"] = round(revenue / qty, 2)
        row["revenueCategory"] = "high" if revenue > 200 else "medium" if revenue > 100 else "low"
        row["processedAt"] = datetime.utcnow().isoformat()
        transformed.append(row)

    # Write transformed data to processed/ prefix
    out_key = raw_key.replace("raw/", JSON_PREFIX).replace(".csv", ".json")
    s3.put_object(Bucket=bucket, Key=out_key, Body=json.dumps(transformed, indent=2), ContentType="application/json")

    # Also write a flattened CSV version for Athena
    csv_out_key = raw_key.replace("raw/", "processed/")
    fieldnames = list(transformed[0].keys())
    csv_buffer = io.StringIO()
    writer = csv.DictWriter(csv_buffer, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows(transformed)
    s3.put_object(Bucket=bucket, Key=csv_out_key, Body=csv_buffer.getvalue())

    result = {"rows": len(transformed), "output": out_key}
    if PARQUET_PREFIX:
        parquet_key = raw_key.replace("raw/", PARQUET_PREFIX).replace(".csv", ".parquet")
        s3.put_object(Bucket=bucket, Key=parquet_key, Body=to_parquet(csv_buffer.getvalue()))
        result["parquet"] = parquet_key
        print(f"Written to: s3://{bucket}/{parquet_key}")

    print(f"Transformed {len(transformed)} rows")
    print(f"Written to: s3://{bucket}/{out_key}")
    return result


PARQUET_TYPES = {
    "date": "VARCHAR",
    "product": "VARCHAR",
    "region": "VARCHAR",
    "quantity": "INTEGER",
    "revenue": "DOUBLE",
    "avgUnitPrice": "DOUBLE",
    "revenueCategory": "VARCHAR",
    "processedAt": "VARCHAR",
}


def to_parquet(csv_text):
    """The transformed CSV as Parquet, typed like the seed's table (DuckDB writes it)."""
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        source, target = os.path.join(folder, "in.csv"), os.path.join(folder, "out.parquet")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(csv_text)
        connection = duckdb.connect()
        try:
            rows = f"SELECT * FROM read_csv('{source}', header=true, columns={PARQUET_TYPES!r})"
            connection.execute(f"COPY ({rows}) TO '{target}' (FORMAT PARQUET)")
        finally:
            connection.close()
        with open(target, "rb") as handle:
            return handle.read()
