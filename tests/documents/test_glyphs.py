"""Text the print fonts cannot show is refused where it is typed (client, seller, invoice
lines, catalog), with a message naming the field and the characters: never a PDF that fails
to print after the document was issued, never an empty glyph."""

from __future__ import annotations

import unicodedata

import pytest
import typst
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from clausier.customers.models import Client
from clausier.documents.glyphs import BIDI_CONTROLS, describe, unprintable, validate_printable
from clausier.documents.typst import FONT_DIRS
from clausier.invoicing.models import Invoice

# The print base's font list (documents/templates/documents/print/base.typ), PDF/A-3b as
# every document: Typst refuses a character none of the fonts has.
PROBE = (
    '#set text(font: ("Liberation Sans", "DejaVu Sans", "Droid Sans Fallback"))\n#sys.inputs.text\n'
)


@pytest.fixture(scope="module")
def typst_prints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probe")
    (folder / "probe.typ").write_text(PROBE)
    fonts = typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=False,
        font_paths=[str(path) for path in FONT_DIRS],
    )
    compiler = typst.Compiler(root=str(folder), font_paths=fonts)

    def prints(text: str) -> bool:
        try:
            compiler.compile(
                input=str(folder / "probe.typ"),
                format="pdf",
                sys_inputs={"text": text},
                pdf_standards="a-3b",
            )
        except typst.TypstError:
            return False
        return True

    return prints


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Boulangerie Martin — « Crème brûlée » 1 234,56 €", []),
        ("Tête de mort ☠, flèche →, ½, ™, Ω", []),  # DejaVu Sans
        ("中文 日本語 עברית العربية", []),  # Droid Sans Fallback, DejaVu Sans
        ("Espaces\u00a0fines\u202fet\u200bcésure\u00ad, retours\n\tà la ligne", []),
        ("한국어", ["한", "국", "어"]),  # Hangul: none of the fonts
        ("ไทย", ["ไ", "ท", "ย"]),  # Thai
        ("bell \x07 private \ue000", ["\x07", "\ue000"]),
    ],
)
def test_the_characters_no_print_font_has_are_named(text, missing):
    assert unprintable(text) == missing


@pytest.mark.parametrize(
    "text",
    ["Crème ☠ 中文 עברית", "한국어", "ไทย", "\ue000", "\x07", "a\u200db", "e\u0301", "a\u07a6"],
)
def test_the_check_agrees_with_the_printer(typst_prints, text):
    assert typst_prints(text) is (unprintable(text) == [])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    character=st.characters(
        min_codepoint=0x20, max_codepoint=0x2FFFF, exclude_categories=("Cs", "Zl", "Zp")
    )
)
def test_any_character_the_check_lets_through_prints_and_any_it_refuses_does_not(
    typst_prints, character
):
    prints = typst_prints(f"a{character}b")
    if not unprintable(character):
        assert prints
    elif (
        unicodedata.category(character) not in ("Cc", "Co")
        and character not in BIDI_CONTROLS
        and not default_ignorable(character)
    ):
        # Controls, private-use characters (a font's own, not portable), bidi controls and
        # the invisible fillers and selectors are refused whatever Typst does with them.
        assert not prints


# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): drawn as nothing.
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def default_ignorable(character: str) -> bool:
    return any(first <= ord(character) <= last for first, last in DEFAULT_IGNORABLE)


def test_the_message_names_each_character_and_its_code_point():
    with pytest.raises(ValidationError) as refused:
        validate_printable("Offre 한 spéciale \ue000")

    message = refused.value.messages[0]
    assert describe("한") in message
    assert "U+D55C" in message
    assert "U+E000" in message
    assert refused.value.code == "unprintable"


# --- refused where it is typed ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_client_named_with_a_character_no_font_has_is_422_and_nothing_written(api):
    response = api.post(
        "/clients",
        {
            "kind": "company",
            "name": "Boulangerie 한",
            "email": "factures@example.fr",
            "billing_line1": "1 quai de la Fosse",
            "billing_postal_code": "44000",
            "billing_city": "Nantes ไ",
        },
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"name", "billing_city"}
    assert "U+D55C" in errors["name"]
    assert not Client.objects.exists()


VAT = {"vat_rate": "0.20"}


@pytest.mark.django_db
def test_an_invoice_line_no_font_can_print_is_422_naming_the_line(api, seller):
    from tests.factories import make_client

    client = make_client(seller, kind="company", name="Boulangerie Martin", siren="552081317")

    response = api.post(
        "/invoices",
        {
            "client_id": client.pk,
            "lines": [
                {
                    "description": "Audit",
                    "quantity": "1",
                    "unit": "flat",
                    "unit_price": "100",
                    **VAT,
                },
                {
                    "description": "Menu 한식",
                    "quantity": "1",
                    "unit": "flat",
                    "unit_price": "9",
                    **VAT,
                },
            ],
        },
    )

    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == {"lines[1].description"}, response.json()
    assert not Invoice.objects.exists()


@pytest.mark.parametrize("character", sorted(BIDI_CONTROLS))
def test_a_bidirectional_control_is_refused_by_its_name(character):
    """Invisible, it would reorder what a client reads (an amount, an IBAN) on screen."""
    with pytest.raises(ValidationError) as refused:
        validate_printable(f"Facture{character} 1 234,56 €")
    assert refused.value.code == "control_character"
    assert f"U+{ord(character):04X} ({BIDI_CONTROLS[character]})" in refused.value.messages[0]


def test_a_line_break_is_refused_in_a_one_line_text_only():
    validate_printable("ligne 1\nligne 2\ttab")
    with pytest.raises(ValidationError, match=r"U\+000A"):
        validate_printable("ligne 1\nligne 2", multiline=False)


# --- the fonts read as the process starts ----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "reads"),
    [
        (["clausier", "runserver"], True),
        (["clausier", "db_worker"], True),
        (["clausier", "issue-invoices", "--seller", "x"], True),
        (["gunicorn", "clausier.wsgi"], True),
        (["clausier", "migrate"], False),
        (["clausier", "makemigrations", "--check"], False),
        (["clausier", "compilemessages"], False),
    ],
)
def test_the_fonts_are_read_in_the_background_as_a_process_starts(monkeypatch, argv, reads):
    """Not on the first form sent (it would wait for them), nor by a migration."""
    import sys
    import threading

    from django.apps import apps

    from clausier.documents import glyphs

    glyphs.read_codepoints.cache_clear()
    monkeypatch.setattr(sys, "argv", argv)
    apps.get_app_config("documents").ready()
    for thread in threading.enumerate():
        if thread.name == "clausier-fonts":
            thread.join(timeout=30)
    assert glyphs.read_codepoints.cache_info().currsize == (1 if reads else 0)
    assert ord("é") in glyphs.printable_codepoints()
