"""IAM roles, including the seed's LambdaLabRole (account setup, which the harness does for every account)."""

from harness.backends.lab_role import (
    LAMBDA_LAB_POLICIES,
    LAMBDA_TRUST_POLICY,
    Role,
    lambda_lab_role,
    managed_policy_arn,
)

__all__ = ["LAMBDA_LAB_POLICIES", "LAMBDA_TRUST_POLICY", "Role", "lambda_lab_role", "managed_policy_arn"]
