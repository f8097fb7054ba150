"""Out of the box, each demo seller's owner writes an invoice by hand in the back-office,
issues it and downloads its PDF, in Chromium.

The agency (seed 002: 293 B franchise, due 14 jours ouvrés, the demo's fictitious identity)
and the PaaS host (seed 000: VAT at 20 %, terms without a payment-term clause, so the invoice
is due on the 30th day after the service, C. com. L441-10 I): neither is refused any more."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from clausier.demo.loader import PASSWORD, load_demo
from clausier.invoicing.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db(transaction=True)

SELLERS = [
    # slug, owner, client, the line's unit price, whether the seller charges VAT, its total
    ("neo7-studio-web", "neo7-owner", "Atelier Céramique Loire SAS", "1 250,00", False, "1 250,00"),
    ("clever-cloud", "cc-owner", "Brasserie Numérique SARL", "100", True, "120,00"),
]


@pytest.mark.parametrize(("slug", "owner", "client", "price", "vat", "total"), SELLERS)
def test_the_owner_writes_issues_and_downloads_an_invoice_by_hand(
    live_server, page, tmp_path, slug, owner, client, price, vat, total
):
    load_demo()
    before = set(Invoice.objects.values_list("pk", flat=True))

    page.goto(live_server.url + "/login/")
    page.get_by_label("Identifiant ou e-mail").fill(owner)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/backoffice/{slug}/invoices/new/")

    page.get_by_role("combobox", name=re.compile(r"^Client")).select_option(label=client)
    page.get_by_label("Ligne 1, Désignation").fill("Atelier de formation sur site")
    page.get_by_label("Ligne 1, Quantité").fill("1")
    page.get_by_label("Ligne 1, Prix unitaire HT (€)").fill(price)
    if vat:
        page.get_by_label("Ligne 1, TVA").select_option(label="20 %")
    page.get_by_role("button", name="Enregistrer le brouillon").last.click()
    expect(page.locator("h1")).to_contain_text("Brouillon")

    page.get_by_role("button", name="Émettre", exact=True).click()
    expect(page.locator("h1")).to_contain_text(re.compile(r"Facture F\d{4}-\d{6}"))
    issued = Invoice.objects.exclude(pk__in=before).get()
    assert issued.status == InvoiceStatus.ISSUED

    with page.expect_download() as downloading:
        page.get_by_role("link", name="PDF", exact=True).click()
    saved = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(saved)

    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert issued.number in text
    assert total in text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "factur-x.xml" in reader.attachments
