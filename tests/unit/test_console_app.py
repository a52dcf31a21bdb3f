"""The console's WSGI app and the report page: what they serve, and that nothing can reach past the origin."""

from __future__ import annotations

import json
import re

from werkzeug.test import Client

from harness.served.console import CONSOLE_PATH, SNAPSHOT_PATH, ConsoleApp, render_report
from harness.served.console.app import asset

SNAPSHOT = {"account": "111122223333", "timeline": [{"id": "i1", "title": "</script><script>alert(1)</script>"}]}


class FixedSnapshot:
    def __init__(self) -> None:
        self.limits: list[int | None] = []

    def build(self, *, limit: int | None = 500, fresh: bool = True) -> dict:
        self.limits.append(limit)
        return SNAPSHOT


def client() -> tuple[Client, FixedSnapshot]:
    snapshot = FixedSnapshot()
    return Client(ConsoleApp(snapshot)), snapshot  # type: ignore[arg-type]


def test_the_page_and_its_assets_are_served_with_a_policy_that_keeps_them_on_the_origin():
    browser, _ = client()

    page = browser.get(CONSOLE_PATH)
    script = browser.get(CONSOLE_PATH + "console.js")
    style = browser.get(CONSOLE_PATH + "console.css")

    assert page.status_code == script.status_code == style.status_code == 200
    assert page.mimetype == "text/html" and script.mimetype == "text/javascript" and style.mimetype == "text/css"
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy


def test_the_page_names_no_other_host():
    for name in ("console.html", "console.js", "console.css"):
        text = asset(name)
        assert not re.search(r"https?://", text.replace("http://www.w3.org/2000/svg", "")), name


def test_the_snapshot_is_json_and_the_limit_can_be_asked_for():
    browser, snapshot = client()

    answer = browser.get(SNAPSHOT_PATH, query_string="limit=20")

    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json() == SNAPSHOT
    assert snapshot.limits == [20]


def test_the_harness_root_leads_to_the_console_and_anything_else_is_named():
    browser, _ = client()

    assert browser.get("/_harness/").headers["Location"] == CONSOLE_PATH
    missing = browser.get("/_harness/nothing-here")
    assert missing.status_code == 404 and "/_harness/nothing-here" in missing.get_data(as_text=True)
    assert browser.post(SNAPSHOT_PATH).status_code == 405


def test_a_report_embeds_its_data_so_that_no_value_can_end_the_script():
    page = render_report([{"name": "t", "outcome": "passed", "duration": 0.1, "snapshot": SNAPSHOT}], "A <report>")

    data = page.split('<script type="application/json" id="harness-data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data)["runs"][0]["snapshot"] == SNAPSHOT
    assert "<title>A &lt;report&gt;</title>" in page
    assert 'src="' not in page and 'href="console.css"' not in page  # everything is inline
    assert "default-src 'none'" in page
