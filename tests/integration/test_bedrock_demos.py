"""The demos of patterns 11 and 12 pass every check on a fresh harness."""

from __future__ import annotations

import io

from harness_cli.demos.agentic import demo_agentic
from harness_cli.demos.rag import demo_rag
from harness_cli.demos.report import Report


def test_the_rag_demo_passes_every_check(harness):
    report = Report(out=io.StringIO())

    demo_rag(harness, report)

    assert (report.failed, report.passed) == ([], 5), report.out.getvalue()


def test_the_agentic_demo_passes_every_check(harness):
    report = Report(out=io.StringIO())

    demo_agentic(harness, report)

    assert (report.failed, report.passed) == ([], 5), report.out.getvalue()
