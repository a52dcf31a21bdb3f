"""What can go wrong in a Bedrock request, in Bedrock's own terms."""

from __future__ import annotations


class BedrockError(Exception):
    """Base of the errors an adapter raises; `code` is the Bedrock Runtime error code it stands for."""

    code = "ValidationException"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(BedrockError):
    """A request Bedrock refuses: unknown model, malformed body, or a body over the model's limits."""


class RecordingMissing(BedrockError):
    """Replay was asked for an exchange that was never recorded."""

    code = "ResourceNotFoundException"
    status = 404


class ServiceError(BedrockError):
    """An error Bedrock itself answered (aws adapter), passed on with its code and status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
