"""Record AWS's answers to files, and replay them offline.

Each exchange is one JSON file named by the operation and a hash of the model id and request, holding
the request (for reading) and the response. Replay finds the file by the same hash; a request that was
never recorded is refused with the file it looked for.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from adapters.bedrock.conversation import digest
from adapters.bedrock.errors import RecordingMissing
from adapters.bedrock.interface import BedrockAdapter
from adapters.bedrock.requests import EmbeddingRequest


def recording_path(directory: Path, operation: str, model_id: str, request: dict[str, Any]) -> Path:
    """Where an exchange is recorded."""
    return directory / f"{operation}-{digest([operation, model_id, request], 16)}.json"


class RecordingBedrock:
    """Passes every request to another adapter (AWS) and writes each exchange to `directory`."""

    def __init__(self, inner: BedrockAdapter, directory: str | Path) -> None:
        self.inner = inner
        self.directory = Path(directory)
        self._lock = threading.Lock()

    def embed(self, model_id: str, request: EmbeddingRequest) -> dict[str, Any]:
        """Embed through the inner adapter and record the exchange."""
        return self._record("embed", model_id, request.body(), self.inner.embed(model_id, request))

    def create_message(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create a message through the inner adapter and record the exchange."""
        return self._record("create_message", model_id, body, self.inner.create_message(model_id, body))

    def converse(self, model_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """Converse through the inner adapter and record the exchange."""
        return self._record("converse", model_id, request, self.inner.converse(model_id, request))

    def _record(self, operation: str, model_id: str, request: dict[str, Any], response: dict[str, Any]) -> Any:
        path = recording_path(self.directory, operation, model_id, request)
        exchange = {"operation": operation, "modelId": model_id, "request": request, "response": response}
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            partial.write_text(json.dumps(exchange, indent=1, sort_keys=True, default=str))
            partial.replace(path)  # never a half-written recording
        return response


class ReplayBedrock:
    """Answers from recordings only; a request nobody recorded fails with `RecordingMissing`."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def embed(self, model_id: str, request: EmbeddingRequest) -> dict[str, Any]:
        """The recorded embedding for this request."""
        return self._replay("embed", model_id, request.body())

    def create_message(self, model_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The recorded message for this request."""
        return self._replay("create_message", model_id, body)

    def converse(self, model_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """The recorded Converse answer for this request."""
        return self._replay("converse", model_id, request)

    def _replay(self, operation: str, model_id: str, request: dict[str, Any]) -> Any:
        path = recording_path(self.directory, operation, model_id, request)
        if not path.exists():
            raise RecordingMissing(
                f"No recorded Bedrock exchange for this {operation} request to {model_id}: {path} does not exist. "
                f"Record it once against AWS with HARNESS_BEDROCK=aws HARNESS_BEDROCK_RECORDINGS={self.directory}."
            )
        return json.loads(path.read_text())["response"]
