"""Pattern 12, agentic AI: the AgentOrchestrator and its tools PriceCalculator and InventoryChecker."""
