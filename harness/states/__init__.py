"""Step Functions in the harness: the Amazon States Language (paths, templates, intrinsics, rules, validation)."""
