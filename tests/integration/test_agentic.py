"""Pattern 12, agentic AI, end to end: the seed's three tasks, the tools called in order, the iteration limit.

Tool use: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-tool-use.html
"""

from __future__ import annotations

import pytest

from adapters.bedrock import tool_use
from provisioning.stacks import agentic_stack


@pytest.fixture
def agent(harness):
    harness.deploy(agentic_stack())
    return harness


def run(harness, task: str) -> dict:
    return harness.invoke("AgentOrchestrator", {"task": task}).value()


def test_five_gadgets_cost_what_the_price_calculator_says_after_the_bulk_discount(agent):
    result = run(agent, "I need to buy 5 Gadgets. What will the total cost be?")

    assert result["toolsUsed"] == ["PriceCalculator"]
    assert "224.95" in result["answer"]
    assert agent.logs("PriceCalculator").matching("Price calc: 5x Gadget = $249.95 (discount: $25.0) = $224.95")
    assert agent.logs("AgentOrchestrator").matching(
        "Agent calling PriceCalculator with {'product': 'Gadget', 'quantity': 5}"
    )


def test_devices_are_checked_then_priced_for_two_units(agent):
    result = run(agent, "Check if Devices are available and tell me the price for 2 units.")

    assert result["toolsUsed"] == ["InventoryChecker", "PriceCalculator"]
    assert "low stock" in result["answer"] and "399.98" in result["answer"]
    assert agent.logs("PriceCalculator").matching("2x Device")


def test_pros_are_reported_out_of_stock_before_any_price(agent):
    result = run(agent, "I want to order some Pros but first check if they're in stock.")

    assert result["toolsUsed"] == ["InventoryChecker"]
    assert "out of stock" in result["answer"]
    assert not agent.logs("PriceCalculator").invocations


def test_a_model_that_never_stops_calling_tools_ends_at_the_iteration_limit(agent):
    agent.bedrock.script([tool_use("InventoryChecker", {"product": "Widget"})], repeat=True)

    result = run(agent, "Keep checking Widgets.")

    assert result == {
        "task": "Keep checking Widgets.",
        "error": "Max iterations reached",
        "toolsUsed": ["InventoryChecker"] * 5,
    }
    assert len(agent.logs("InventoryChecker").invocations) == 5


def test_a_failing_tool_is_reported_to_the_model_as_an_error(agent):
    agent.bedrock.script([tool_use("PriceCalculator", {"product": "Gadget", "quantity": "many"})], "Sorry.")

    result = run(agent, "Price some Gadgets")

    assert result["answer"] == "Sorry."
    second_request = agent.bedrock.scripted.requests[1]
    (tool_result,) = second_request["messages"][-1]["content"]
    assert tool_result["is_error"] is True and "ValueError" in tool_result["content"]
