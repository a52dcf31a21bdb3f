"""Pattern 12's verify steps: the agent picks its tools for three tasks and reports what they say."""

from __future__ import annotations

from harness.core import Harness
from harness_cli.demos.report import Report
from provisioning.stacks import agentic_stack

TASKS = [
    ("I need to buy 5 Gadgets. What will the total cost be?", ["PriceCalculator"], "224.95"),
    (
        "Check if Devices are available and tell me the price for 2 units.",
        ["InventoryChecker", "PriceCalculator"],
        "399.98",
    ),
    ("I want to order some Pros but first check if they're in stock.", ["InventoryChecker"], "out of stock"),
]


def demo_agentic(harness: Harness, report: Report) -> None:
    """Run the seed's Verify steps for pattern 12: the tools used, in order, and the answers."""
    harness.deploy(agentic_stack(), progress=report.note)
    for task, tools, expected in TASKS:
        result = harness.invoke("AgentOrchestrator", {"task": task}).value()
        used = result.get("toolsUsed")
        report.check(
            f"{task!r} uses {' then '.join(tools)} and says {expected}",
            used == tools and expected in result.get("answer", ""),
            result.get("answer", result.get("error", "")),
        )
    calls = harness.logs("AgentOrchestrator").matching("Agent calling")
    report.check("the orchestrator's log shows every tool call with its input", len(calls) == 4, f"{len(calls)} calls")
    report.check(
        "no price was calculated for the Pros",
        not harness.logs("PriceCalculator").matching("Pro ="),
    )
