"""The SEPA payment QR code (EPC069-12) of an invoice to pay by transfer: what it says is
frozen in the issued document with the rest (and hashed), the PDF prints exactly that code
beside the transfer details, and a document issued before keeps its JSON, its hash and its
page."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdf
import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf.generic import ContentStream

from clausier.invoicing import domain, facturx
from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.print_data import print_data
from clausier.invoicing.printing import render_invoice_pdf, render_translation_pdf
from tests import pdfa_checks as checks
from tests.invoicing import documents
from tests.invoicing.test_domain import agency_facts, paas_facts, source
from tests.invoicing.test_printing import flat, text_of

IBAN = "FR7630006000011234567890189"


def fields(payload: str) -> list[str]:
    """The payload's lines, the trailing empty ones (left out by the standard) put back."""
    lines = payload.split("\n")
    return lines + [""] * (12 - len(lines))


# --- what the code says -------------------------------------------------------------------------


def test_an_invoice_to_pay_by_transfer_freezes_the_text_of_its_code():
    # Seed 002: 2 400,00 + 2,5 × 350,00 + 3 × 45,333 (136,00) = 3 411,00 € under 293 B.
    doc = domain.prepare(agency_facts()).document(number="F2026-000001")
    assert doc.payment_reference == "F2026-000001 / devis D2026-000001"
    assert doc.transfer_qr == "\n".join(
        [
            "BCD",
            "002",
            "1",  # UTF-8
            "SCT",
            "AGRIFRPPXXX",
            "NEO7 STUDIO WEB",
            IBAN,
            "EUR3411.00",
            "",  # no purpose
            "",  # no structured reference: the reference is the remittance text
            "F2026-000001 / devis D2026-000001",
        ]
    )
    # The reference the code carries is the one the page asks for, in words.
    assert domain.remittance_text(doc) == doc.payment_reference


def test_the_code_leaves_out_the_bic_when_the_seller_has_none():
    doc = domain.prepare(agency_facts(bic="")).document(number="F2026-000001")
    assert fields(doc.transfer_qr)[4] == ""
    assert fields(doc.transfer_qr)[6] == IBAN


@pytest.mark.parametrize(
    ("why", "facts"),
    [
        ("no IBAN", agency_facts(iban="", bic="")),
        ("paid online before the invoice", paas_facts(iban=IBAN)),
        (
            "terms taking cheques only",
            agency_facts(
                payment_methods=domain.PaymentMethods(
                    methods=("cheque",), source=source("payment.methods", "art. 5")
                )
            ),
        ),
    ],
)
def test_nothing_to_pay_by_transfer_freezes_no_code(why, facts):
    doc = domain.prepare(facts).document(number="F2026-000001")
    assert doc.transfer_qr == "", why
    assert "transfer_qr" not in doc.to_dict()


def test_terms_taking_transfers_give_the_code():
    methods = domain.PaymentMethods(
        methods=("cheque", "transfer"), source=source("payment.methods", "art. 5")
    )
    doc = domain.prepare(agency_facts(payment_methods=methods)).document(number="F2026-000001")
    assert fields(doc.transfer_qr)[7] == "EUR3411.00"


def test_a_credit_note_freezes_no_code():
    invoice = domain.prepare(agency_facts()).document(number="F2026-000001")
    facts = agency_facts(
        kind="credit_note",
        corrected=domain.Corrected(number=invoice.number, issue_date=invoice.issue_date),
        lines=(domain.LineFacts("Remboursement formation", Decimal("1"), "flat", Decimal("136")),),
        issue_date=date(2026, 6, 1),
    )
    assert domain.prepare(facts).document(number="AV2026-000001").transfer_qr == ""


def test_a_final_invoice_asks_for_what_the_deposits_left():
    doc = documents.final()
    payload = domain.transfer_payload(doc)
    assert doc.amount_due < doc.total_ttc
    assert fields(payload)[7] == f"EUR{doc.amount_due:.2f}"


def test_a_name_too_long_for_the_standard_is_cut_and_a_reference_too_long_gives_the_number():
    doc = replace(
        documents.standard(),
        seller=replace(documents.standard().seller, name="Société " + "très " * 20 + "longue"),
        payment_reference="F2026-000123 / " + "devis " * 30,
    )
    name, reference = (
        fields(domain.transfer_payload(doc))[5],
        fields(domain.transfer_payload(doc))[10],
    )
    assert len(name) == 70
    assert name.startswith("Société très")
    assert reference == "F2026-000123"


def test_an_amount_the_standard_refuses_freezes_no_code():
    doc = replace(documents.standard(), amount_due=Decimal("1000000000.00"))
    assert domain.transfer_payload(doc) == ""


@settings(max_examples=60, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2),
    sequence=st.integers(min_value=1, max_value=999_999),
)
def test_the_code_asks_for_the_amount_due_to_the_cent_with_the_number(amount, sequence):
    number = f"F2026-{sequence:06d}"
    doc = replace(documents.standard(), number=number, payment_reference=number, amount_due=amount)
    payload = fields(domain.transfer_payload(doc))
    assert payload[7] == f"EUR{amount:.2f}"
    assert payload[10] == number
    assert len("\n".join(payload).rstrip("\n").encode()) <= 331


# --- frozen, hashed, and written with the number last ------------------------------------------


