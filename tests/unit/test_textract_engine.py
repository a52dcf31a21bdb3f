"""The offline Textract engine: Textract's block structure, its formats, and its errors.

Blocks: https://docs.aws.amazon.com/textract/latest/dg/how-it-works-document-layout.html
Limits: https://docs.aws.amazon.com/textract/latest/dg/limits-document.html
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from adapters.textract import textract_adapter
from adapters.textract.errors import (
    BadDocument,
    DocumentTooLarge,
    EngineUnavailable,
    InvalidParameter,
    UnsupportedDocument,
)
from adapters.textract.local import LocalTextract, ocr
from harness_cli.demos.sample_documents import FORM, INVOICE, LETTER, SPREADSHEET
from tests.textract_helpers import assert_well_formed, by_type, form_pairs, related, require_ocr, table_grids

engine = LocalTextract()


def test_the_factory_gives_the_local_engine_by_default_and_refuses_unknown_names():
    assert textract_adapter({}).name == "local"
    assert textract_adapter({"HARNESS_TEXTRACT": "local"}).name == "local"
    with pytest.raises(ValueError, match="HARNESS_TEXTRACT='cloud' is not one of"):
        textract_adapter({"HARNESS_TEXTRACT": "cloud"})


def test_a_text_pdf_gives_page_line_and_word_blocks_linked_as_textract_links_them():
    response = engine.detect_document_text(LETTER.pdf())

    assert response["DocumentMetadata"] == {"Pages": 1}
    assert_well_formed(response)
    (page,) = by_type(response, "PAGE")
    lines = by_type(response, "LINE")
    assert [line["Text"] for line in lines] == LETTER.lines
    assert [w["Text"] for w in by_type(response, "WORD")] == LETTER.words
    assert related(page, "CHILD") == [line["Id"] for line in lines]
    word = by_type(response, "WORD")[0]
    assert word["TextType"] == "PRINTED" and 0 < word["Confidence"] <= 100
    box = word["Geometry"]["BoundingBox"]
    assert 0.1 < box["Left"] < 0.15 and 0.05 < box["Top"] < 0.12  # one inch from the left, near the top
    polygon = word["Geometry"]["Polygon"]
    assert polygon[0] == {"X": box["Left"], "Y": box["Top"]}
    assert polygon[2] == {"X": box["Left"] + box["Width"], "Y": box["Top"] + box["Height"]}


def test_block_ids_are_uuids_and_differ_between_calls():
    first = {b["Id"] for b in engine.detect_document_text(FORM.pdf())["Blocks"]}
    second = {b["Id"] for b in engine.detect_document_text(FORM.pdf())["Blocks"]}
    assert not first & second
    assert all(len(i) == 36 and i.count("-") == 4 for i in first)


def test_plain_text_is_read_as_a_monospaced_page():
    document = b"Name: Ada Lovelace\nEmail: ada@example.com\n\nItem      Qty\nPen       2\nInk       1\n"

    response = engine.analyze_document(document, ["FORMS", "TABLES"])

    assert_well_formed(response)
    assert form_pairs(response) == {"Name": "Ada Lovelace", "Email": "ada@example.com"}
    assert table_grids(response) == [[["Item", "Qty"], ["Pen", "2"], ["Ink", "1"]]]


def test_form_fields_on_a_pdf_pair_each_label_with_its_value():
    response = engine.analyze_document(FORM.pdf(), ["FORMS"])

    assert_well_formed(response)
    assert form_pairs(response) == dict(FORM.fields)
    keys = [b for b in by_type(response, "KEY_VALUE_SET") if b["EntityTypes"] == ["KEY"]]
    values = [b for b in by_type(response, "KEY_VALUE_SET") if b["EntityTypes"] == ["VALUE"]]
    assert len(keys) == len(values) == len(FORM.fields)
    assert not by_type(response, "TABLE")


def test_an_empty_field_has_a_value_block_without_words():
    response = engine.analyze_document(b"Name: Bob\nSignature:\n", ["FORMS"])

    assert form_pairs(response) == {"Name": "Bob", "Signature": ""}
    empty = [b for b in by_type(response, "KEY_VALUE_SET") if b["EntityTypes"] == ["VALUE"]][1]
    assert "Relationships" not in empty and "Geometry" in empty


def test_a_label_set_apart_from_its_value_still_pairs_with_it():
    response = engine.analyze_document(b"Policy number:          PN-4471\n", ["FORMS"])
    assert form_pairs(response) == {"Policy number": "PN-4471"}


def test_an_invoice_table_keeps_rows_and_columns_and_marks_the_header():
    response = engine.analyze_document(INVOICE.pdf(), ["TABLES"])

    assert_well_formed(response)
    assert table_grids(response) == [[list(row) for row in INVOICE.table]]
    (table,) = by_type(response, "TABLE")
    assert table["EntityTypes"] == ["STRUCTURED_TABLE"]
    cells = by_type(response, "CELL")
    assert len(cells) == len(INVOICE.table) * len(INVOICE.table[0])
    assert all(c["RowSpan"] == 1 and c["ColumnSpan"] == 1 for c in cells)
    assert [c.get("EntityTypes") for c in cells if c["RowIndex"] == 1] == [["COLUMN_HEADER"]] * 4
    assert not by_type(response, "KEY_VALUE_SET")  # FORMS not asked for


def test_queries_are_answered_from_the_form_and_unanswerable_ones_have_no_result():
    queries = [
        {"Text": "What is the email address?", "Alias": "email"},
        {"Text": "What is the date?"},
        {"Text": "Which blood type?"},
    ]
    response = engine.analyze_document(FORM.pdf(), ["QUERIES"], queries)

    assert_well_formed(response)
    index = {b["Id"]: b for b in response["Blocks"]}
    answers = {}
    for query in by_type(response, "QUERY"):
        ids = related(query, "ANSWER")
        answers[query["Query"]["Text"]] = index[ids[0]]["Text"] if ids else None
    assert answers == {
        "What is the email address?": "jane.doe@example.com",
        "What is the date?": "2025-03-14",
        "Which blood type?": None,
    }
    assert by_type(response, "QUERY")[0]["Query"] == {"Text": "What is the email address?", "Alias": "email"}
    assert all(r["BlockType"] == "QUERY_RESULT" and r["Confidence"] > 0 for r in by_type(response, "QUERY_RESULT"))


def test_a_query_only_applies_to_the_pages_it_names():
    document = b"Total: 10\n\fTotal: 20\n"
    response = engine.analyze_document(
        document, ["QUERIES"], [{"Text": "total", "Pages": ["2"]}, {"Text": "total?"}], asynchronous=True
    )
    results = [(q["Page"], q["Query"]["Text"]) for q in by_type(response, "QUERY")]
    assert sorted(results) == [(1, "total?"), (2, "total")]
    assert sorted(r["Text"] for r in by_type(response, "QUERY_RESULT")) == ["10", "20"]
    with pytest.raises(InvalidParameter, match="page 'x'"):
        engine.analyze_document(document, ["QUERIES"], [{"Text": "total", "Pages": ["x"]}], asynchronous=True)


def test_features_the_engine_cannot_analyse_are_refused_by_name():
    with pytest.raises(InvalidParameter, match=r"does not analyse \['SIGNATURES'\]"):
        engine.analyze_document(FORM.pdf(), ["FORMS", "SIGNATURES"])
    with pytest.raises(InvalidParameter, match="FeatureTypes"):
        engine.analyze_document(FORM.pdf(), ["HANDWRITING"])


@pytest.mark.parametrize(
    ("document", "match"),
    [
        (b"PK\x03\x04 a zip archive \x00\x01", "not PDF, PNG, JPEG, TIFF or UTF-8 text"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00", "not PDF, PNG, JPEG, TIFF or UTF-8 text"),
        (b"", "empty"),
    ],
)
def test_unsupported_formats_are_refused_as_textract_refuses_them(document, match):
    with pytest.raises(UnsupportedDocument, match=match) as caught:
        engine.detect_document_text(document)
    assert caught.value.code == "UnsupportedDocumentException"


def test_a_corrupt_pdf_is_a_bad_document():
    with pytest.raises(BadDocument, match="PDF document: it is corrupt") as caught:
        engine.detect_document_text(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage")
    assert caught.value.code == "BadDocumentException"


def test_a_truncated_png_is_a_bad_document():
    require_ocr()
    with pytest.raises(BadDocument, match="PNG document"):
        engine.detect_document_text(FORM.image()[:2000])


def test_a_multi_page_pdf_needs_the_asynchronous_operations():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in ("first page", "second page"):
        pdf.add_page()
        pdf.text(20, 20, text)
    document = bytes(pdf.output())

    with pytest.raises(UnsupportedDocument, match="2 pages and synchronous operations take one page"):
        engine.detect_document_text(document)
    response = engine.detect_document_text(document, asynchronous=True)
    assert response["DocumentMetadata"] == {"Pages": 2}
    assert [(b["Page"], b["Text"]) for b in by_type(response, "LINE")] == [(1, "first page"), (2, "second page")]


def test_documents_over_ten_megabytes_are_too_large_for_synchronous_calls():
    document = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(DocumentTooLarge, match="at most 10 MB") as caught:
        engine.detect_document_text(document)
    assert caught.value.code == "DocumentTooLargeException"


def test_images_over_ten_thousand_pixels_on_a_side_are_too_large():
    require_ocr()
    out = io.BytesIO()
    Image.new("1", (10_001, 20), 1).save(out, format="PNG")
    with pytest.raises(DocumentTooLarge, match="10001x20 pixels"):
        engine.detect_document_text(out.getvalue())


def test_without_tesseract_an_image_is_a_clear_error_not_an_empty_result(monkeypatch):
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    with pytest.raises(EngineUnavailable, match="apt-get install -y tesseract-ocr"):
        engine.detect_document_text(FORM.image())


def test_a_scanned_pdf_without_a_text_layer_is_read_by_ocr():
    require_ocr()
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.image(io.BytesIO(FORM.image(dpi=150)), x=0, y=0, w=612, h=792)
    response = engine.analyze_document(bytes(pdf.output()), ["FORMS"])

    assert_well_formed(response)
    assert form_pairs(response) == dict(FORM.fields)


def test_a_turned_photo_is_straightened_and_its_polygons_follow_the_text():
    require_ocr()
    response = engine.analyze_document(FORM.photo(degrees=2.5), ["FORMS"])

    assert_well_formed(response)
    assert form_pairs(response) == dict(FORM.fields)
    title = next(b for b in by_type(response, "LINE") if b["Text"] == "Registration Form")
    top_left, top_right = title["Geometry"]["Polygon"][:2]
    # Turned counter-clockwise, the text's top edge rises to the right (Y grows downwards).
    assert top_right["Y"] < top_left["Y"]


def test_a_spreadsheet_screenshot_keeps_its_cells_despite_the_grid_lines():
    require_ocr()
    response = engine.analyze_document(SPREADSHEET.image(dpi=96), ["TABLES"])

    assert table_grids(response) == [[list(row) for row in SPREADSHEET.table]]
