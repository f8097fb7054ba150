"""The quote PDF, read back: number, totals, validity, payment terms, "Bon pour accord"."""

import io
import re

import pikepdf
import pypdf
import pytest

from clausier.quotes import services
from clausier.quotes.printing import render_quote_pdf
from tests import pdfa_checks as checks
from tests.factories.quotes import make_quote, paris, pdf_file, sent_quote

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)  # French spaces read back as plain ones


def test_the_quote_pdf_states_what_article_3_of_the_agency_requires(agency, bakery):
    quote = make_quote(agency, bakery)
    services.add_attachment(
        quote=quote, kind="specification", file=pdf_file(), by=None, title="Cahier des charges v2"
    )
    services.add_attachment(
        quote=quote, kind="mockup", file=pdf_file("maquette.pdf"), by=None, title="Page d'accueil"
    )
    quote = services.send_quote(quote=quote, by=None, now=paris(2026, 5, 4, 10, 0))

    text = text_of(render_quote_pdf(quote=quote).content)

    assert f"Devis n° {quote.display_number}" in text
    assert "Valable jusqu'au 31/05/2026" in text
    # 2 400,00 + 875,00 + 136,00 = 3 411,00 € HT, no VAT under 293 B.
    assert "Total HT 3 411,00 €" in text
    assert "Total TTC 3 411,00 €" in text
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "payables 14 jours ouvrés après la date de facture (art. 5 des CGV v3.0)" in text
    # 30 % of 3 411,00 = 1 023,30 €.
    assert "Acompte de 30 % du montant global HT, soit 1 023,30 €" in text
    assert "conditions générales de vente v3.0" in text
    assert "Cahier des charges joint : « Cahier des charges v2 »" in text
    assert "Maquette « Page d'accueil » : non contractuelle." in text
    assert "Bon pour accord" in text
    assert "Cachet commercial" in text
    assert "NEO7 STUDIO WEB" in text
    assert "Page 1 /" in text


def test_a_quote_without_deposit_does_not_ask_for_one(agency, bakery):
    quote = sent_quote(agency, bakery, requires_deposit=False)
    text = text_of(render_quote_pdf(quote=quote).content)
    assert "Acompte" not in text


def test_a_draft_has_no_pdf(agency, bakery):
    with pytest.raises(ValueError, match="only a sent quote"):
        render_quote_pdf(quote=make_quote(agency, bakery))


def test_unit_prices_keep_their_decimals_and_quantities_drop_trailing_zeros(agency, bakery):
    text = text_of(render_quote_pdf(quote=sent_quote(agency, bakery)).content)
    assert "Formation à l'administration du site 3 heure 45,333 €" in text
    assert "Intégration des contenus 2,5 jour 350,00 €" in text


def test_the_quote_pdf_passes_the_pdf_a_3b_checks_and_carries_no_attachment(agency, bakery):
    content = render_quote_pdf(quote=sent_quote(agency, bakery)).content

    assert checks.check_pdfa3b(content, attachments=False) == []
    assert "/AF" not in pikepdf.open(io.BytesIO(content)).Root
    assert b"factur-x" not in content.lower()


def test_the_pdf_downloaded_later_is_the_one_the_client_received(agency, bakery):
    quote = sent_quote(agency, bakery)
    first = render_quote_pdf(quote=quote)
    again = render_quote_pdf(quote=type(quote).objects.get(pk=quote.pk))

    assert again.content == first.content
    assert again.sha256 == first.sha256


def test_an_english_client_reads_the_quote_in_english(agency, bakery):
    text = text_of(render_quote_pdf(quote=sent_quote(agency, bakery), language="en").content)

    assert "Quote n° D2026-" in text
    assert "Total excl. VAT" in text
    # The payment period in English too, not "14 jours ouvrés".
    assert "invoices payable 14 working days after the invoice date" in text
    assert "Page 1 /" in text


def test_the_quote_carries_the_sellers_logo(agency, bakery):
    from django.core.files.base import ContentFile

    from tests.quotes.test_stored_pdf import png

    without = render_quote_pdf(quote=sent_quote(agency, bakery)).content
    agency.logo.save("neo7.png", ContentFile(png((200, 30, 40))))
    agency.save(update_fields=["logo"])
    quote = sent_quote(agency, bakery)

    def images(content: bytes) -> int:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            return sum(
                1
                for page in pdf.pages
                for _, xobject in page.get_images().items()
                if xobject.get("/Subtype") == "/Image"
            )

    with_logo = render_quote_pdf(quote=quote).content
    assert (images(without), images(with_logo)) == (0, 1)
    assert checks.check_pdfa3b(with_logo, attachments=False) == []
