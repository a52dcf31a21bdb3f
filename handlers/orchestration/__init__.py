"""Pattern 8, orchestration: the three worker functions of the OrderPipeline state machine."""
