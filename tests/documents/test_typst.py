"""The Typst printer's own promises: French typography of the data, logos it can print, a
timestamp that makes a reprint the same file, and an XMP update that refuses a file it does
not know rather than write a wrong one."""

import io
from datetime import datetime

import pikepdf
import pytest
from PIL import Image

from clausier.documents.pdf_update import PdfLayoutError, extend_xmp
from clausier.documents.typst import (
    NNBSP,
    ZWSP,
    compile_pdf,
    french_text,
    line_columns,
    logo_data,
    typeset,
)


def test_french_punctuation_gets_a_narrow_no_break_space():
    assert french_text("Échéance : 28/06 ; oui ! vraiment ? « pirate »") == (
        f"Échéance{NNBSP}: 28/06{NNBSP}; oui{NNBSP}! vraiment{NNBSP}? «{NNBSP}pirate{NNBSP}»"
    )
    assert french_text("«pirate»") == f"«{NNBSP}pirate{NNBSP}»"


def test_addresses_times_and_amounts_are_left_as_they_are():
    assert french_text("https://x.fr:8080/a?b=1 à 10:30") == "https://x.fr:8080/a?b=1 à 10:30"
    assert french_text("1\u202f234,56\u00a0€") == "1\u202f234,56\u00a0€"


def test_a_word_too_long_for_its_cell_gets_invisible_break_points():
    word = "Konstantinopolitanischerdudelsackpfeifenmachergesellen"
    broken = french_text(word)
    assert ZWSP in broken
    assert broken.replace(ZWSP, "") == word
    address = french_text("facturation.comptabilite@boulangerie-martin-nantes.fr")
    assert f"@{ZWSP}" in address
    assert french_text("un mot court") == "un mot court"


def test_every_string_of_the_data_is_typeset_and_nothing_else():
    data = {"a": "Total :", "b": ["Note ; x", {"c": "ok !"}], "n": 3, "none": None, "t": True}

    assert typeset(data) == {
        "a": f"Total{NNBSP}:",
        "b": [f"Note{NNBSP}; x", {"c": f"ok{NNBSP}!"}],
        "n": 3,
        "none": None,
        "t": True,
    }


def test_a_logo_must_be_a_whole_image_typst_can_print():
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (200, 30, 30)).save(out, "PNG")
    png = out.getvalue()
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'

    assert logo_data(png) == {"logo": list(png)}
    assert logo_data(svg) == {"logo": list(svg)}
    for broken in (b"not an image", b"\x89PNG\r\n\x1a\n", png[:40], b"<svg><g></svg>", b"<?xml?>"):
        with pytest.raises(ValueError, match="logo"):
            logo_data(broken)


def test_the_print_time_must_say_its_time_zone():
    with pytest.raises(ValueError, match="aware"):
        compile_pdf(
            "invoicing/templates/invoicing/print/invoice.typ",
            {},
            metadata={"title": "", "author": "", "subject": ""},
            timestamp=datetime(2026, 5, 29, 8, 30),
        )


def test_the_xmp_update_refuses_a_pdf_typst_did_not_write():
    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)

    with pytest.raises(PdfLayoutError):
        extend_xmp(out.getvalue(), schema=b"", description=b"")
    with pytest.raises(PdfLayoutError, match="startxref"):
        extend_xmp(b"%PDF-1.7\n", schema=b"", description=b"")


def test_the_lines_table_headings_are_shared_and_follow_the_language():
    from django.utils import translation

    assert line_columns() == {
        "name": "Désignation",
        "quantity": "Qté",
        "unit": "Unité",
        "unit_price": "PU HT",
        "rate": "TVA",
        "total": "Montant HT",
    }
    with translation.override("en"):
        english = line_columns()
    assert english["quantity"] == "Qty"
    assert english["unit_price"] == "Unit price excl. VAT"
    assert english["rate"] == "VAT"
