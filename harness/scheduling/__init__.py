"""Time-driven invocations: EventBridge Scheduler schedules and classic scheduled rules, on the harness clock."""
