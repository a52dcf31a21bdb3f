"""CodeStore: each upload extracted into its own directory, described as Lambda's CodeSha256 and CodeSize."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from harness.functions.code_store import CodeStore, InvalidCode
from tests.zip_code import zip_bytes


def test_each_upload_gets_its_own_directory_and_lambdas_digest() -> None:
    store = CodeStore()
    code = zip_bytes({"lambda_function.py": "x = 1\n", "pkg/mod.py": "y = 2\n"})
    first, second = store.unpack("Fn", code), store.unpack("Fn", code)
    assert first.path != second.path
    assert (Path(first.path) / "pkg" / "mod.py").read_text() == "y = 2\n"
    assert first.sha256 == base64.b64encode(hashlib.sha256(code).digest()).decode()
    assert first.size == len(code)
    store.close()
    assert not Path(first.path).exists()


def test_not_a_zip_is_refused_in_lambdas_words() -> None:
    with pytest.raises(InvalidCode, match="Could not unzip uploaded file"):
        CodeStore().unpack("Fn", b"plain bytes")


def test_entries_escaping_the_package_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.py", "x = 1\n")
    with pytest.raises(InvalidCode, match="outside the package"):
        CodeStore().unpack("Fn", buffer.getvalue())
