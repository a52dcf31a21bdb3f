"""Routing to functions through queues the emulator delivers to: EventBridge rules, S3, SNS."""
