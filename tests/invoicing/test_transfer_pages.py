"""How to pay an invoice by transfer, on its portal and back-office pages: the beneficiary,
the IBAN and BIC grouped, the amount still due, the reference to quote, and the SEPA payment
QR code printed on the invoice (inline SVG: no script, no style), for what remains to pay on
the day; nothing for a paid invoice or a credit note."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
import segno
from django.db import connection
from django.urls import reverse
from django.utils import translation

from clausier.invoicing import delivery, domain
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice
from clausier.payments import services as payment_services
from clausier.sellers.models import Role
from clausier.sellers.services import upsert_seller
from tests.factories import make_client, make_contact, make_staff
from tests.factories.invoicing import accepted_order, deposit_invoice_of
from tests.factories.quotes import paris
from tests.invoicing.test_transfer_qr import modules_of, printed_modules

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille(agency):
    client = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    return make_contact(client, name="Camille Martin", role="Gérante")


@pytest.fixture
def deposit(agency, camille) -> Invoice:
    """The 30 % deposit invoice of the agency's website order (seed 002 art. 5): 1 023,30 €,
    F2026-000001, issued at acceptance on 22 May 2026."""
    return deposit_invoice_of(accepted_order(agency, camille.client))


def box(response) -> str:
    """The transfer box of a page ("" when it has none), as HTML."""
    html = response.content.decode()
    found = re.search(
        r'<section class="card invoice-payment invoice-transfer".*?</section>', html, re.S
    )
    return found.group(0) if found else ""


def text(html: str) -> str:
    plain = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", plain.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def svg_path(html: str) -> str:
    [path] = re.findall(r'<path[^>]* d="([^"]+)"', html)
    return path


def expected_path(payload: str) -> str:
    """The path of the code of ``payload`` drawn independently (segno, level M, byte mode)."""
    out = io.BytesIO()
    segno.make_qr(payload.encode(), error="m", boost_error=False).save(
        out, kind="svg", scale=4, border=4, xmldecl=False
    )
    return svg_path(out.getvalue().decode())


def portal_page(client, camille, invoice, language="fr"):
    client.force_login(camille.user)
    with translation.override(language):
        return client.get(reverse("portal:invoice", args=[invoice.pk]))


def test_the_portal_shows_how_to_pay_with_the_code_printed_on_the_invoice(client, camille, deposit):
    doc = deposit.document
    assert doc.transfer_qr.endswith("\nEUR1023.30\n\n\nF2026-000001 / devis D2026-000001")
    response = portal_page(client, camille, deposit)
    html = box(response)
    assert html
    shown = text(html)
    assert "Régler par virement" in shown
    assert "Montant à payer 1 023,30 €" in shown
    assert "Bénéficiaire NEO7 STUDIO WEB" in shown
    assert "<code>FR76 3000 6000 0112 3456 7890 189</code>" in html
    assert "<code>AGRIFRPPXXX</code>" in html
    assert '<code class="transfer-reference">F2026-000001 / devis D2026-000001</code>' in html
    assert "Scannez ce code avec l'application de votre banque" in shown
    # The very code the PDF prints: the frozen text, drawn again.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'class="qr-code"' in html
    assert "<title>Code QR de paiement SEPA</title>" in html
    assert svg_path(html) == expected_path(doc.transfer_qr)
    # Content-Security-Policy: nothing inline to run or to style.
    assert "<script" not in html
    assert "style=" not in html
    assert "<foreignObject" not in html


def test_a_partial_payment_leaves_a_code_for_what_remains(client, camille, deposit):
    payment_services.record_invoice_payment(
        invoice=deposit, amount="23.30", paid_on=date(2026, 5, 25), by=None
    )
    html = box(portal_page(client, camille, deposit))
    assert "Montant à payer 1 000,00 €" in text(html)
    remaining = deposit.document.transfer_qr.replace("EUR1023.30", "EUR1000.00")
    assert svg_path(html) == expected_path(remaining)


def test_a_paid_invoice_and_a_credit_note_show_no_transfer(client, camille, deposit):
    payment_services.record_invoice_payment(
        invoice=deposit, amount="1023.30", paid_on=date(2026, 5, 25), by=None
    )
    assert box(portal_page(client, camille, deposit)) == ""
    note = invoicing_services.issue_credit_note(
        invoice=deposit,
        reason="Acompte réduit",
        lines=[
            {
                "description": "Remise",
                "quantity": Decimal("1"),
                "unit": "flat",
                "unit_price": Decimal("100"),
            }
        ],
        by=None,
        now=paris(2026, 6, 1, 9),
    )
    assert note.document.transfer_qr == ""
    assert box(portal_page(client, camille, note)) == ""


def test_an_invoice_issued_before_the_code_shows_the_transfer_in_words_only(
    client, camille, deposit
):
    # The snapshot as documents issued before were frozen, without the code (written behind
    # the models' back: an issued document is never changed otherwise).
    snapshot = dict(deposit.snapshot)
    del snapshot["transfer_qr"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Invoice._meta.db_table} SET snapshot = %s WHERE id = %s",
            [json.dumps(snapshot), deposit.pk],
        )
    html = box(portal_page(client, camille, deposit))
    assert "<code>FR76 3000 6000 0112 3456 7890 189</code>" in html
    assert "F2026-000001 / devis D2026-000001" in html
    assert "Montant à payer 1 023,30 €" in text(html)
    assert "<svg" not in html


def test_the_portal_in_english(client, camille, deposit):
    html = box(portal_page(client, camille, deposit, language="en"))
    shown = text(html)
    assert "Pay by bank transfer" in shown
    assert "Amount to pay €1,023.30" in shown
    assert "Scan this code with your banking app" in shown
    assert "<title>SEPA payment QR code</title>" in html
    assert svg_path(html) == expected_path(deposit.document.transfer_qr)


def test_the_back_office_shows_the_transfer_asked_of_the_client(client, agency, deposit):
    client.force_login(make_staff(agency, Role.OWNER))
    response = client.get(
        reverse("backoffice:invoice", kwargs={"slug": agency.slug, "invoice_id": deposit.pk})
    )
    assert response.status_code == 200
    html = box(response)
    shown = text(html)
    assert "Virement demandé au client" in shown
    assert "Montant à payer 1 023,30 €" in shown
    assert "l'application bancaire du client remplit le virement" in shown
    assert svg_path(html) == expected_path(deposit.document.transfer_qr)
    assert "style=" not in html
    assert "<script" not in html


def test_the_code_of_an_issued_invoice_is_the_one_its_pdf_prints(deposit):
    invoice = delivery.ensure_pdf(deposit)
    with invoice.pdf.open("rb") as stored:
        pdf = stored.read()
    assert printed_modules(pdf) == modules_of(deposit.document.transfer_qr)
    assert domain.remittance_text(deposit.document) == "F2026-000001 / devis D2026-000001"


# --- the e-mail -----------------------------------------------------------------------------------


def test_the_invoice_email_gives_the_reference_and_points_to_the_code(deposit):
    _subject, body = delivery.compose(deposit)
    body = re.sub(r"\s+", " ", body.replace("\u202f", " ").replace("\xa0", " "))
    assert (
        "Par virement sur l'IBAN FR76 3000 6000 0112 3456 7890 189 (BIC AGRIFRPPXXX), "
        "au nom de NEO7 STUDIO WEB." in body
    )
    assert "Référence à indiquer sur le virement : F2026-000001 / devis D2026-000001" in body
    assert "Le code QR de paiement imprimé sur la facture remplit le virement" in body


def test_the_email_in_english_without_a_bic(agency):
    upsert_seller(slug=agency.slug, fields={"bic": ""}, by=None)
    bakery = make_client(
        agency, kind="company", name="Bakery Ltd", siren="552081317", preferred_language="en"
    )
    make_contact(bakery, name="Sam")
    invoice = deposit_invoice_of(accepted_order(agency, bakery))
    assert invoice.document.bic == ""
    _subject, body = delivery.compose(invoice)
    body = re.sub(r"\s+", " ", body.replace("\u202f", " ").replace("\xa0", " "))
    assert "By bank transfer to IBAN FR76 3000 6000 0112 3456 7890 189, in the name of" in body
    assert "BIC" not in body
    assert "Reference to quote on the transfer: F2026-000001" in body
    assert "The payment QR code printed on the invoice fills in the transfer" in body
