"""The SEPA payment QR code (EPC069-12 version 002) of an invoice."""

from dataclasses import replace
from decimal import Decimal

import pytest
import segno.helpers
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.epc_qr import TransferRequest, epc_payload, epc_qr, epc_svg
from clausier.rules.errors import RuleError

SELLER = TransferRequest(
    name="Atelier Clausier SAS",
    iban="FR76 3000 6000 0112 3456 7890 189",
    bic="AGRIFRPP",
    amount=Decimal("1234.56"),
    reference="RF15 F202 6000 043",
)


def test_the_payload_has_the_fields_in_the_standards_order():
    assert epc_payload(SELLER).split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "AGRIFRPP",
        "Atelier Clausier SAS",
        "FR7630006000011234567890189",
        "EUR1234.56",
        "",
        "RF15F2026000043",
    ]


def test_free_text_goes_in_the_unstructured_field_and_the_bic_may_be_left_out():
    request = TransferRequest(
        name="Clémence Durand EI", iban="FR7630006000011234567890189", text="Facture F2026-000042"
    )
    assert epc_payload(request).split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "",
        "Clémence Durand EI",
        "FR7630006000011234567890189",
        "",
        "",
        "",
        "Facture F2026-000042",
    ]


def test_the_code_is_the_one_the_qr_library_draws_for_the_same_transfer():
    ours = epc_qr(SELLER)
    theirs = segno.helpers.make_epc_qr(
        name="Atelier Clausier SAS",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        amount=Decimal("1234.56"),
        reference="RF15F2026000043",
        encoding=1,
    )
    assert ours.matrix == theirs.matrix
    assert ours.error == "M"
    assert ours.version <= 13


def test_the_svg_is_a_drawing_to_embed():
    svg = epc_svg(SELLER, title="Payer par virement")
    assert svg.startswith("<svg")
    assert "<title>Payer par virement</title>" in svg


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "obligatoire"),
        ({"name": "N" * 71}, "name", "71 caractères, 70 au plus"),
        ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban", "invalide"),
        ({"bic": "AGRI"}, "bic", "invalide"),
        ({"amount": Decimal("0")}, "amount", "entre 0.01 et 999999999.99"),
        ({"amount": Decimal("1000000000.00")}, "amount", "entre"),
        ({"amount": Decimal("12.345")}, "amount", "au centime près"),
        ({"amount": 12.5}, "amount", "Decimal"),
        ({"text": "Facture"}, "text", "pas les deux"),
        ({"reference": "RF16F2026000043"}, "reference", "contrôle"),
        ({"reference": "", "text": "x" * 141}, "text", "141 caractères, 140 au plus"),
        ({"purpose": "GOODS"}, "purpose", "4 caractères"),
        ({"information": "i" * 71}, "information", "70 au plus"),
        ({"reference": "", "text": "Facture\nF2026-000042"}, "text", "retour à la ligne"),
    ],
)
def test_what_the_standard_refuses_is_refused_naming_the_field(changes, field, message):
    request = replace(SELLER, **changes)
    with pytest.raises(RuleError, match=message) as caught:
        epc_payload(request)
    assert caught.value.argument == field
    # The identifiers cite their own standard, the rest the EPC's.
    standard = {"iban": "ISO 13616", "bic": "ISO 9362", "reference": "ISO 11649"}
    assert standard.get(field, "EPC069-12") in str(caught.value)


def test_a_reference_that_is_no_rf_reference_is_passed_as_given():
    request = TransferRequest(name="A", iban="FR7630006000011234567890189", reference="F2026000043")
    assert epc_payload(request).endswith("\nF2026000043")


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2),
    st.text(
        alphabet=st.characters(categories=["L", "N", "Zs"], exclude_characters="\n\r"),
        min_size=1,
        max_size=70,
    ).filter(str.strip),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"]), max_size=140),
)
def test_any_transfer_within_the_limits_fits_in_a_code(amount, name, text):
    request = TransferRequest(
        name=name, iban="FR7630006000011234567890189", amount=amount, text=text.strip()
    )
    try:
        payload = epc_payload(request)
    except RuleError as error:
        # Only the total size can still be refused: multi-byte letters use several bytes.
        assert error.argument == "payload"  # noqa: PT017
        return
    assert len(payload.encode()) <= 331
    assert payload.split("\n")[7] == f"EUR{amount:.2f}"
    assert epc_qr(request).version <= 13
