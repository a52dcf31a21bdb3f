"""Athena behind a small interface: `local` (DuckDB over the backend's S3 and Glue) or `aws` (boto3).

`athena_adapter(account)` picks one from `HARNESS_ATHENA_ADAPTER` (`local` by default).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from adapters.athena.interface import AthenaAdapter, AthenaRequestError, QueryRequest

VARIABLE = "HARNESS_ATHENA_ADAPTER"
CHOICES = ("local", "aws")


def athena_adapter(account: Any, environ: Mapping[str, str] | None = None, athena_client: Any = None) -> AthenaAdapter:
    """The adapter `HARNESS_ATHENA_ADAPTER` names, for one account.

    `local` reads and writes the account's S3 and Glue on the backend. `aws` sends every call to the
    athena client given (by default a boto3 client of the ambient AWS configuration: real Athena).
    """
    choice = (environ if environ is not None else os.environ).get(VARIABLE, "local").strip().lower() or "local"
    if choice == "local":
        from adapters.athena.local.engine import LocalAthena

        return LocalAthena(account.client("s3"), account.client("glue"))
    if choice == "aws":
        import boto3

        from adapters.athena.aws import AwsAthena
        from harness.backends.guard import ALLOW_REAL_AWS_VARIABLE, real_aws_allowed

        if athena_client is None and not real_aws_allowed():
            raise ValueError(
                f"{VARIABLE}=aws sends queries to real Athena (and bills them); "
                f"set {ALLOW_REAL_AWS_VARIABLE}=yes if you mean it"
            )
        return AwsAthena(athena_client or boto3.client("athena", region_name=account.region))
    raise ValueError(f"{VARIABLE}={choice!r} is not one of {', '.join(CHOICES)}")


__all__ = ["CHOICES", "VARIABLE", "AthenaAdapter", "AthenaRequestError", "QueryRequest", "athena_adapter"]
