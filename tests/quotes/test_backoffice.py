"""The quote screens of the back-office on the web agency's real seed (CGV v3.0): list,
editor, quote page and its actions by state, acceptance by email and by post, the PDF."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from clausier.orders.models import OrderStatus
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteAcceptance, QuoteStatus
from clausier.quotes.printing import render_quote_pdf
from tests.factories import make_client, make_seller, make_staff
from tests.factories.quotes import consent_eml, make_quote, pdf_file, sent_quote

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"[ \u00a0\u202f]+", " ", "\n".join(p.extract_text() for p in reader.pages))


def flat(html: str) -> str:
    """The page's text with French spaces as plain ones, for amounts and dates."""
    return re.sub(r"[\u00a0\u202f]", " ", html)


def shown(response) -> str:
    """What a person reads: entities decoded (the apostrophes of messages), spaces plain."""
    return flat(unescape(response.content.decode()))


def open_quote(seller, client, *, days: int = 30, **kwargs) -> Quote:
    """A quote sent an hour ago, valid ``days`` more days."""
    return sent_quote(
        seller,
        client,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=days),
        **kwargs,
    )


EDITOR = {
    "client": "",
    "nature": "Refonte du site vitrine",
    "valid_until": "",
    "requires_deposit": "on",
    "notes": "",
    "line_count": "3",
}


def editor_post(client_obj=None, rows=(), **head) -> dict:
    data = EDITOR | head
    data["valid_until"] = head.get(
        "valid_until", (timezone.localdate() + timedelta(days=30)).isoformat()
    )
    if client_obj is not None:
        data["client"] = str(client_obj.pk)
    for i in range(int(data["line_count"])):
        row = rows[i] if i < len(rows) else {}
        data |= {
            f"line-{i}-description": row.get("description", ""),
            f"line-{i}-quantity": row.get("quantity", ""),
            f"line-{i}-unit": row.get("unit", "flat"),
            f"line-{i}-unit_price": row.get("unit_price", ""),
            f"line-{i}-vat_rate": row.get("vat_rate", "0"),
            f"line-{i}-product_code": row.get("product_code", ""),
        }
        if row.get("remove"):
            data[f"line-{i}-remove"] = "on"
    return data


# --- list ------------------------------------------------------------------------------------


def test_list_shows_number_client_total_validity_badge_and_state_in_words(
    client, agency, agency_owner, bakery
):
    soon = open_quote(agency, bakery, days=3)
    later = open_quote(agency, make_client(agency, name="Chorale du Sillon"), days=20)
    past = sent_quote(agency, make_client(agency, name="Cabinet Bernard"))  # valid to 31/05
    draft = make_quote(agency, bakery)
    client.force_login(agency_owner)

    html = flat(client.get(url("quotes", agency)).content.decode())

    assert soon.display_number in html
    assert "Boulangerie Martin SARL" in html
    assert "3 411,00 €" in html  # 2 400 + 875 + 136, no VAT under 293 B
    assert '<span class="badge badge--soon">expire dans 3 jours</span>' in html
    assert '<span class="badge badge--late">expiré</span>' in html  # past its day, still "sent"
    assert past.display_number in html
    assert later.display_number in html
    assert f"Brouillon n° {draft.pk}" in html
    assert "badge--draft" in html
    assert ">Brouillon</span>" in html
    assert ">Envoyé</span>" in html
    # The draft's total is computed from its lines, shown as provisional.
    assert 'title="Total provisoire du brouillon">3 411,00 €' in html


def test_list_filters_by_state_and_expiry_and_keeps_them_in_the_page_links(
    client, agency, agency_owner, bakery
):
    for _ in range(27):
        open_quote(agency, bakery, days=5)
    far = open_quote(agency, bakery, days=40)
    make_quote(agency, bakery)
    client.force_login(agency_owner)

    expiring = flat(client.get(url("quotes", agency) + "?status=sent&expiring=1").content.decode())
    assert "27 devis" in expiring
    assert far.display_number not in expiring
    assert "status=sent&amp;expiring=1&amp;page=2" in expiring
    assert "filtre actif" in expiring

    drafts = client.get(url("quotes", agency) + "?status=draft").content.decode()
    assert "1 devis" in drafts
    assert "D2026" not in drafts.split("<tbody>")[1]

    # A stale or forged value falls back to the default instead of failing.
    assert client.get(url("quotes", agency) + "?status=nope&sort=evil").status_code == 200


