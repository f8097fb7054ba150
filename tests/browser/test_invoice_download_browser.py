"""A client downloads its invoice from the portal, in Chromium (issue 6; seed 000 art. 4: the
invoice issued after the online payment is available in the client space).

The PaaS host's client paid its online order: the invoice was issued automatically. Its
contact logs in on a phone, opens "Mes factures", sees the invoice paid with why its due
date is that date, opens it and downloads the Factur-X PDF; the file read back names the
invoice and its total."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from clausier.invoicing.models import Invoice
from tests.factories import PASSWORD, make_client, make_contact
from tests.factories.orders import install_paas, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_client_downloads_its_invoice_pdf_from_my_invoices(live_server, page, tmp_path):
    paas = install_paas()
    studio = make_client(
        paas,
        "company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )
    lea = make_contact(studio, name="Léa Martin", role="Gérante")
    # 720 h × 0,035 € + 1 × 10,00 € = 35,20 € HT; TVA 20 % 7,04 €; TTC 42,24 €, paid by card
    # on 8 May 2026: invoice F2026-000001 issued paid (art. 4).
    order = paid(paas, studio, received_at=paris(2026, 5, 8, 14, 30), reference="ch_1")
    invoice = Invoice.objects.get(order=order)
    assert invoice.number == "F2026-000001"

    page.set_viewport_size({"width": 390, "height": 844})  # the portal, first on a phone
    log_in(page, live_server.url, lea.user.username)
    page.get_by_role("navigation").get_by_role("link", name="Mes factures").click()

    expect(page.locator("h1")).to_have_text("Mes factures")
    card = page.locator(".doc-card").filter(has_text="F2026-000001")
    expect(card).to_contain_text("Payée")
    expect(card).to_contain_text("42,24 €")
    expect(page.locator(".invoice-balance")).to_contain_text("Vous n'avez rien à payer")
    card.locator(".why summary").click()
    expect(card.locator(".why")).to_contain_text("paiement de 42,24 € reçu le 08/05/2026")

    card.get_by_role("link", name="Voir").click()
    expect(page.locator("h1")).to_contain_text("Facture F2026-000001")
    expect(page.locator(".invoice-totals")).to_contain_text("42,24 €")
    expect(page.locator(".invoice-conditions")).to_contain_text("Conditions appliquées")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="PDF (Factur-X)").click()
    download = downloading.value
    assert download.suggested_filename == "F2026-000001.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "F2026-000001" in text
    assert "42,24" in text
    assert "factur-x.xml" in reader.attachments
    invoice.refresh_from_db()
    assert invoice.pdf_sha256  # stored once, the file every later download serves
