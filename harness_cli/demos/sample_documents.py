"""Documents to extract from, made on the spot: a registration form, an invoice with a table, a letter.

Each is laid out once (text at positions in points on a US Letter page) and rendered as a PDF with a text
layer (fpdf2, a test dependency) or as a PNG / JPEG scan (Pillow), so a test knows every word it should get.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PAGE_POINTS = (612.0, 792.0)
FONT_POINTS = 12.0
LINE_POINTS = 24.0


@dataclass(frozen=True)
class SampleDocument:
    """A one-page document: text placed at (x, row) in points, and what extraction should find in it."""

    name: str
    placed: tuple[tuple[float, int, str], ...]  # (left in points, row number, text)
    fields: tuple[tuple[str, str], ...] = ()  # label (without colon) -> value
    table: tuple[tuple[str, ...], ...] = ()  # the table's cells, row by row
    rulings: tuple[tuple[float, float, float, float], ...] = ()  # lines (x1, y1, x2, y2) in points

    @property
    def words(self) -> list[str]:
        """Every word on the page, top to bottom."""
        ordered = sorted(self.placed, key=lambda item: (item[1], item[0]))
        return [word for _, _, text in ordered for word in text.split()]

    @property
    def lines(self) -> list[str]:
        """The text of each placed item, top to bottom."""
        return [text for _, _, text in sorted(self.placed, key=lambda item: (item[1], item[0]))]

    def pdf(self) -> bytes:
        """The document as a one-page PDF with a text layer (needs fpdf2)."""
        from fpdf import FPDF

        pdf = FPDF(unit="pt", format="letter")
        pdf.set_auto_page_break(False)
        pdf.add_page()
        pdf.set_font("Helvetica", size=FONT_POINTS)
        for left, row, text in self.placed:
            pdf.text(left, _baseline(row), text)
        pdf.set_draw_color(128)
        for x1, y1, x2, y2 in self.rulings:
            pdf.line(x1, y1, x2, y2)
        return bytes(pdf.output())

    def photo(self, degrees: float = 1.5, blur: float = 0.8, quality: int = 60) -> bytes:
        """The document as a phone photo: a little turned, soft and JPEG-compressed."""
        image = Image.open(io.BytesIO(self.image(dpi=150)))
        image = image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
        image = image.filter(ImageFilter.GaussianBlur(blur))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality)
        return out.getvalue()

    def image(self, format: str = "PNG", dpi: int = 200) -> bytes:
        """The document as a clean scan at `dpi` (PNG or JPEG)."""
        scale = dpi / 72
        width, height = (round(side * scale) for side in PAGE_POINTS)
        image = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(image)
        font = ImageFont.load_default(size=round(FONT_POINTS * scale))
        for left, row, text in self.placed:
            draw.text((left * scale, _baseline(row) * scale), text, fill="black", font=font, anchor="ls")
        for x1, y1, x2, y2 in self.rulings:
            draw.line([(x1 * scale, y1 * scale), (x2 * scale, y2 * scale)], fill=(128, 128, 128), width=1)
        out = io.BytesIO()
        image.save(out, format=format, **({"quality": 95} if format == "JPEG" else {}))
        return out.getvalue()


def _baseline(row: int) -> float:
    return 72.0 + row * LINE_POINTS


def _rows(lines: list[str], first_row: int = 0, left: float = 72.0) -> list[tuple[float, int, str]]:
    return [(left, first_row + i, line) for i, line in enumerate(lines) if line]


FORM = SampleDocument(
    "registration-form",
    placed=tuple(
        _rows(
            [
                "Registration Form",
                "",
                "Name: Jane Doe",
                "Email: jane.doe@example.com",
                "Date: 2025-03-14",
                "Phone: 555-0142",
            ]
        )
    ),
    fields=(("Name", "Jane Doe"), ("Email", "jane.doe@example.com"), ("Date", "2025-03-14"), ("Phone", "555-0142")),
)

_INVOICE_COLUMNS = (72.0, 260.0, 360.0, 470.0)
_INVOICE_TABLE = (
    ("Item", "Qty", "Price", "Amount"),
    ("Widget", "4", "2.50", "10.00"),
    ("Gadget", "2", "12.00", "24.00"),
    ("Sprocket", "10", "0.75", "7.50"),
    ("Bracket", "3", "5.25", "15.75"),
)
INVOICE = SampleDocument(
    "invoice",
    placed=(
        *_rows(["INVOICE 2025-0042", "Bill to: Acme Corporation", ""]),
        *((_INVOICE_COLUMNS[c], 4 + r, text) for r, row in enumerate(_INVOICE_TABLE) for c, text in enumerate(row)),
        *_rows(["Thank you for your business."], first_row=11),
    ),
    fields=(("Bill to", "Acme Corporation"),),
    table=_INVOICE_TABLE,
)

LETTER = SampleDocument(
    "letter",
    placed=tuple(
        _rows(
            [
                "Dear Ms Taylor,",
                "",
                "Thank you for your letter of last week about the new office.",
                "We are glad to confirm that the lease begins on the first of June.",
                "The keys will be ready at the front desk from nine in the morning.",
                "Please bring a photo identity document and the signed agreement.",
                "Our team will walk you through the building and its safety rules.",
                "",
                "Kind regards,",
                "Robert Brown",
                "Facilities Manager",
            ]
        )
    ),
)

_SHEET_COLUMNS = (72.0, 200.0, 290.0, 380.0, 470.0)  # cell edges in points
_SHEET_TABLE = (
    ("Region", "Q1", "Q2", "Total"),
    ("North", "120", "135", "255"),
    ("South", "98", "101", "199"),
    ("East", "143", "150", "293"),
    ("West", "87", "92", "179"),
)


def _grid(columns: tuple[float, ...], first_row: int, rows: int) -> tuple[tuple[float, float, float, float], ...]:
    """A spreadsheet's cell borders around `rows` rows starting at `first_row`."""
    tops = [_baseline(first_row + r) - LINE_POINTS * 0.7 for r in range(rows + 1)]
    horizontal = tuple((columns[0], y, columns[-1], y) for y in tops)
    vertical = tuple((x, tops[0], x, tops[-1]) for x in columns)
    return horizontal + vertical


SPREADSHEET = SampleDocument(
    "spreadsheet",
    placed=(
        *_rows(["Quarterly sales by region"]),
        *((_SHEET_COLUMNS[c] + 6, 2 + r, text) for r, row in enumerate(_SHEET_TABLE) for c, text in enumerate(row)),
    ),
    table=_SHEET_TABLE,
    rulings=_grid(_SHEET_COLUMNS, 2, len(_SHEET_TABLE)),
)

SAMPLES = (FORM, INVOICE, LETTER, SPREADSHEET)
