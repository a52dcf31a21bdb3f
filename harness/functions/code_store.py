"""Uploaded function code: each zip extracted once into its own directory under one temporary root."""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tempfile
import threading
import uuid
import weakref
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_UNZIPPED_BYTES = 262_144_000  # Lambda's quota on a function's unzipped deployment package


class InvalidCode(ValueError):
    """The uploaded bytes are not a zip Lambda would accept."""


@dataclass(frozen=True)
class CodePackage:
    """One upload: where it was extracted and how Lambda describes it."""

    path: str
    sha256: str  # base64 of the SHA-256 of the zip, as CodeSha256
    size: int  # bytes of the zip, as CodeSize


class CodeStore:
    """Extracts uploads into directories that live until `close()` removes them all."""

    def __init__(self) -> None:
        self._root: Path | None = None
        self._lock = threading.Lock()

    def _directory(self, function_name: str) -> Path:
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="harness-lambda-code-"))
                # a store nobody closed still leaves nothing behind when it is collected
                self._finalizer = weakref.finalize(self, shutil.rmtree, self._root, True)
            root = self._root
        path = root / f"{function_name}-{uuid.uuid4().hex[:12]}"
        path.mkdir()
        return path

    def unpack(self, function_name: str, zip_bytes: bytes) -> CodePackage:
        """Extract a zip into a fresh directory; InvalidCode says why Lambda would refuse it."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
        except zipfile.BadZipFile:
            raise InvalidCode(
                "Could not unzip uploaded file. Please check your file, then try to upload again."
            ) from None
        with archive:
            members = archive.infolist()
            unsafe = [m.filename for m in members if _escapes(m.filename)]
            if unsafe:
                raise InvalidCode(f"Could not unzip uploaded file: entries {unsafe} point outside the package.")
            if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
                raise InvalidCode(f"Unzipped size must be smaller than {MAX_UNZIPPED_BYTES} bytes")
            path = self._directory(function_name)
            try:
                archive.extractall(path)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                shutil.rmtree(path, ignore_errors=True)
                raise InvalidCode(
                    f"Could not unzip uploaded file. Please check your file, then try to upload again. ({exc})"
                ) from None
        digest = base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()
        return CodePackage(str(path), digest, len(zip_bytes))

    def close(self) -> None:
        """Remove every extracted package."""
        with self._lock:
            root, self._root = self._root, None
        if root is not None:
            self._finalizer()


def _escapes(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts
