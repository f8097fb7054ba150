"""The client's "Mes factures" (issue 6; seed 000 art. 4: the invoice is available in the
client space): the issued invoices and credit notes of the contact's client, never a draft,
with where each stands in Paris (à payer, en retard, payée), what remains to pay and why the
due date is that date; the document as issued, read from its snapshot; the Factur-X PDF and
its XML downloaded as files named after the number. Another client's document is a 404."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from pypdf import PdfReader

from clausier.invoicing import selectors
from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.payments import services as payment_services
from clausier.sellers.services import upsert_seller
from tests.factories import (
    make_client,
    make_contact,
    make_draft_invoice,
    make_issued_invoice,
    make_published_terms,
    make_seller,
)
from tests.factories.invoicing import accepted_order, deposit_invoice_of
from tests.factories.orders import install_paas, paid
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

CII = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"}


def raw(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode())))


def shown(response) -> str:
    """The page's text as read, without its tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw(response)))


def said(text: str) -> str:
    """A sentence of the document as the page reads it (spaces normalised)."""
    return re.sub(r"\s+", " ", re.sub(r"[\u00a0\u202f]", " ", text))


def cards(response) -> list[str]:
    """The text of each document card of the list, in order."""
    html = raw(response)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)).strip()
        for card in re.findall(r'<li class="doc-card.*?</li>', html)
    ]


def numbers(response) -> list[str]:
    return [re.search(r"(?:F|AV)\d{4}-\d{6}", card).group(0) for card in cards(response)]


# --- a shop charging VAT, whose consumer invoices are payable at 30 days (art. 1) ----------------

FREE_LINE = {
    "description": "Audit de performance",
    "quantity": Decimal("1"),
    "unit": "flat",
    "unit_price": Decimal("500"),
    "vat_rate": Decimal("0.20"),
}  # 500,00 € HT + TVA 20 % 100,00 € = 600,00 € TTC


@pytest.fixture
def shop():
    seller = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(seller)
    return seller


@pytest.fixture
def julien(shop):
    client = make_client(shop, "consumer", name="Julien Martin")
    return make_contact(client, name="Julien Martin")


@pytest.fixture
def ledger(shop, julien):
    """Julien's documents, as of today:

    - late: F2026-000001 of 22 May 2026, 600,00 € TTC, credited 120,00 € by the avoir
      AV2026-000001 of 1 June: 480,00 € remain, due long ago;
    - paid: F2026-000002 of 25 May 2026, paid on 5 June;
    - to pay: F2026-000003 issued today, due in 30 days;
    - a draft, which the client never sees.
    """
    client = julien.client
    late = make_issued_invoice(shop, client, now=paris(2026, 5, 22, 10))
    paid_invoice = make_issued_invoice(shop, client, now=paris(2026, 5, 25, 10))
    payment_services.record_invoice_payment(
        invoice=paid_invoice, amount="600.00", paid_on=date(2026, 6, 5), by=None
    )
    credit_note = invoicing_services.issue_credit_note(
        invoice=late,
        reason="Remise commerciale",
        lines=[FREE_LINE | {"description": "Remise", "unit_price": Decimal("100")}],
        by=None,
        now=paris(2026, 6, 1, 9),
    )
    to_pay = make_issued_invoice(shop, client, now=timezone.now() - timedelta(minutes=5))
    draft = make_draft_invoice(shop, client, lines=[FREE_LINE])
    return {
        "late": Invoice.objects.get(pk=late.pk),
        "paid": Invoice.objects.get(pk=paid_invoice.pk),
        "credit_note": credit_note,
        "to_pay": to_pay,
        "draft": draft,
    }


