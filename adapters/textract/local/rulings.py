"""Ruled lines (table grids, underlines, form boxes) erased from a scan before OCR.

Tesseract reads a grid's lines as characters and loses the text that touches them; Textract reads a
spreadsheet's screenshot cell by cell. A ruling is a run of dark pixels far longer than any stroke of a
letter, found row by row and column by column.
"""

from __future__ import annotations

import re

from PIL import Image, ImageDraw

DARK = 200  # grey levels below this are ink
MIN_RUN_FRACTION = 1 / 25  # of the page's side
MIN_RUN_PIXELS = 40
MAX_THICKNESS = 8  # pixels: thicker dark areas (filled bars, photos) are left as they are


def without_rulings(gray: Image.Image) -> Image.Image:
    """A copy of the greyscale image with long horizontal and vertical dark runs painted white."""
    binary = gray.point(lambda level: 0 if level < DARK else 255)
    cleaned = gray.copy()
    draw = ImageDraw.Draw(cleaned)
    for y, start, end in _thin_runs(binary):
        draw.line([(start, y), (end, y)], fill=255)
    for x, start, end in _thin_runs(binary.transpose(Image.Transpose.TRANSPOSE)):
        draw.line([(x, start), (x, end)], fill=255)
    return cleaned


def _thin_runs(binary: Image.Image):
    """(row, first column, last column) of every long dark run that is at most MAX_THICKNESS thick."""
    width, height = binary.size
    pattern = re.compile(b"\\x00{%d,}" % max(MIN_RUN_PIXELS, round(width * MIN_RUN_FRACTION)))
    data = binary.tobytes()
    for row in range(height):
        offset = row * width
        for match in pattern.finditer(data, offset, offset + width):
            start, end = match.start() - offset, match.end() - 1 - offset
            if not _inside_a_dark_area(data, width, height, row, start, end):
                yield row, start, end


def _inside_a_dark_area(data: bytes, width: int, height: int, row: int, start: int, end: int) -> bool:
    """Whether most points of the run are dark MAX_THICKNESS rows above and below as well."""
    probes = [start + (end - start) * k // 4 for k in (1, 2, 3)]
    dark = 0
    for other in (row - MAX_THICKNESS, row + MAX_THICKNESS):
        if 0 <= other < height:
            dark += sum(data[other * width + x] == 0 for x in probes)
    return dark >= 4