def test_empty_list_says_what_to_do_next_for_the_role(
    client, agency, agency_owner, agency_accountant
):
    client.force_login(agency_owner)
    html = client.get(url("quotes", agency)).content.decode()
    assert "Aucun devis pour l'instant." in html
    assert "Rédiger votre premier devis" in html
    client.force_login(agency_accountant)
    html = client.get(url("quotes", agency)).content.decode()
    assert "Rédiger votre premier devis" not in html
    assert "Nouveau devis" not in html


def test_list_query_count_does_not_grow_with_rows(
    client, agency, agency_owner, bakery, django_assert_num_queries
):
    open_quote(agency, bakery)
    make_quote(agency, bakery)
    client.force_login(agency_owner)
    client.get(url("quotes", agency))  # warm the session and content-type caches
    # session, user, staff scope, count, page of rows (with clients), lines of the drafts
    with django_assert_num_queries(6):
        client.get(url("quotes", agency))
    for _ in range(10):
        open_quote(agency, bakery)
        make_quote(agency, bakery)
    with django_assert_num_queries(6):
        client.get(url("quotes", agency))


# --- editor ----------------------------------------------------------------------------------


def test_staff_drafts_a_quote_with_lines_typed_the_french_way(client, agency, agency_sales, bakery):
    client.force_login(agency_sales)
    assert client.get(url("quote_new", agency)).status_code == 200
    data = editor_post(
        bakery,
        rows=[
            {"description": "Création du site", "quantity": "1", "unit_price": "2400"},
            {},  # a blank row is ignored
            {
                "description": "Intégration",
                "quantity": "2,5",
                "unit": "day",
                "unit_price": "350,00",
                "product_code": "INT-JOUR",
            },
        ],
    )
    response = client.post(url("quote_new", agency), data)

    quote = Quote.objects.get(client=bakery)
    assert response.status_code == 302
    assert response["Location"] == url("quote", agency, quote_id=quote.pk)
    assert quote.status == QuoteStatus.DRAFT
    assert quote.requires_deposit is True
    assert quote.created_by == agency_sales
    lines = list(quote.lines.order_by("position"))
    assert [line.description for line in lines] == ["Création du site", "Intégration"]
    assert lines[1].quantity == Decimal("2.5")
    assert lines[1].unit == "day"
    assert lines[1].product_code == "INT-JOUR"
    page = flat(client.get(response["Location"]).content.decode())
    assert "3 275,00 €" in page  # 2 400 + 2,5 × 350


