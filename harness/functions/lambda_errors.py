"""The errors Lambda's control plane answers with, as domain exceptions (the wire maps them to AWS errors)."""

from __future__ import annotations


class LambdaError(Exception):
    """A refusal of a Lambda operation: its AWS error code, HTTP status and Lambda's message."""

    code = "ServiceException"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResourceNotFound(LambdaError):
    """The function, version, alias, statement or mapping does not exist."""

    code, status = "ResourceNotFoundException", 404


class ResourceConflict(LambdaError):
    """The resource already exists, or is in use."""

    code, status = "ResourceConflictException", 409


class InvalidParameterValue(LambdaError):
    """A parameter has a value Lambda refuses."""

    code, status = "InvalidParameterValueException", 400


class ValidationFailed(LambdaError):
    """A parameter breaks the model's constraints (range, pattern, enum)."""

    code, status = "ValidationException", 400


class PreconditionFailed(LambdaError):
    """The RevisionId given is not the resource's current one."""

    code, status = "PreconditionFailedException", 412


class TooManyRequests(LambdaError):
    """The function is throttled (reserved concurrency of zero)."""

    code, status = "TooManyRequestsException", 429