def test_my_invoices_lists_issued_documents_newest_first_never_drafts(client, julien, ledger):
    client.force_login(julien.user)
    response = client.get(reverse("portal:invoices"))
    assert response.status_code == 200
    assert numbers(response) == ["F2026-000003", "AV2026-000001", "F2026-000002", "F2026-000001"]
    assert reverse("portal:invoice", args=[ledger["draft"].pk]) not in raw(response)

    to_pay, credit_note, paid_card, late = cards(response)
    assert to_pay.startswith("Facture F2026-000003 À payer")
    assert "600,00 € TTC" in to_pay
    assert "reste à payer : 600,00 €" in to_pay
    assert credit_note.startswith("Avoir AV2026-000001 Avoir")
    assert "du 01/06/2026" in credit_note
    assert "120,00 € TTC" in credit_note
    assert "sur la facture F2026-000001" in credit_note
    assert paid_card.startswith("Facture F2026-000002 Payée")
    assert "reste à payer : 0,00 €" in paid_card
    assert late.startswith("Facture F2026-000001 En retard")
    assert "du 22/05/2026" in late
    assert "reste à payer : 480,00 €" in late


def test_each_due_date_answers_pourquoi_with_the_issued_explanation(client, julien, ledger):
    client.force_login(julien.user)
    late = cards(client.get(reverse("portal:invoices")))[-1]
    due = ledger["late"].due_date
    # 22 May 2026 + 30 jours calendaires = Sunday 21 June, carried to Monday 22 June (CPC 642).
    assert due == date(2026, 6, 22)
    assert "Échéance : 22/06/2026" in late
    assert "Pourquoi ?" in late
    assert said(ledger["late"].document.due_date_explanation[1:]) in late  # capitalised on screen
    assert "art. 1 CGV v1" in late


def test_the_totals_say_what_is_owed_and_how_much_is_late(client, julien, ledger):
    client.force_login(julien.user)
    text = shown(client.get(reverse("portal:invoices")))
    # 600,00 € (F2026-000003) + 480,00 € (F2026-000001 less its avoir) = 1 080,00 €.
    assert "1 080,00 € à payer (2 factures)" in text
    assert "480,00 € En retard dont 1 facture en retard" in text


def test_filters_by_state_stay_in_the_url(client, julien, ledger):
    client.force_login(julien.user)
    url = reverse("portal:invoices")
    assert numbers(client.get(url, {"etat": "a_payer"})) == ["F2026-000003", "F2026-000001"]
    assert numbers(client.get(url, {"etat": "en_retard"})) == ["F2026-000001"]
    assert numbers(client.get(url, {"etat": "payees"})) == ["F2026-000002"]
    assert numbers(client.get(url, {"etat": "avoirs"})) == ["AV2026-000001"]
    filtered = client.get(url, {"etat": "en_retard"})
    assert re.search(r'href="\?etat=en_retard" aria-current="page"', raw(filtered))
    # The totals stay those of the whole account.
    assert "1 080,00 € à payer" in shown(filtered)
    assert len(numbers(client.get(url, {"etat": "inconnu"}))) == 4


def test_an_invoice_is_late_from_midnight_in_paris_not_in_utc(shop, julien):
    invoice = make_issued_invoice(shop, julien.client, now=paris(2026, 5, 22, 10))
    assert invoice.due_date == date(2026, 6, 22)

    def state(now: datetime) -> str:
        [row] = selectors.client_documents(client=julien.client, now=now)
        return row.state

    # 23:59 on 22 June in Paris (CEST, UTC+2) is 21:59 UTC: still due that day.
    assert state(datetime(2026, 6, 22, 21, 59, tzinfo=UTC)) == "to_pay"
    # 00:00 on 23 June in Paris is 22:00 UTC on 22 June: late already, though UTC says the 22nd.
    assert state(datetime(2026, 6, 22, 22, 0, tzinfo=UTC)) == "late"


def test_an_empty_account_says_what_will_appear(client, julien):
    client.force_login(julien.user)
    text = shown(client.get(reverse("portal:invoices")))
    assert "Vous n'avez pas encore de facture." in text


def test_the_list_reads_in_a_constant_number_of_queries(client, shop, julien, ledger):
    client.force_login(julien.user)
    url = reverse("portal:invoices")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        make_issued_invoice(shop, julien.client, now=timezone.now() - timedelta(minutes=1))
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(numbers(response)) == 7
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_navigation_leads_to_my_invoices(client, julien):
    client.force_login(julien.user)
    html = raw(client.get(reverse("portal:invoices")))
    assert f'<a href="{reverse("portal:invoices")}" aria-current="page">Mes factures</a>' in html


