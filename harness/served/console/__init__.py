"""The harness console: a live page on the gateway under `/_harness/`, and the same views as a saved report.

- `app.py`: the WSGI app the gateway hands `/_harness/...` to: the page, its assets, the JSON snapshot.
- `snapshot.py`: one JSON view of a harness (functions, event sources, rules, schedules, state machines,
  executions and the timeline of what happened, each happening linked to its cause).
- `report.py`: one self-contained HTML file of many snapshots (one per test, or per demo pattern).
- `static/`: the page, its script and style, shipped with the package; no build step, nothing fetched elsewhere.
"""

from harness.served.console.app import CONSOLE_PATH, SNAPSHOT_PATH, ConsoleApp
from harness.served.console.report import render_report, write_report
from harness.served.console.snapshot import SnapshotBuilder

__all__ = ["CONSOLE_PATH", "SNAPSHOT_PATH", "ConsoleApp", "SnapshotBuilder", "render_report", "write_report"]
