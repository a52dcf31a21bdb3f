"""Pattern 9, choreography with EventBridge: services that react to events and publish the next one."""
