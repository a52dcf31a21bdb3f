"""Errors a backend raises when it cannot be started or reached."""


class BackendUnavailable(RuntimeError):
    """The chosen backend could not be started or reached; the message says why and what to do."""
