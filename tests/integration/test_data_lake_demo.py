"""The pattern 14 demo runs its checks and they all pass."""

from __future__ import annotations

import io

from harness_cli.demos.data_lake import demo_data_lake
from harness_cli.demos.report import Report
from tests.integration.data_lake_helpers import drop_catalog, unique_bucket


def test_data_lake_demo_passes_every_check(harness, monkeypatch):
    monkeypatch.setenv("DATALAKE_BUCKET", unique_bucket())
    report = Report(out=io.StringIO())

    try:
        demo_data_lake(harness, report)
    finally:
        drop_catalog(harness)

    assert report.failed == [], report.out.getvalue()
    assert report.passed >= 8
