"""Local Textract: extraction quality on generated documents, and time per page against the bare engines.

    .venv/bin/python -m bench.textract

Quality: word recall (share of the document's words found exactly), form fields paired with the right
value, table cells in the right row and column. Time: AnalyzeDocument (FORMS + TABLES) per page, and the
same page through the bare engine in the same run (pdfplumber's extract_words for PDFs, the tesseract
binary's TSV output for images), so the figures say what the block building costs on top.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pdfplumber

from adapters.textract.local import LocalTextract
from adapters.textract.local.ocr import tesseract_path
from adapters.textract.quality import score
from harness_cli.demos.sample_documents import SAMPLES, SampleDocument

RENDERINGS = {
    "pdf": SampleDocument.pdf,
    "png": SampleDocument.image,
    "jpeg": lambda document: document.image("JPEG"),
    "96dpi": lambda document: document.image(dpi=96),  # a screenshot
    "photo": SampleDocument.photo,  # turned 1.5 degrees, blurred, JPEG quality 60
}


def bare_engine_seconds(rendering: str, data: bytes) -> float:
    """The bare engine on the same document: pdfplumber words, or the tesseract binary's TSV."""
    started = time.perf_counter()
    if rendering == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pdf.pages[0].extract_words()
    else:
        command = ["tesseract", "stdin", "stdout", "tsv"]
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # as the engine runs it
        subprocess.run(command, input=data, capture_output=True, check=True, env=environment)
    return time.perf_counter() - started


def main() -> int:
    """Print one line per document and rendering, then the totals."""
    engine = LocalTextract()
    renderings = [r for r in RENDERINGS if r == "pdf" or tesseract_path()]
    if len(renderings) < len(RENDERINGS):
        print("tesseract is not installed: images are left out (apt-get install -y tesseract-ocr)")
    print(f"{'document':<18} {'format':<6} {'recall':>7} {'fields':>7} {'cells':>7} {'s/page':>7} {'bare s':>7}")
    short = 0
    for document in SAMPLES:
        for rendering in renderings:
            data = RENDERINGS[rendering](document)
            started = time.perf_counter()
            response = engine.analyze_document(data, ["FORMS", "TABLES"])
            seconds = time.perf_counter() - started
            bare = bare_engine_seconds(rendering, data)
            result = score(response, document.words, dict(document.fields), [list(r) for r in document.table])
            missed = result.fields_paired < result.fields_expected or result.cells_placed < result.cells_expected
            short += missed and rendering != "photo"  # the photo's figures are for information
            print(
                f"{document.name:<18} {rendering:<6} {result.recall:>7.1%} "
                f"{result.fields_paired:>3}/{result.fields_expected:<3} "
                f"{result.cells_placed:>3}/{result.cells_expected:<3} "
                f"{seconds:>7.2f} {bare:>7.2f}"
            )
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main())