def test_the_number_written_last_gives_the_code_the_numbered_document_would_have():
    prepared = domain.prepare(agency_facts())
    slot = domain.number_slot()
    slotted = prepared.document(number=slot)
    assert slot in slotted.transfer_qr
    numbered = domain.Unnumbered.of(
        slotted, slot=slot, xml=facturx.check_document(slotted)
    ).numbered("F2026-000042")
    expected = prepared.document(number="F2026-000042")
    assert numbered.snapshot == expected.to_dict()
    assert numbered.snapshot["transfer_qr"].endswith("\nF2026-000042 / devis D2026-000001")
    assert numbered.content_hash == domain.content_hash(expected.to_dict())


def test_the_code_is_part_of_the_hashed_snapshot_and_reads_back():
    doc = domain.prepare(agency_facts()).document(number="F2026-000001")
    again = InvoiceDocument.from_dict(doc.to_dict())
    assert again.transfer_qr == doc.transfer_qr
    assert domain.content_hash(again.to_dict()) == domain.content_hash(doc.to_dict())
    tampered = dict(doc.to_dict(), transfer_qr=doc.transfer_qr.replace("EUR3411.00", "EUR1.00"))
    assert domain.content_hash(tampered) != domain.content_hash(doc.to_dict())


def test_a_document_issued_before_keeps_its_json_and_its_hash():
    issued_before = documents.standard().to_dict()  # no code: as documents were issued
    assert "transfer_qr" not in issued_before
    doc = InvoiceDocument.from_dict(issued_before)
    assert doc.transfer_qr == ""
    assert doc.to_dict() == issued_before
    assert domain.content_hash(doc.to_dict()) == domain.content_hash(issued_before)


# --- the printed code ---------------------------------------------------------------------------


def printed_modules(pdf: bytes) -> set[tuple[int, int]] | None:
    """The dark modules of the QR code printed on the first page, read from the PDF's own
    drawing operators: the one path made of many rectangles, each rectangle a run of modules,
    (column, row) counted from the code's first module inside its quiet zone. None when the
    page has no such path."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    rects: list[tuple[float, float, float, float]] = []
    points: list[tuple[float, float]] = []
    best: list[tuple[float, float, float, float]] = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"m", b"l"):
            points.append((float(operands[0]), float(operands[1])))
        elif operator == b"h" and len(points) == 4:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            rects.append((min(xs), min(ys), max(xs), max(ys)))
            points = []
        elif operator == b"f":
            if len(rects) > len(best):
                best = rects
            rects, points = [], []
        elif operator == b"h":
            points = []
    if len(best) < 50:
        return None
    module = min(y1 - y0 for _x0, y0, _x1, y1 in best)
    dark = set()
    for x0, y0, x1, y1 in best:
        assert round((y1 - y0) / module, 3) == 1  # one row of modules a rectangle
        row = round(y0 / module) - domain.QUIET_ZONE
        start = round(x0 / module) - domain.QUIET_ZONE
        dark.update(
            (column, row) for column in range(start, round(x1 / module) - domain.QUIET_ZONE)
        )
    return dark


def modules_of(payload: str) -> set[tuple[int, int]]:
    """The dark modules of the EPC069-12 code of ``payload``, as the standard draws it: byte
    mode, level M (segno, independently of the page)."""
    qr = segno.make_qr(payload.encode("utf-8"), error="M", boost_error=False)
    assert qr.error == "M"
    return {(x, y) for y, row in enumerate(qr.matrix) for x, bit in enumerate(row) if bit & 1}


@pytest.fixture(scope="module")
def with_code() -> tuple[InvoiceDocument, bytes]:
    doc = documents.standard()
    doc = replace(doc, transfer_qr=domain.transfer_payload(doc))
    return doc, render_invoice_pdf(doc)


def test_the_pdf_prints_the_code_of_the_frozen_text(with_code):
    doc, pdf = with_code
    assert doc.transfer_qr == (
        "BCD\n002\n1\nSCT\nAGRIFRPP882\nClever Cloud\nFR7630006000011234567890189\n"
        "EUR1595.00\n\n\nF2026-000123"
    )
    assert printed_modules(pdf) == modules_of(doc.transfer_qr)


def test_the_pdf_says_how_to_use_the_code_and_the_same_reference_in_words(with_code):
    _doc, pdf = with_code
    text = flat(text_of(pdf))
    assert "Payer par virement : scannez avec l'application de votre banque" in text
    assert "IBAN FR76 3000 6000 0112 3456 7890 189 · BIC AGRIFRPP882" in text
    assert "référence à indiquer : F2026-000123" in text
    assert "Net à payer 1 595,00 €" in text


def test_the_pdf_with_its_code_is_still_a_pdf_a_3b_factur_x(with_code):
    doc, pdf = with_code
    assert checks.check_pdfa3b(pdf, facturx.check_document(doc)) == []


def test_a_document_printed_again_is_the_same_file(with_code):
    doc, pdf = with_code
    assert render_invoice_pdf(InvoiceDocument.from_dict(doc.to_dict())) == pdf


def test_a_courtesy_translation_prints_the_same_code():
    doc = documents.standard()
    doc = replace(doc, transfer_qr=domain.transfer_payload(doc))
    pdf = render_translation_pdf(doc, language="en")
    assert printed_modules(pdf) == modules_of(doc.transfer_qr)
    assert "Pay by transfer: scan with your banking app" in flat(text_of(pdf))


@pytest.mark.parametrize("kind", ["standard", "credit_note"])
def test_a_document_without_a_code_prints_none(kind):
    doc = documents.EVERY_KIND[kind]()  # issued before, or a credit note
    assert doc.transfer_qr == ""
    assert print_data(doc)["transfer"] is None
    assert printed_modules(render_invoice_pdf(doc)) is None
