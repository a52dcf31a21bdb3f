"""Builds Lambda deployment packages in memory for tests (not collected: no test_ prefix)."""

from __future__ import annotations

import io
import textwrap
import zipfile

ROLE = "arn:aws:iam::123456789012:role/lambda-role"

HANDLER = """
import os
import utils

print("cold start of", os.environ["AWS_LAMBDA_FUNCTION_NAME"])


def lambda_handler(event, context):
    print("event", event)
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {"utils": utils.WHO, "version": context.function_version, "greeting": os.environ.get("GREETING")}
"""


def zip_bytes(files: dict[str, str]) -> bytes:
    """A zip holding `files` (name -> source text, dedented)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, textwrap.dedent(text))
    return buffer.getvalue()


def package(who: str, handler: str = HANDLER) -> bytes:
    """A function whose `utils.py` names `who`, so a test sees whose module it imported."""
    return zip_bytes({"lambda_function.py": handler, "utils.py": f"WHO = {who!r}\n"})