# --- access ---------------------------------------------------------------------------------------


def test_another_clients_documents_and_drafts_are_404(client, shop, julien, ledger):
    neighbour = make_contact(make_client(shop, "consumer", name="Voisine"), name="Voisine")
    client.force_login(neighbour.user)
    assert cards(client.get(reverse("portal:invoices"))) == []
    for name in ("portal:invoice", "portal:invoice_pdf", "portal:invoice_xml"):
        assert client.get(reverse(name, args=[ledger["late"].pk])).status_code == 404
    client.force_login(julien.user)
    for name in ("portal:invoice", "portal:invoice_pdf", "portal:invoice_xml"):
        assert client.get(reverse(name, args=[ledger["draft"].pk])).status_code == 404


# --- the document as issued -----------------------------------------------------------------------


@pytest.fixture
def camille(agency):
    client = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    return make_contact(client, name="Camille Martin", role="Gérante")


@pytest.fixture
def final(agency, camille):
    """The agency's website order (seed 002): deposit F2026-000001 at acceptance on 22 May
    2026, final invoice F2026-000002 on 30 June deducting it."""
    order = accepted_order(agency, camille.client)
    invoice = invoicing_services.final_invoice(order=order, by=None, now=paris(2026, 6, 30, 17))
    return invoice


def test_the_invoice_page_shows_the_document_as_issued(client, agency, camille, final):
    # The seller changes its bank details after the issue: the document does not change.
    upsert_seller(
        slug=agency.slug,
        fields={"iban": "FR1420041010050500013M02606", "bic": "PSSTFRPPXXX"},
        by=None,
    )
    client.force_login(camille.user)
    response = client.get(reverse("portal:invoice", kwargs={"invoice_id": final.pk}))
    assert response.status_code == 200
    text = shown(response)
    doc = final.document
    assert "Facture de solde F2026-000002" in text
    # The lines, the 293 B mention and the totals, deposit deducted:
    # 3 411,00 € − acompte F2026-000001 de 1 023,30 € = 2 387,70 €.
    assert "Création du site vitrine (5 pages)" in text
    assert "2,5 jour" in text
    assert "350,00 €" in text
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "Total TTC 3 411,00 €" in text
    assert "Acompte F2026-000001 du 22/05/2026 -1 023,30 €" in text
    assert "Net à payer 2 387,70 €" in text
    # The due date and why, the penalty sentence with its rate, the 40 € indemnity.
    assert f"Échéance {doc.due_date:%d/%m/%Y}" in text
    assert said(doc.due_date_explanation[1:]) in text
    assert said(doc.late_penalty) in text
    assert said(doc.recovery_indemnity) in text
    assert "Pas d'escompte pour paiement anticipé." in text
    # Payment instructions as issued, not as the seller now says.
    assert "FR76 3000 6000 0112 3456 7890 189" in text
    assert "AGRIFRPPXXX" in text
    assert "FR1420041010050500013M02606" not in text
    assert f"Référence à indiquer {doc.payment_reference}" in text
    # "Conditions appliquées", each figure beside its reason and source.
    assert "Conditions appliquées" in text
    for condition in doc.conditions:
        assert said(condition.value) in text
        assert said(condition.explanation) in text
    # Related documents and the downloads.
    html = raw(response)
    assert reverse("portal:order", args=[final.order_id]) in html
    assert reverse("portal:quote", args=[final.order.quote_id]) in html
    assert f"Devis {doc.quote_reference}" in text
    assert reverse("portal:invoice_pdf", args=[final.pk]) in html
    assert reverse("portal:invoice_xml", args=[final.pk]) in html
    assert "PDF (Factur-X)" in text
    assert "XML Factur-X" in text


