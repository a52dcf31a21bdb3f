"""What the browser tests read from the console's page, as JavaScript expressions."""

from __future__ import annotations

import json

FLOW_TEXT = "document.getElementById('flows') ? document.getElementById('flows').innerText : ''"


def flows_show(*texts: str) -> str:
    """True once the Flows section shows every one of `texts`."""
    return f"(() => {{ const t = {FLOW_TEXT}; return {json.dumps(list(texts))}.every((x) => t.includes(x)); }})()"


def follow_cause_of(kind: str | None = None) -> str:
    """Click the cause link of the newest happening of `kind` (of any kind, when None) that has a cause;
    answer where it led and what it opened."""
    selector = f'#timeline li[data-kind="{kind}"]' if kind else "#timeline li"
    return f"""(() => {{
      const item = [...document.querySelectorAll('{selector}')].find((li) => li.querySelector('a.cause-link'));
      if (!item) return null;
      const link = item.querySelector('a.cause-link');
      const goal = link.dataset.goto;
      link.click();
      const target = document.getElementById('h-' + goal);
      return {{
        goal, hash: location.hash, open: !!(target && target.querySelector('details').open),
        kind: target && target.dataset.kind, title: target && target.querySelector('strong').textContent,
        effects: target ? [...target.querySelectorAll('.links a')].map((a) => a.dataset.goto) : [],
        from: item.id,
      }};
    }})()"""
