"""A timeline report: the console's views of many runs (one per test, or per demo pattern) in one HTML file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from harness.served.console.app import asset

# A saved report makes no request at all: everything it shows is inside it.
REPORT_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def render_report(runs: list[dict[str, Any]], title: str = "Harness timeline report") -> str:
    """One self-contained HTML page of `runs`: each {name, outcome, duration, snapshot, longrepr?, checks?}."""
    data = {"title": title, "generated": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "runs": runs}
    # Inside a <script> element only "</" could end it early; \u003c keeps the JSON intact.
    embedded = json.dumps(data, default=str).replace("<", "\\u003c")
    page = asset("console.html")
    page = page.replace("<title>Harness console</title>", f"<title>{_escape(title)}</title>")
    page = page.replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{REPORT_POLICY}">',
    )
    page = page.replace('<link rel="stylesheet" href="console.css">', f"<style>\n{asset('console.css')}</style>")
    script = asset("console.js")
    page = page.replace(
        '<script src="console.js"></script>',
        f'<script type="application/json" id="harness-data">{embedded}</script>\n<script>\n{script}</script>',
    )
    return page


def write_report(path: str | Path, runs: list[dict[str, Any]], title: str = "Harness timeline report") -> Path:
    """Write the report of `runs` to `path` (its folder is created) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".partial")
    temporary.write_text(render_report(runs, title), encoding="utf-8")
    temporary.replace(target)
    return target


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