def test_an_invoice_lists_the_credit_notes_against_it(client, camille, final):
    note = invoicing_services.issue_credit_note(
        invoice=final,
        reason="Formation non réalisée",
        lines=[
            {
                "description": "Formation à l'administration du site",
                "quantity": Decimal("3"),
                "unit": "hour",
                "unit_price": Decimal("45.333"),
            }
        ],
        by=None,
        now=paris(2026, 7, 2, 9),
    )
    client.force_login(camille.user)
    text = shown(client.get(reverse("portal:invoice", args=[final.pk])))
    assert f"Avoir {note.number} du 02/07/2026, 136,00 € TTC — Formation non réalisée" in text
    note_page = client.get(reverse("portal:invoice", args=[note.pk]))
    assert "Avoir AV2026-000001" in shown(note_page)
    assert "Facture corrigée F2026-000002 du 30/06/2026" in shown(note_page)
    assert reverse("portal:invoice", args=[final.pk]) in raw(note_page)


def test_a_deposit_invoice_to_pay_shows_how_to_pay_it(client, agency, camille):
    order = accepted_order(agency, camille.client)
    deposit = deposit_invoice_of(order)
    client.force_login(camille.user)
    text = shown(client.get(reverse("portal:invoice", args=[deposit.pk])))
    assert "Facture d'acompte F2026-000001" in text
    assert "Net à payer 1 023,30 €" in text
    assert "Régler par virement" in text
    # Due on 12 June 2026 (14 jours ouvrés, Whit Monday not counted), late since.
    assert "Échéance 12/06/2026 En retard" in text
    assert "Reste à payer 1 023,30 €" in text


# --- downloads ------------------------------------------------------------------------------------


@pytest.fixture
def studio(db):
    paas = install_paas()
    company = make_client(
        paas,
        "company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )
    return make_contact(company, name="Léa Martin", role="Gérante")


@pytest.fixture
def paas_invoice(studio):
    order = paid(
        studio.client.seller,
        studio.client,
        received_at=paris(2026, 5, 8, 14, 30),
        reference="ch_1",
    )
    return Invoice.objects.get(order=order, kind=InvoiceKind.STANDARD)


def test_the_pdf_downloads_as_the_factur_x_file_named_after_the_number(
    client, studio, paas_invoice
):
    client.force_login(studio.user)
    response = client.get(reverse("portal:invoice_pdf", kwargs={"invoice_id": paas_invoice.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="F2026-000001.pdf"'
    content = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "F2026-000001" in text
    assert "42,24" in text  # 35,20 € HT + TVA 20 % 7,04 € = 42,24 € TTC (FIRST_TTC)
    assert "factur-x.xml" in reader.attachments
    # The same stored file on every download.
    again = client.get(reverse("portal:invoice_pdf", args=[paas_invoice.pk]))
    assert b"".join(again.streaming_content) == content


def test_the_xml_is_the_factur_x_xml_embedded_in_the_pdf(client, studio, paas_invoice):
    client.force_login(studio.user)
    response = client.get(reverse("portal:invoice_xml", kwargs={"invoice_id": paas_invoice.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="F2026-000001.xml"'
    root = etree.fromstring(response.content)
    assert etree.QName(root).localname == "CrossIndustryInvoice"
    assert root.findtext("rsm:ExchangedDocument/{*}ID", namespaces=CII) == "F2026-000001"
    assert root.findtext(".//{*}GrandTotalAmount") == "42.24"
    pdf = client.get(reverse("portal:invoice_pdf", args=[paas_invoice.pk]))
    embedded = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).attachments["factur-x.xml"]
    assert embedded == [response.content]


def test_a_paid_online_order_invoice_reads_paid_with_nothing_left(client, studio, paas_invoice):
    client.force_login(studio.user)
    [card] = cards(client.get(reverse("portal:invoices")))
    assert card.startswith("Facture F2026-000001 Payée")
    assert "42,24 € TTC" in card
    assert "reste à payer : 0,00 €" in card
    text = shown(client.get(reverse("portal:invoices")))
    assert "Vous n'avez rien à payer" in text
