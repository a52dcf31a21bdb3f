// The harness console: one page for the live view (polling the harness's own origin) and for a saved report
// (its data embedded in the page). No request ever leaves the page's origin.
"use strict";

(function () {
  const SNAPSHOT_PATH = "/_harness/api/snapshot";
  const POLL_MS = 1000;
  const state = { open: new Set(), filter: "", runIndex: 0, lastText: "", failedOnly: false };

  // -- DOM helpers (text only: nothing from the data is ever parsed as HTML) ----------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const svgNs = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(svgNs, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }
  function time(iso) {
    if (!iso) return "";
    const match = /T(\d\d:\d\d:\d\d(\.\d+)?)/.exec(iso);
    return match ? match[1] : iso;
  }
  function badge(status) { return el("span", { class: "badge " + statusClass(status) }, status || ""); }
  function statusClass(status) {
    const s = String(status || "").toLowerCase();
    if (["ok", "succeeded", "delivered", "enabled"].includes(s)) return "ok";
    if (["running", "pending"].includes(s)) return "running";
    if (["error", "failed", "timed_out", "aborted", "failing", "dead-lettered", "dropped"].includes(s)) return "error";
    return "";
  }
  function table(headers, rows, emptyText) {
    if (!rows.length) return el("p", { class: "empty" }, emptyText);
    return el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c))))));
  }

  // -- sections ---------------------------------------------------------------------------------
  function functionsView(snapshot) {
    return table(["Function", "Handler", "Runtime", "Timeout", "Invocations", "Triggers"],
      snapshot.functions.map((f) => [el("code", {}, f.name), el("code", {}, f.handler), f.runtime, f.timeout + " s",
        String(f.invocations), f.triggers.join(", ")]), "no functions deployed");
  }
  function sourcesView(snapshot) {
    return table(["Source", "Kind", "Function", "State", "Batch size", "Batches", "Records", "Lag", "Last error"],
      snapshot.eventSources.map((s) => [s.source, s.kind, s.function, badge(s.state), String(s.batchSize),
        String(s.batches), String(s.delivered), s.lag === null ? "—" : s.lag + " pending", s.lastError || ""]),
      "no event source mappings");
  }
  function rulesView(snapshot) {
    return table(["Bus", "Rule", "State", "Pattern / schedule", "Targets"],
      snapshot.rules.map((r) => [r.bus, el("code", {}, r.name), badge(r.state),
        el("code", {}, r.schedule || JSON.stringify(r.eventPattern || {})),
        r.targets.map((t) => el("div", {}, t.function || t.arn.split(":").pop(),
          t.inputPath ? " (" + t.inputPath + ")" : "", t.deadLetter ? " · DLQ " + t.deadLetter.split(":").pop() : ""))]),
      "no rules");
  }
  function schedulesView(snapshot) {
    return table(["Schedule", "Expression", "State", "Target", "Runs", "Last run", "Next run"],
      snapshot.schedules.map((s) => {
        const last = s.runs.length ? s.runs[s.runs.length - 1] : null;
        return [el("code", {}, s.group === "default" ? s.name : s.group + "/" + s.name),
          el("code", {}, s.expression + (s.timezone && s.timezone !== "UTC" ? " " + s.timezone : "")), badge(s.state),
          s.target, String(s.runCount), last ? [time(last.scheduled) + " ", badge(last.status)] : "—",
          s.nextRun ? time(s.nextRun) : "—"];
      }), "no schedules");
  }

  // A state machine as a column of states in the order they can be reached, with the path taken drawn darker.
  function machineOrder(definition) {
    const states = (definition && definition.States) || {};
    const order = [];
    const queue = [definition && definition.StartAt];
    while (queue.length) {
      const name = queue.shift();
      if (!name || order.includes(name) || !states[name]) continue;
      order.push(name);
      for (const next of successors(states[name])) queue.push(next);
    }
    for (const name of Object.keys(states)) if (!order.includes(name)) order.push(name);
    return order;
  }
  function successors(spec) {
    const found = [];
    if (spec.Next) found.push(spec.Next);
    for (const choice of spec.Choices || []) if (choice.Next) found.push(choice.Next);
    if (spec.Default) found.push(spec.Default);
    for (const c of spec.Catch || []) if (c.Next) found.push(c.Next);
    return found;
  }
  function diagram(definition, path) {
    const order = machineOrder(definition);
    const states = (definition && definition.States) || {};
    const statusOf = {};
    for (const step of path || []) statusOf[step.state] = step.status;
    const taken = new Set();
    for (let i = 1; i < (path || []).length; i++) taken.add(path[i - 1].state + "→" + path[i].state);
    const width = 220, height = 26, gap = 16, left = 10;
    const y = (i) => 8 + i * (height + gap);
    const total = y(order.length) + 4;
    let lane = 0;
    const edges = [];
    order.forEach((name, i) => {
      for (const next of new Set(successors(states[name] || {}))) {
        const j = order.indexOf(next);
        if (j < 0) continue;
        const cls = "edge" + (taken.has(name + "→" + next) ? " taken" : "");
        if (j === i + 1) {
          edges.push(svg("line", { class: cls, x1: left + width / 2, y1: y(i) + height, x2: left + width / 2, y2: y(j) }));
        } else {
          lane += 1;
          const x = left + width + 8 + lane * 10;
          const d = `M${left + width} ${y(i) + height / 2} H${x} V${y(j) + height / 2} H${left + width}`;
          edges.push(svg("path", { class: cls, d }));
        }
      }
    });
    const nodes = order.map((name, i) => {
      const kind = (states[name] || {}).Type || "";
      return svg("g", { class: "node " + (statusOf[name] || ""), "data-state": name },
        svg("rect", { x: left, y: y(i), width, height, rx: 5 }),
        svg("text", { x: left + 8, y: y(i) + 17 }, name + (kind ? "  · " + kind : "")),
        svg("title", {}, name + " (" + (statusOf[name] || "not reached") + ")"));
    });
    const image = svg("svg", { width: left + width + 20 + lane * 10, height: total, role: "img",
      "aria-label": "state machine diagram" }, ...edges, ...nodes);
    return image;
  }
  function machinesView(snapshot, index) {
    const cards = snapshot.executions.slice().reverse().map((e) => el("div", { class: "execution", "data-execution": e.name },
      el("h3", {}, e.machine + ": " + e.name + " ", badge(e.status)),
      el("div", { class: "path" }, "path: " + (e.path.map((s) => s.state).join(" → ") || "—"),
        e.current ? " · now in " + e.current : "", e.error ? " · " + e.error : ""),
      e.happening && index[e.happening] ? el("div", { class: "links" }, link(e.happening, index, "in the timeline")) : null,
      diagram(e.definition, e.path)));
    const idle = snapshot.stateMachines.filter((m) => !snapshot.executions.some((e) => e.machineArn === m.arn))
      .map((m) => el("div", { class: "execution" }, el("h3", {}, m.name + " ", el("span", { class: "empty" }, "no executions yet")),
        diagram(m.definition, [])));
    if (!cards.length && !idle.length) return el("p", { class: "empty" }, "no state machines");
    return el("div", { class: "machines" }, cards, idle);
  }

  // -- the timeline and its causal links --------------------------------------------------------
  function indexOf(entries) {
    const index = {};
    for (const h of entries) index[h.id] = Object.assign({ effects: [] }, h);
    for (const h of entries) if (h.cause && index[h.cause]) index[h.cause].effects.push(h.id);
    return index;
  }
  function link(id, index, label) {
    const target = index[id];
    const text = label || (target ? target.kind + ": " + target.title : id);
    return el("a", { href: "#h-" + id, "data-goto": id, class: "cause-link", onclick: (event) => {
      event.preventDefault(); goTo(id);
    } }, text);
  }
  function goTo(id) {
    state.open.add(id);
    const node = document.getElementById("h-" + id);
    if (!node) return;
    const details = node.querySelector("details");
    if (details) details.open = true;
    node.scrollIntoView({ block: "center" });
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
    history.replaceState(null, "", "#h-" + id);
  }
  function timelineView(snapshot, index) {
    const needle = state.filter.toLowerCase();
    const entries = snapshot.timeline.slice().reverse()
      .filter((h) => !needle || (h.kind + " " + h.title + " " + h.logs.join("\n")).toLowerCase().includes(needle));
    const filter = el("div", { class: "filter" }, el("input", { type: "search", placeholder: "filter the timeline",
      value: state.filter, "aria-label": "filter the timeline", oninput: (event) => {
        state.filter = event.target.value; rerender();
      } }));
    if (!entries.length) return [filter, el("p", { class: "empty" }, "nothing has happened yet")];
    return [filter, el("ol", {}, entries.map((h) => {
      const entry = index[h.id];
      const details = el("details", { open: state.open.has(h.id) },
        el("summary", {}, el("span", { class: "at", title: "harness clock " + h.at }, time(h.at) + " +" + (h.elapsed || 0).toFixed(3) + "s"), el("span", { class: "kind" }, h.kind), " ",
          el("strong", {}, h.title), " ", badge(h.status), h.detail.error ? el("span", { class: "error" }, " " + h.detail.error) : ""),
        el("div", { class: "links" }, "caused by: ", h.cause ? (index[h.cause] ? link(h.cause, index) : h.cause + " (no longer shown)") : "—"),
        el("div", { class: "links" }, "led to: ", entry.effects.length ? entry.effects.map((id) => link(id, index)) : "—"),
        el("pre", { class: "detail" }, JSON.stringify(h.detail, null, 2)),
        h.logs.length ? el("pre", { class: "logs" }, h.logs.join("\n")) : null);
      details.addEventListener("toggle", () => { if (details.open) state.open.add(h.id); else state.open.delete(h.id); });
      return el("li", { id: "h-" + h.id, "data-kind": h.kind }, details);
    }))];
  }
  function flowsView(snapshot, index) {
    const roots = snapshot.timeline.filter((h) => !h.cause || !index[h.cause]).slice(-40).reverse();
    if (!roots.length) return el("p", { class: "empty" }, "no flows yet");
    const seen = new Set();
    function branch(id, depth) {
      const h = index[id];
      if (seen.has(id)) return null;
      seen.add(id);
      const children = depth < 12 ? h.effects.map((e) => branch(e, depth + 1)).filter(Boolean) : [];
      return el("li", {}, el("span", { class: "kind" }, h.kind), " ", link(id, index, h.title), " ",
        el("span", { class: statusClass(h.status) }, h.status === "ok" ? "✓" : h.status === "error" ? "✗" : "…"),
        children.length ? el("ul", {}, children) : null);
    }
    return el("ul", {}, roots.map((h) => branch(h.id, 0)));
  }

  function pending(snapshot, part) {
    return (snapshot.pending || []).includes(part) ? el("p", { class: "empty" }, "reading from the backend…") : null;
  }

  // -- the page -----------------------------------------------------------------------------------
  let current = null;
  function render(snapshot, heading) {
    current = { snapshot, heading };
    const index = indexOf(snapshot.timeline);
    const facts = document.getElementById("facts");
    facts.replaceChildren(el("span", {}, "account " + snapshot.account), el("span", {}, "backend " + snapshot.backend),
      el("span", {}, "clock " + (snapshot.clock || "").replace("T", " ")), el("span", {}, snapshot.timeline.length + " happenings"));
    const app = document.getElementById("app");
    const scrollY = window.scrollY;
    const typing = document.activeElement && document.activeElement.matches(".filter input");
    app.replaceChildren(...[
      heading || null,
      snapshot.problems && snapshot.problems.length ? el("p", { class: "problems" }, snapshot.problems.join("; ")) : null,
      el("section", { id: "functions" }, el("h2", {}, "Functions"), functionsView(snapshot)),
      el("section", { id: "event-sources" }, el("h2", {}, "Event sources"), sourcesView(snapshot)),
      el("section", { id: "rules" }, el("h2", {}, "Rules and targets"), pending(snapshot, "rules") || rulesView(snapshot)),
      el("section", { id: "schedules" }, el("h2", {}, "Schedules"), pending(snapshot, "schedules") || schedulesView(snapshot)),
      el("section", { id: "state-machines" }, el("h2", {}, "State machines"),
        (!snapshot.executions.length && pending(snapshot, "stateMachines")) || machinesView(snapshot, index)),
      el("section", { id: "flows", class: "flows" }, el("h2", {}, "Flows (cause → effect)"), flowsView(snapshot, index)),
      el("section", { id: "timeline" }, el("h2", {}, "Timeline (newest first)"), timelineView(snapshot, index)),
    ].filter(Boolean));
    window.scrollTo(0, scrollY);
    const input = document.querySelector(".filter input");
    if (typing && input) { input.focus(); input.setSelectionRange(input.value.length, input.value.length); }
  }
  function rerender() {
    if (current) render(current.snapshot, current.heading);
  }

  function showRun(report, i) {
    state.runIndex = i;
    state.open.clear();
    const run = report.runs[i];
    for (const button of document.querySelectorAll("#runs button")) button.classList.toggle("selected", Number(button.dataset.index) === i);
    const heading = el("section", { id: "run" }, el("h2", {}, run.name + " ", badge(run.outcome === "passed" ? "ok" : run.outcome === "failed" ? "error" : run.outcome),
      " ", el("span", { class: "at" }, run.duration !== undefined ? run.duration.toFixed(2) + " s" : "")),
      run.longrepr ? el("pre", { class: "failure" }, run.longrepr) : null,
      run.checks && run.checks.length ? table(["Check", "Result"], run.checks.map((c) => [c.description + (c.detail ? " — " + c.detail : ""),
        badge(c.ok ? "ok" : "error")]), "") : null);
    render(run.snapshot, heading);
  }
  function startReport(report) {
    document.title = report.title;
    document.getElementById("title").textContent = report.title;
    const failed = report.runs.filter((r) => r.outcome === "failed").length;
    const status = document.getElementById("status");
    status.textContent = `report · ${report.runs.length} run(s), ${failed} failed · ${report.generated}`;
    const nav = document.getElementById("runs");
    nav.hidden = false;
    const list = el("div", {});
    function fill() {
      list.replaceChildren(...report.runs.map((run, i) => (!state.failedOnly || run.outcome === "failed") ?
        el("button", { type: "button", "data-index": i, class: i === state.runIndex ? "selected" : "", onclick: () => showRun(report, i) },
          el("span", { class: statusClass(run.outcome === "passed" ? "ok" : run.outcome === "failed" ? "error" : "") },
            run.outcome === "passed" ? "✓ " : run.outcome === "failed" ? "✗ " : "· "), run.name) : null).filter(Boolean));
    }
    const toggle = el("label", {}, el("input", { type: "checkbox", onchange: (event) => { state.failedOnly = event.target.checked; fill(); } }),
      " failed only");
    nav.replaceChildren(toggle, list);
    fill();
    if (!report.runs.length) { render(emptySnapshot(), el("p", { class: "empty" }, "no runs recorded")); return; }
    const firstFailed = report.runs.findIndex((r) => r.outcome === "failed");
    showRun(report, firstFailed >= 0 ? firstFailed : 0);
    if (location.hash.startsWith("#h-")) goTo(location.hash.slice(3));
  }
  function emptySnapshot() {
    return { account: "", backend: "", clock: "", functions: [], eventSources: [], rules: [], schedules: [],
      stateMachines: [], executions: [], timeline: [], problems: [] };
  }

  async function poll() {
    const status = document.getElementById("status");
    try {
      const response = await fetch(SNAPSHOT_PATH, { cache: "no-store", credentials: "same-origin" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const text = await response.text();
      if (text !== state.lastText) {
        state.lastText = text;
        render(JSON.parse(text));
      }
      status.className = "live";
      status.textContent = "live · updated " + new Date().toLocaleTimeString();
    } catch (error) {
      status.className = "down";
      status.textContent = "harness not reachable (" + error.message + "); retrying";
    }
    setTimeout(poll, POLL_MS);
  }

  const embedded = document.getElementById("harness-data");
  if (embedded) startReport(JSON.parse(embedded.textContent));
  else poll();
})();
