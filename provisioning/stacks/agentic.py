"""Pattern 12, agentic AI: AgentOrchestrator asks the model, then invokes PriceCalculator / InventoryChecker."""

from __future__ import annotations

from harness.functions.spec import FunctionSpec
from provisioning.stack import Stack


def agentic_stack() -> Stack:
    """The seed's three functions: two tools (default settings) and the orchestrator (60 s timeout)."""
    module = "handlers.agentic"
    return Stack(
        "agentic",
        functions=[
            FunctionSpec("PriceCalculator", f"{module}.price_calculator.lambda_handler"),
            FunctionSpec("InventoryChecker", f"{module}.inventory_checker.lambda_handler"),
            FunctionSpec("AgentOrchestrator", f"{module}.agent_orchestrator.lambda_handler", timeout=60),
        ],
    )
