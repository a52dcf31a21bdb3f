"""Errors a backend raises when it cannot be started or reached."""


class BackendUnavailable(RuntimeError):
    """The chosen backend could not be started or reached; the message says why and what to do."""


def error_code(exc: Exception) -> str:
    """The AWS error code of a botocore ClientError, or ''."""
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
