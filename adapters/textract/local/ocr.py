"""Words of an image through Debian's tesseract-ocr (its TSV output gives each word's box)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess

from PIL import Image

from adapters.textract.errors import EngineUnavailable, TextractError
from adapters.textract.local.deskew import skew_angle, straighten
from adapters.textract.local.page import Box, Page, Word
from adapters.textract.local.rulings import without_rulings

TESSERACT = "tesseract"
INSTALL_HINT = "install Debian's tesseract-ocr package (apt-get install -y tesseract-ocr)"
# Tesseract reads best when capital letters are at least ~20 pixels high; small images are enlarged.
MIN_SIDE_FOR_OCR = 1600
TIMEOUT_SECONDS = 120


def tesseract_path() -> str | None:
    """Where the tesseract binary is, or None."""
    return shutil.which(TESSERACT)


def require_tesseract() -> str:
    """The tesseract binary, or EngineUnavailable naming how to install it."""
    path = tesseract_path()
    if path is None:
        raise EngineUnavailable(
            f"reading text from images needs the tesseract OCR engine, not found on PATH: {INSTALL_HINT}"
        )
    return path


def read_image(image: Image.Image, number: int) -> Page:
    """One page of words read from `image` (straightened first if it is turned a little), in its pixels."""
    binary = require_tesseract()
    width, height = image.size
    gray = image.convert("L")
    angle = skew_angle(gray)
    to_original = None
    if angle:
        gray, to_original = straighten(gray, angle)
    prepared = without_rulings(gray)
    scale = max(1.0, MIN_SIDE_FOR_OCR / max(prepared.size))
    if scale > 1.0:
        size = (round(prepared.width * scale), round(prepared.height * scale))
        prepared = prepared.resize(size, Image.Resampling.LANCZOS)
    png = io.BytesIO()
    prepared.save(png, format="PNG")
    try:
        done = subprocess.run(
            [binary, "stdin", "stdout", "--psm", "3", "tsv"],
            input=png.getvalue(),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
            # One thread per page: several test workers share the cores, and OpenMP contention is slower.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise TextractError(f"the OCR engine took over {TIMEOUT_SECONDS} s on page {number}") from exc
    if done.returncode != 0:
        raise TextractError(f"the OCR engine failed on page {number}: {done.stderr.decode(errors='replace').strip()}")
    words = list(_words(done.stdout.decode("utf-8", errors="replace"), scale))
    return Page(number, width, height, words, to_original)


def _words(tsv: str, scale: float):
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = int(row["left"]) / scale, int(row["top"]) / scale
        right, bottom = left + int(row["width"]) / scale, top + int(row["height"]) / scale
        yield Word(text, Box(left, top, right, bottom), max(0.0, min(100.0, float(row["conf"]))))
