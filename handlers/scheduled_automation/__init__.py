"""Pattern 10, scheduled automation: a health check that EventBridge Scheduler runs every five minutes."""
