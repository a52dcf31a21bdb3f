"""Scans prepared for OCR: ruled lines erased, filled areas kept, a small turn measured and undone."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from adapters.textract.local.deskew import skew_angle, straighten
from adapters.textract.local.rulings import without_rulings
from harness_cli.demos.sample_documents import LETTER


def test_thin_long_lines_are_erased_and_thick_filled_areas_are_kept():
    image = Image.new("L", (400, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(10, 20), (390, 20)], fill=100, width=2)  # a table border
    draw.line([(50, 30), (50, 190)], fill=100, width=1)  # a column border
    draw.rectangle([(10, 100), (390, 140)], fill=0)  # a filled header bar

    cleaned = without_rulings(image)

    assert cleaned.getpixel((200, 20)) == 255 and cleaned.getpixel((50, 60)) == 255
    assert cleaned.getpixel((200, 120)) == 0


@pytest.mark.parametrize("degrees", [-3.0, -1.5, 2.0])
def test_the_turn_of_a_page_of_text_is_measured(degrees):
    scan = Image.open(io.BytesIO(LETTER.image(dpi=100))).convert("L")
    turned = scan.rotate(degrees, expand=True, fillcolor=255)

    assert skew_angle(turned) == pytest.approx(-degrees, abs=0.25)
    assert skew_angle(scan) == 0.0


def test_straightening_maps_points_back_to_the_original_image():
    image = Image.new("L", (400, 300), 255)
    image.putpixel((300, 50), 0)

    turned, back = straighten(image, 10.0)
    (x, y) = next((x, y) for x in range(turned.width) for y in range(turned.height) if turned.getpixel((x, y)) < 128)

    original = back((x + 0.5, y + 0.5))
    assert original == pytest.approx((300.5, 50.5), abs=1.0)
