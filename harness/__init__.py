"""A local AWS emulation test harness for serverless patterns."""

from typing import Any

__all__ = ["Harness"]


def __getattr__(name: str) -> Any:
    # Lazy, so that provisioning can import harness submodules without importing the whole harness.
    if name == "Harness":
        from harness.core import Harness

        return Harness
    raise AttributeError(name)
