"""The seed's Start-of-Day setup: LambdaLabRole, the role every function of an account assumes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from harness.backends.base import Account
from harness.backends.errors import error_code

LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}

LAMBDA_LAB_POLICIES = (
    "AWSLambdaBasicExecutionRole",
    "AmazonDynamoDBFullAccess",
    "AmazonSQSFullAccess",
    "AmazonSNSFullAccess",
    "AmazonS3FullAccess",
    "AWSStepFunctionsFullAccess",
    "AmazonKinesisFullAccess",
    "AmazonTextractFullAccess",
    "AmazonAthenaFullAccess",
    "AWSGlueServiceRole",
    "AmazonBedrockFullAccess",
)


def managed_policy_arn(name: str) -> str:
    """The ARN of an AWS managed policy; a few live under a service-role/ path."""
    path = "service-role/" if name in {"AWSLambdaBasicExecutionRole", "AWSGlueServiceRole"} else ""
    return f"arn:aws:iam::aws:policy/{path}{name}"


@dataclass(frozen=True)
class Role:
    """A role that Lambda may assume, with AWS managed policies attached by name."""

    name: str
    managed_policies: tuple[str, ...] = ()
    trust_policy: dict[str, Any] = field(default_factory=lambda: LAMBDA_TRUST_POLICY)

    def create(self, account: Account) -> dict[str, Any]:
        """Create the role if missing and attach its policies."""
        iam = account.client("iam")
        try:
            iam.create_role(RoleName=self.name, AssumeRolePolicyDocument=json.dumps(self.trust_policy))
        except ClientError as exc:
            if error_code(exc) != "EntityAlreadyExists":
                raise
        for policy in self.managed_policies:
            try:
                iam.attach_role_policy(RoleName=self.name, PolicyArn=managed_policy_arn(policy))
            except ClientError as exc:
                raise RuntimeError(f"role {self.name}: cannot attach managed policy {policy}: {exc}") from exc
        return {"arn": iam.get_role(RoleName=self.name)["Role"]["Arn"], "name": self.name}

    def delete(self, account: Account) -> None:
        """Detach the policies and delete the role."""
        iam = account.client("iam")
        try:
            for attached in iam.list_attached_role_policies(RoleName=self.name)["AttachedPolicies"]:
                iam.detach_role_policy(RoleName=self.name, PolicyArn=attached["PolicyArn"])
            iam.delete_role(RoleName=self.name)
        except ClientError as exc:
            if error_code(exc) != "NoSuchEntity":
                raise


def lambda_lab_role() -> Role:
    """The seed's LambdaLabRole with its eleven managed policies."""
    return Role("LambdaLabRole", LAMBDA_LAB_POLICIES)
