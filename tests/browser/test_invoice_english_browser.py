"""A client reads its invoice in English, in Chromium (issue 14).

The PaaS host's client paid its online order: the invoice was issued automatically, in
French. Its contact logs in, opens the invoice, switches the page to English with the
language switcher, and finds none of the French words of the French page; the PDF it then
downloads is an English courtesy translation, without the French words of the French PDF,
while the French invoice of record stays the stored file."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from clausier.invoicing import delivery
from clausier.invoicing.models import Invoice
from tests.browser.test_invoice_download_browser import log_in
from tests.factories import make_client, make_contact
from tests.factories.orders import install_paas, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db(transaction=True)

# French words and sentences of the French invoice page (each checked there first).
PAGE_WORDS = (
    "Mes factures",
    "Payée",
    "Échéance",
    "Pourquoi ?",
    "Date de facture",
    "Net à payer",
    "Émetteur et destinataire",
    "Vendeur",
    "Détail",
    "Total TTC",
    "Paiement et retard",
    "Payée le",
    "Pénalités de retard",
    "Indemnité forfaitaire",
    "Conditions appliquées",
    "acquittée",
    "reçu le",
    "paiement en ligne",
    "payés avant l'émission",
    "Se déconnecter",
)
# French words of the French PDF (each checked on the stored PDF first).
PDF_WORDS = (
    "Facture",
    "Date d'émission",
    "Échéance",
    "Vendeur",
    "Nature de l'opération",
    "prestations de services",
    "Désignation",
    "Total TTC",
    "Net à payer",
    "Payée le",
    "Pénalités de retard",
    "Indemnité forfaitaire",
    "Conditions appliquées",
    "acquittée",
    "paiement en ligne",
)


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = re.sub(r"\u00ad\n?|\u200b", "", text)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    return re.sub(r"(\w)- (\w)", r"\1\2", text)  # words hyphenated at a line end


def found(words: tuple[str, ...], text: str) -> list[str]:
    text = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    return [w for w in words if re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, re.I)]


def without_data(text: str, invoice: Invoice) -> str:
    """``text`` without what the parties wrote themselves and the page quotes as it is: the
    lines' descriptions and the titles of the seller's clauses."""
    doc = invoice.document
    for quoted in (*(line.description for line in doc.lines), *(c.title for c in doc.clauses)):
        for part in quoted.split("\n"):
            text = text.replace(part.strip(), "")
    return text


def test_a_client_switches_to_english_and_reads_its_invoice_and_pdf_in_english(
    live_server, page, tmp_path
):
    paas = install_paas()
    studio = make_client(
        paas,
        "company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )
    lea = make_contact(studio, name="Léa Martin", role="Gérante")
    order = paid(paas, studio, received_at=paris(2026, 5, 8, 14, 30), reference="ch_1")
    invoice = Invoice.objects.get(order=order)

    log_in(page, live_server.url, lea.user.username)
    page.get_by_role("navigation").get_by_role("link", name="Mes factures").click()
    page.locator(".doc-card").filter(has_text=invoice.number).get_by_role(
        "link", name="Voir"
    ).click()
    expect(page.locator("h1")).to_contain_text(f"Facture {invoice.number}")
    page.locator(".why summary").first.click()  # the "pourquoi ?" of the due date, opened
    french_page = page.locator("body").inner_text()
    assert found(PAGE_WORDS, french_page) == list(PAGE_WORDS)

    # The language switcher of the page, not a typed address.
    page.get_by_label("Langue").select_option("en")
    expect(page).to_have_url(re.compile(r"/en/"))
    expect(page.locator("h1")).to_contain_text(f"Invoice {invoice.number}")
    page.locator(".why summary").first.click()  # the "why?" of the due date, opened
    english_page = without_data(page.locator("body").inner_text(), invoice)
    assert found(PAGE_WORDS, english_page) == []
    assert "Courtesy translation" in english_page
    assert "Invoice settled: payment of" in english_page

    with page.expect_download() as downloading:
        page.get_by_role("link", name="PDF (courtesy translation)").click()
    download = downloading.value
    assert download.suggested_filename == f"{invoice.number}-en.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    stored = delivery.pdf_bytes(invoice)
    french_pdf = pdf_text(stored)
    assert found(PDF_WORDS, french_pdf) == list(PDF_WORDS), french_pdf
    english_pdf = without_data(pdf_text(saved.read_bytes()), invoice)
    assert found(PDF_WORDS, english_pdf) == []
    assert "Courtesy translation: the French invoice" in english_pdf
    assert "Net amount payable" in english_pdf
    invoice.refresh_from_db()
    assert delivery.pdf_bytes(invoice) == stored  # the invoice of record, unchanged
