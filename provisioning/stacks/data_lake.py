"""Pattern 14, serverless ETL and data lake: raw/sales.csv -> DataLakeTransformer -> processed/ -> Athena."""

from __future__ import annotations

import os

from harness.functions.spec import FunctionSpec
from provisioning.builders.s3 import Bucket
from provisioning.builders.s3_objects import BucketObject
from provisioning.stack import Stack

BUCKET = "datalake-hx-0014"  # the seed's datalake-[YOUR_INITIALS]-[4_DIGITS]
JSON_PREFIX = "processed-json/"  # outside processed/, which the seed's Athena table reads
RESULTS = "athena-results/"

SALES_CSV = """date,product,region,quantity,revenue
2025-01-01,Widget,North,10,99.90
2025-01-01,Gadget,South,5,249.95
2025-01-02,Widget,East,8,79.92
2025-01-02,Device,West,2,399.98
2025-01-03,Gadget,North,12,599.88
2025-01-03,Widget,South,6,59.94
2025-01-04,Device,East,1,199.99
2025-01-04,Pro,North,3,1199.97
"""

CREATE_DATABASE = "CREATE DATABASE IF NOT EXISTS sales_datalake;"

CREATE_TABLE = """CREATE EXTERNAL TABLE IF NOT EXISTS sales_datalake.sales_processed (
  date STRING,
  product STRING,
  region STRING,
  quantity INT,
  revenue DOUBLE,
  avgUnitPrice DOUBLE,
  revenueCategory STRING,
  processedAt STRING
)
ROW FORMAT DELIMITED
FIELDS TERMINATED BY ','
LINES TERMINATED BY '\\n'
LOCATION 's3://YOUR_DATALAKE_BUCKET/processed/'
TBLPROPERTIES ('skip.header.line.count'='1');"""

REVENUE_BY_REGION = """SELECT region,
       SUM(revenue) AS total_revenue,
       SUM(quantity) AS total_units,
       ROUND(AVG(avgUnitPrice), 2) AS avg_unit_price
FROM sales_datalake.sales_processed
GROUP BY region
ORDER BY total_revenue DESC;"""

TOP_PRODUCTS = """SELECT product,
       COUNT(*) AS transactions,
       SUM(quantity) AS total_units,
       SUM(revenue) AS total_revenue
FROM sales_datalake.sales_processed
GROUP BY product
ORDER BY total_revenue DESC;"""


PARQUET_TABLE = """CREATE EXTERNAL TABLE IF NOT EXISTS sales_datalake.sales_parquet (
  date STRING,
  product STRING,
  region STRING,
  quantity INT,
  revenue DOUBLE,
  avgUnitPrice DOUBLE,
  revenueCategory STRING,
  processedAt STRING
)
STORED AS PARQUET
LOCATION 's3://YOUR_DATALAKE_BUCKET/PARQUET_PREFIX';"""


def parquet_table(bucket: str, prefix: str) -> str:
    """DDL for the same table over the transformer's Parquet copy."""
    return PARQUET_TABLE.replace("YOUR_DATALAKE_BUCKET", bucket).replace("PARQUET_PREFIX", prefix)


def bucket_name() -> str:
    """The data-lake bucket: `DATALAKE_BUCKET`, or the seed-shaped default."""
    return os.environ.get("DATALAKE_BUCKET") or BUCKET


def seed_queries(bucket: str) -> list[str]:
    """The seed's four Athena statements, its placeholder bucket replaced by the real one."""
    return [CREATE_DATABASE, CREATE_TABLE.replace("YOUR_DATALAKE_BUCKET", bucket), REVENUE_BY_REGION, TOP_PRODUCTS]


def data_lake_stack(
    bucket: str | None = None, json_prefix: str = JSON_PREFIX, parquet_prefix: str = "", sales_csv: str = SALES_CSV
) -> Stack:
    """The seed's bucket with raw/sales.csv and the DataLakeTransformer function."""
    name = bucket or bucket_name()
    environment = {"DATALAKE_BUCKET": name, "DATALAKE_JSON_PREFIX": json_prefix}
    if parquet_prefix:
        environment["DATALAKE_PARQUET_PREFIX"] = parquet_prefix
    return Stack(
        "data-lake",
        resources=[Bucket(name), BucketObject(name, "raw/sales.csv", sales_csv.encode(), "text/csv")],
        functions=[
            FunctionSpec(
                "DataLakeTransformer",
                "handlers.data_lake.data_lake_transformer.lambda_handler",
                timeout=30,
                memory_size=512,
                environment=environment,
            )
        ],
    )
