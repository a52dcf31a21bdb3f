"""Resource builders and one stack per pattern."""
