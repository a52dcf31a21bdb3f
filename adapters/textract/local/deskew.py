"""A slightly turned scan or photo straightened before OCR, and the way back to its own coordinates.

Textract reads documents at any in-plane rotation; tesseract and the row grouping want level text. The
skew is the angle whose rotation makes the rows of ink sharpest (a projection profile).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from PIL import Image

from adapters.textract.local.rulings import DARK

MAX_SKEW_DEGREES = 5.0
COARSE_STEP_DEGREES = 0.5
FINE_STEP_DEGREES = 0.25
MIN_SKEW_DEGREES = 0.4  # below this tesseract copes and rows stay apart
PROFILE_WIDTH = 400

Point = tuple[float, float]


def skew_angle(gray: Image.Image) -> float:
    """The counter-clockwise rotation, in degrees, that levels the text (0 when it is level enough)."""
    scale = min(1.0, PROFILE_WIDTH / gray.width)
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))))
    ink = small.point(lambda level: 255 if level < DARK else 0)
    steps = round(MAX_SKEW_DEGREES / COARSE_STEP_DEGREES)
    scores = {0.0: _sharpness(ink)}
    for k in range(-steps, steps + 1):
        _score(ink, k * COARSE_STEP_DEGREES, scores)
    coarse = _best(scores)
    for angle in (coarse - FINE_STEP_DEGREES, coarse + FINE_STEP_DEGREES):
        _score(ink, angle, scores)
    best = _best(scores)
    return best if abs(best) >= MIN_SKEW_DEGREES else 0.0


def _score(ink: Image.Image, angle: float, scores: dict[float, float]) -> None:
    if angle not in scores:
        scores[angle] = _sharpness(ink.rotate(angle, Image.Resampling.NEAREST))


def _best(scores: dict[float, float]) -> float:
    """The sharpest angle; of equals, the smallest turn."""
    return max(scores, key=lambda angle: (scores[angle], -abs(angle)))


def _sharpness(ink: Image.Image) -> float:
    """How sharply the rows of ink stand out: the squared changes between neighbouring rows' ink."""
    rows = ink.resize((1, ink.height), Image.Resampling.BOX).tobytes()
    return float(sum((a - b) ** 2 for a, b in itertools.pairwise(rows)))


def straighten(gray: Image.Image, angle: float) -> tuple[Image.Image, Callable[[Point], Point]]:
    """The image turned by `angle` degrees, and the map from its pixels back to the original's."""
    turned = gray.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    theta = math.radians(angle)
    cos, sin = math.cos(theta), math.sin(theta)
    cx, cy = gray.width / 2, gray.height / 2
    tx, ty = turned.width / 2, turned.height / 2

    def back(point: Point) -> Point:
        x, y = point[0] - tx, point[1] - ty
        return (cos * x - sin * y + cx, sin * x + cos * y + cy)

    return turned, back