def test_editor_errors_sit_next_to_fields_and_in_a_summary_and_nothing_is_lost(
    client, agency, agency_sales, bakery
):
    client.force_login(agency_sales)
    data = editor_post(
        rows=[{"description": "Audit SEO très détaillé", "quantity": "beaucoup", "unit_price": "9"}]
    )
    response = client.post(url("quote_new", agency), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Le devis n'est pas enregistré" in html
    assert '<a href="#id_client">Client</a>' in html  # the summary links to the field
    assert 'href="#id_line-0-quantity">Ligne 1, Quantité</a>' in html
    assert "Audit SEO très détaillé" in html  # what was typed is still there
    assert 'value="beaucoup"' in html
    assert Quote.objects.count() == 0


def test_a_services_line_error_lands_on_the_row_it_names(client, agency, agency_sales, bakery):
    client.force_login(agency_sales)
    data = editor_post(
        bakery,
        rows=[{}, {"description": "Maintenance", "quantity": "0", "unit_price": "50"}],
    )
    response = client.post(url("quote_new", agency), data)

    html = response.content.decode()
    assert response.status_code == 400
    # The service numbers the lines it receives (lines[0]); the page shows it on row 2.
    assert 'href="#id_line-1-quantity">Ligne 2, Quantité</a> : la quantité doit être' in html


def test_add_a_line_keeps_what_was_typed_without_complaining_yet(
    client, agency, agency_sales, bakery
):
    client.force_login(agency_sales)
    data = editor_post(bakery, rows=[{"description": "Hébergement", "quantity": "12"}])
    data["add_line"] = "1"
    response = client.post(url("quote_new", agency), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hébergement" in html
    assert 'value="12"' in html
    assert "field__error" not in html
    assert 'name="line_count" value="3"' in html  # the typed row and two blank ones
    assert Quote.objects.count() == 0


def test_editing_a_draft_replaces_its_lines_and_a_sent_quote_cannot_be_edited(
    client, agency, agency_sales, bakery
):
    draft = make_quote(agency, bakery)
    client.force_login(agency_sales)
    page = client.get(url("quote_edit", agency, quote_id=draft.pk)).content.decode()
    assert "Création du site vitrine (5 pages)" in page
    data = editor_post(
        rows=[
            {
                "description": "Création du site vitrine (5 pages)",
                "quantity": "1",
                "unit_price": "2400",
            },
            {"description": "Intégration", "quantity": "2", "unit_price": "350", "remove": True},
        ],
        nature="Site vitrine",
    )
    response = client.post(url("quote_edit", agency, quote_id=draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.nature == "Site vitrine"
    assert [line.description for line in draft.lines.all()] == [
        "Création du site vitrine (5 pages)"
    ]

    sent = open_quote(agency, bakery)
    response = client.get(url("quote_edit", agency, quote_id=sent.pk), follow=True)
    assert "n'est plus un brouillon" in shown(response)


# --- the quote page --------------------------------------------------------------------------


def test_quote_page_shows_the_document_and_why_each_figure(client, agency, agency_owner, bakery):
    quote = open_quote(agency, bakery)
    client.force_login(agency_owner)

    html = flat(client.get(url("quote", agency, quote_id=quote.pk)).content.decode())

    assert f"Devis {quote.display_number}" in html
    assert "Création du site vitrine (5 pages)" in html
    assert "45,333 €" in html  # unit prices keep their agreed decimals
    assert "3 411,00 €" in html
    assert "TVA non applicable, art. 293 B du CGI" in html
    assert html.count("Pourquoi ?") >= 4  # validity, totals, payment terms, deposit
    assert "Factures payables 14 jours ouvrés après la date de facture" in html
    assert "1 023,30 €" in html  # 30 % of 3 411,00
    assert "payment.deposit" in html
    assert "Fin du délai d'acceptation" in html
    assert "Enregistrer un accord reçu par e-mail" in html
    assert "Enregistrer un exemplaire signé reçu par courrier" in html
    assert "Réviser" in html
    assert "Retirer le devis" in html


def test_the_quote_page_words_its_explanations_in_the_pages_language(
    client, agency, agency_owner, bakery
):
    quote = open_quote(agency, bakery)
    client.force_login(agency_owner)
    html = shown(client.get(url("quote", agency, quote_id=quote.pk)))
    with translation.override("en"):
        english = shown(client.get(url("quote", agency, quote_id=quote.pk)))

    assert "ligne 1 « Création du site vitrine (5 pages) » : 1 × " in html
    assert "aucune TVA facturée (franchise en base de TVA) : base 3 411,00 €" in html
    assert "30 % × 3 411,00 € HT" in html
    # The legal mention is the law's French text on every page; its explanation is worded.
    assert "mention obligatoire : « TVA non applicable, art. 293 B du CGI »" in html
    assert "line 1 “Création du site vitrine (5 pages)”: 1 × " in english
    assert "no VAT charged (VAT franchise): base €3,411.00" in english
    assert "total incl. VAT = excl. VAT + VAT = €3,411.00" in english
    assert "30% × €3,411.00 excl. VAT" in english
    assert "rounded to the cent (half up) = €1,023.30" in english
    assert "mandatory mention: “TVA non applicable, art. 293 B du CGI”" in english
    assert "validity: " in english
    assert "can be accepted until " in english
    assert "arrondi" not in english


def test_read_only_accountant_sees_the_quote_but_no_action(
    client, agency, agency_accountant, bakery
):
    quote = open_quote(agency, bakery)
    draft = make_quote(agency, bakery)
    client.force_login(agency_accountant)
    html = client.get(url("quote", agency, quote_id=quote.pk)).content.decode()
    assert "Réviser" not in html
    assert "Enregistrer un accord" not in html
    html = client.get(url("quote", agency, quote_id=draft.pk)).content.decode()
    assert "Envoyer au client" not in html
    response = client.post(url("quote_send", agency, quote_id=draft.pk))
    assert response.status_code == 403
    assert "Expert-comptable (lecture seule)" in response.content.decode()


def test_another_sellers_quote_is_404(client, agency, agency_owner):
    other = make_seller("ailleurs")
    make_staff(other)
    from tests.factories import make_published_terms

    make_published_terms(other)
    theirs = quote_services.create_quote(
        seller=other,
        client=make_client(other),
        fields={"nature": "x", "valid_until": timezone.localdate() + timedelta(days=9)},
        lines=[{"description": "x", "quantity": "1", "unit": "flat", "unit_price": "1"}],
        by=None,
    )
    client.force_login(agency_owner)
    for name in ("quote", "quote_edit", "quote_pdf"):
        assert client.get(url(name, agency, quote_id=theirs.pk)).status_code == 404


def test_sending_freezes_the_quote_and_emails_its_pdf(
    client,
    agency,
    agency_sales,
    bakery,
    bakery_contact,
    mail_and_tasks,
    django_capture_on_commit_callbacks,
):
    draft = make_quote(agency, bakery, valid_until=timezone.localdate() + timedelta(days=30))
    client.force_login(agency_sales)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("quote_send", agency, quote_id=draft.pk), follow=True)

    draft.refresh_from_db()
    assert draft.status == QuoteStatus.SENT
    assert draft.number.startswith("D")
    assert f"Devis {draft.display_number} envoyé" in response.content.decode()
    [message] = mail.outbox
    assert message.to == [bakery_contact.email]
    assert message.attachments[0][0] == f"{draft.display_number}.pdf"


def test_a_refused_sending_says_why(client, agency, agency_sales, bakery):
    draft = quote_services.create_quote(
        seller=agency,
        client=bakery,
        fields={"nature": "", "valid_until": timezone.localdate() + timedelta(days=10)},
        by=None,
    )
    client.force_login(agency_sales)
    response = client.post(url("quote_send", agency, quote_id=draft.pk), follow=True)
    html = shown(response)
    assert "Le devis n'est pas parti" in html
    assert "Lignes : un devis sans ligne ne peut pas être envoyé" in html
    assert "Nature des prestations : précisez la nature des prestations" in html
    draft.refresh_from_db()
    assert draft.status == QuoteStatus.DRAFT


def test_revising_opens_the_new_revision_and_links_the_history(
    client, agency, agency_sales, bakery
):
    quote = open_quote(agency, bakery)
    client.force_login(agency_sales)
    response = client.post(url("quote_revise", agency, quote_id=quote.pk))

    revision = Quote.objects.get(previous=quote)
    assert response["Location"] == url("quote_edit", agency, quote_id=revision.pk)
    html = client.get(url("quote", agency, quote_id=quote.pk)).content.decode()
    assert "Remplacé par une révision" in html
    assert url("quote", agency, quote_id=revision.pk) in html
    assert f"Voir la révision {revision.display_number}" in html
    html = client.get(url("quote", agency, quote_id=revision.pk)).content.decode()
    assert "Révisions" in html
    assert url("quote", agency, quote_id=quote.pk) in html


def test_withdrawing_and_recording_a_refusal_keep_their_reasons(
    client, agency, agency_sales, bakery
):
    first, second = open_quote(agency, bakery), open_quote(agency, bakery)
    client.force_login(agency_sales)

    response = client.post(url("quote_refuse", agency, quote_id=first.pk), {"refuse-reason": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()

    client.post(url("quote_refuse", agency, quote_id=first.pk), {"refuse-reason": "Trop cher"})
    client.post(url("quote_withdraw", agency, quote_id=second.pk), {"withdraw-reason": "Erreur"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.refusal_reason) == (QuoteStatus.REFUSED, "Trop cher")
    assert (second.status, second.withdrawal_reason) == (QuoteStatus.WITHDRAWN, "Erreur")
    html = client.get(url("quote", agency, quote_id=first.pk)).content.decode()
    assert "« Trop cher »" in html


def test_attachments_upload_and_the_mockup_is_marked_non_contractual(
    client, agency, agency_sales, bakery
):
    draft = make_quote(agency, bakery)
    client.force_login(agency_sales)
    add = url("quote_attachment_add", agency, quote_id=draft.pk)
    client.post(add, {"kind": "specification", "title": "Cahier v2", "file": pdf_file()})
    client.post(add, {"kind": "mockup", "title": "Accueil", "file": pdf_file("maquette.pdf")})
    bad = client.post(
        add,
        {"kind": "specification", "file": SimpleUploadedFile("notes.txt", b"hello")},
    )
    assert bad.status_code == 400
    assert "Le cahier des charges doit être un PDF" in bad.content.decode()

    html = client.get(url("quote", agency, quote_id=draft.pk)).content.decode()
    assert "Maquette · non contractuelle" in html
    assert "Cahier des charges · contractuel une fois le devis accepté" in html
    attachment = draft.attachments.get(kind="mockup")
    download = client.get(
        url("quote_attachment", agency, quote_id=draft.pk, attachment_id=attachment.pk)
    )
    assert download.status_code == 200
    assert "sandbox" in download["Content-Security-Policy"]
    client.post(
        url("quote_attachment_remove", agency, quote_id=draft.pk, attachment_id=attachment.pk)
    )
    assert not draft.attachments.filter(kind="mockup").exists()


# --- acceptance received by email or by post ---------------------------------------------


def test_an_email_of_consent_accepts_the_quote_and_opens_the_order(
    client, agency, agency_sales, bakery
):
    quote = open_quote(agency, bakery)
    eml, message_id = consent_eml(sent=timezone.now() - timedelta(minutes=10))
    client.force_login(agency_sales)
    response = client.post(
        url("quote_accept_email", agency, quote_id=quote.pk),
        {"email-eml": eml, "email-signatory_role": "Gérante"},
    )

    acceptance = QuoteAcceptance.objects.get(quote=quote)
    order = quote.order
    assert response["Location"] == url("order", agency, order_id=order.pk)
    assert acceptance.method == "email_consent"
    assert acceptance.email_message_id == message_id
    assert acceptance.signatory_name == "Camille Martin"  # the sender's name
    assert order.status == OrderStatus.AWAITING_DEPOSIT
    html = client.get(url("quote", agency, quote_id=quote.pk)).content.decode()
    assert "Preuve de l'acceptation" in html
    assert message_id.strip("<>") in html
    assert url("order", agency, order_id=order.pk) in html  # the order it became (orders' tag)
    assert f"Voir la commande {order.reference}" in html
    evidence = client.get(url("quote_acceptance_evidence", agency, quote_id=quote.pk))
    assert evidence.status_code == 200


def test_an_email_dated_before_the_sending_is_refused_next_to_the_file(
    client, agency, agency_sales, bakery
):
    quote = open_quote(agency, bakery)
    eml, _id = consent_eml(sent=timezone.now() - timedelta(days=2))
    client.force_login(agency_sales)
    response = client.post(
        url("quote_accept_email", agency, quote_id=quote.pk),
        {"email-eml": eml, "email-signatory_role": "Gérante"},
    )
    html = shown(response)
    assert response.status_code == 400
    assert "avant l'envoi du devis" in html
    assert 'id="accept-email" open' in html  # the form stays open on its error
    assert not QuoteAcceptance.objects.exists()


def test_a_signed_copy_without_the_company_stamp_is_refused_then_accepted_with_it(
    client, agency, agency_sales, bakery
):
    quote = open_quote(agency, bakery)
    client.force_login(agency_sales)
    data = {
        "postal-signatory_name": "Camille Martin",
        "postal-signatory_role": "Gérante",
        "postal-signed_on": timezone.localdate().isoformat(),
        "postal-shows_bon_pour_accord": "on",
        "postal-shows_signature": "on",
        "postal-shows_date": "on",
    }
    scan = pdf_file("bon-pour-accord.pdf")
    response = client.post(
        url("quote_accept_postal", agency, quote_id=quote.pk), data | {"postal-scan": scan}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "il y manque le cachet commercial" in html
    assert 'value="Camille Martin"' in html  # nothing lost

    scan = pdf_file("bon-pour-accord.pdf")
    response = client.post(
        url("quote_accept_postal", agency, quote_id=quote.pk),
        data | {"postal-scan": scan, "postal-shows_stamp": "on"},
    )
    assert response.status_code == 302
    acceptance = QuoteAcceptance.objects.get(quote=quote)
    assert acceptance.method == "postal_signed"
    assert acceptance.postal_checks["stamp"] is True


# --- PDF -------------------------------------------------------------------------------------


def test_the_pdf_of_a_sent_quote_is_the_document_with_its_number(
    client, agency, agency_accountant, bakery
):
    quote = open_quote(agency, bakery)
    client.force_login(agency_accountant)
    response = client.get(url("quote_pdf", agency, quote_id=quote.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"Devis n° {quote.display_number}" in text_of(response.content)
    assert response["X-Document-SHA256"] == render_quote_pdf(quote=quote).sha256

    draft = make_quote(agency, bakery)
    assert client.get(url("quote_pdf", agency, quote_id=draft.pk)).status_code == 404


def test_home_counts_quotes_awaiting_an_answer_and_orders_awaiting_a_deposit(
    client, agency, agency_owner, bakery
):
    open_quote(agency, bakery, days=3)
    open_quote(agency, bakery, days=20)
    client.force_login(agency_owner)
    html = shown(client.get(url("home", agency)))
    assert "Devis et commandes" in html
    assert re.search(r'<span class="stat__value">2</span></a>\s*devis en attente de réponse', html)
    assert re.search(r'<span class="stat__value">1</span></a>\s*expire dans les 7 jours', html)
    assert "?status=sent&expiring=1" in html
    assert re.search(r'<span class="stat__value">0</span></a>\s*commandes? en attente', html)
