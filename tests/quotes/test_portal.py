"""The client's quotes and orders in the portal, and "Bon pour accord" in one screen, on the
web agency's real seed (CGV v3.0)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html import unescape

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.orders.models import OrderStatus
from clausier.quotes import services as quote_services
from clausier.quotes.models import QuoteAcceptance, QuoteStatus
from clausier.quotes.printing import render_quote_pdf
from tests.factories import make_client, make_contact, make_staff
from tests.factories.quotes import make_quote, sent_quote

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def open_quote(seller, client, *, days: int = 30, **kwargs):
    return sent_quote(
        seller,
        client,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=days),
        **kwargs,
    )


def sha_on_page(response) -> str:
    return re.search(r'name="document_sha256" value="([0-9a-f]{64})"', response.content.decode())[1]


def accept(client, quote, sha, **overrides):
    data = {
        "document_sha256": sha,
        "consent": "on",
        "signatory_name": "Camille Martin",
        "signatory_role": "Gérante",
    } | overrides
    return client.post(
        reverse("portal:quote_accept", args=[quote.pk]),
        {k: v for k, v in data.items() if v is not None},
        REMOTE_ADDR="203.0.113.20",
        HTTP_USER_AGENT="Mozilla/5.0 (Portail)",
    )


# --- my quotes -------------------------------------------------------------------------------


def test_my_quotes_lists_what_was_sent_to_my_client_and_never_a_draft(
    client, agency, bakery, bakery_contact
):
    sent = open_quote(agency, bakery, days=3)
    refused = open_quote(agency, bakery)
    quote_services.refuse_quote(quote=refused, reason="Trop cher", by=None)
    expired = sent_quote(agency, bakery)  # valid until 31/05/2026: past
    draft = make_quote(agency, bakery)
    neighbour = open_quote(agency, make_client(agency, name="Voisin SARL"))
    client.force_login(bakery_contact.user)

    html = shown(client.get(reverse("portal:quotes")))

    assert f"Devis {sent.display_number}" in html
    assert "expire dans 3 jours" in html
    assert ">Refusé</span>" in html
    assert refused.display_number in html
    assert expired.display_number in html
    assert "expiré" in html
    assert reverse("portal:quote", args=[draft.pk]) not in html
    assert "Brouillon" not in html
    assert neighbour.display_number not in html or neighbour.client_id == bakery.pk
    assert reverse("portal:quote", args=[neighbour.pk]) not in html
    assert "Lire et répondre" in html


def test_my_quotes_says_what_will_come_when_there_is_none(client, agency, bakery_contact):
    client.force_login(bakery_contact.user)
    html = shown(client.get(reverse("portal:quotes")))
    assert "Vous n'avez encore reçu aucun devis." in html


def test_home_points_to_the_quotes_awaiting_an_answer(client, agency, bakery, bakery_contact):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    html = shown(client.get(reverse("portal:home")))
    assert "Devis en attente de votre réponse" in html
    assert reverse("portal:quote", args=[quote.pk]) in html


def test_quote_lists_query_count_does_not_grow_with_rows(
    client, agency, bakery, bakery_contact, django_assert_num_queries
):
    open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    client.get(reverse("portal:quotes"))
    # session, user, contact (with client and seller), count, page of quotes
    with django_assert_num_queries(5):
        client.get(reverse("portal:quotes"))
    for _ in range(8):
        open_quote(agency, bakery)
    with django_assert_num_queries(5):
        client.get(reverse("portal:quotes"))


def test_drafts_and_other_clients_quotes_are_404(client, agency, bakery, bakery_contact):
    draft = make_quote(agency, bakery)
    theirs = open_quote(agency, make_client(agency, name="Voisin SARL"))
    client.force_login(bakery_contact.user)
    for quote in (draft, theirs):
        for name in ("portal:quote", "portal:quote_pdf"):
            assert client.get(reverse(name, args=[quote.pk])).status_code == 404
        assert accept(client, quote, "0" * 64).status_code == 404
        refuse = reverse("portal:quote_refuse", args=[quote.pk])
        assert client.post(refuse, {"reason": "non"}).status_code == 404


def test_staff_cannot_open_the_portal_quote(client, agency, bakery):
    quote = open_quote(agency, bakery)
    client.force_login(make_staff(agency))
    assert client.get(reverse("portal:quote", args=[quote.pk])).status_code == 404


# --- "Bon pour accord" -----------------------------------------------------------------------


def test_the_accept_screen_has_the_summary_the_pdf_and_the_statement_to_tick(
    client, agency, bakery, bakery_contact
):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)

    response = client.get(reverse("portal:quote", args=[quote.pk]))

    html = shown(response)
    assert response.status_code == 200
    assert "Bon pour accord" in html
    assert "3 411,00 €" in html
    assert "1 023,30 €" in html  # the deposit asked on acceptance, with its "pourquoi ?"
    assert "Pourquoi ?" in html
    assert reverse("portal:quote_pdf", args=[quote.pk]) in html
    statement = f"J'accepte le devis n° {quote.display_number} sans modification et les CGV v3.0."
    assert re.search(r'<label for="id_consent">\s*' + re.escape(statement), html)
    assert 'value="Camille Martin"' in html
    assert 'value="Gérante"' in html
    assert sha_on_page(response) == render_quote_pdf(quote=quote).sha256
    assert "J'accepte le devis" in html
    assert "Refuser le devis" in html


def test_accepting_online_keeps_the_evidence_and_opens_the_order(
    client, agency, bakery, bakery_contact
):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    sha = sha_on_page(client.get(reverse("portal:quote", args=[quote.pk])))

    response = accept(client, quote, sha)

    assert response.status_code == 302
    acceptance = QuoteAcceptance.objects.get(quote=quote)
    assert acceptance.method == "online"
    assert acceptance.document_sha256 == sha
    assert acceptance.ip_address == "203.0.113.20"
    assert acceptance.user_agent == "Mozilla/5.0 (Portail)"
    assert acceptance.signatory_role == "Gérante"
    assert acceptance.contact == bakery_contact
    page = shown(client.get(response["Location"]))
    assert "vous avez accepté le devis" in page
    assert "En attente d'acompte" in page
    assert "art. 5 CGV v3.0, 30 % du total HT (1 023,30 €) à encaisser" in page
    assert "J'accepte le devis" not in page  # nothing left to accept

    orders = shown(client.get(reverse("portal:orders")))
    assert quote.order.reference in orders
    assert "En attente d'acompte" in orders
    assert "payment.deposit" in orders


def test_a_pdf_that_changed_since_the_page_was_shown_is_not_accepted(
    client, agency, bakery, bakery_contact
):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    response = accept(client, quote, "a" * 64)
    assert response.status_code == 302
    assert not QuoteAcceptance.objects.exists()
    assert "Le devis a changé depuis l'affichage" in shown(client.get(response["Location"]))


def test_the_statement_must_be_ticked_and_the_signatory_named(
    client, agency, bakery, bakery_contact
):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    sha = render_quote_pdf(quote=quote).sha256
    response = accept(client, quote, sha, consent=None, signatory_role="")
    html = shown(response)
    assert response.status_code == 400
    assert "Cochez la case pour accepter le devis." in html
    assert '<a href="#id_signatory_role">Votre qualité</a>' in html
    assert not QuoteAcceptance.objects.exists()


def test_a_consumer_signs_without_a_role(client, agency):
    consumer = make_client(agency, "consumer", name="Nadia Lefèvre")
    nadia = make_contact(consumer, name="Nadia Lefèvre")
    quote = open_quote(agency, consumer)
    client.force_login(nadia.user)
    response = client.get(reverse("portal:quote", args=[quote.pk]))
    assert "signatory_role" not in response.content.decode()
    accepted = accept(client, quote, sha_on_page(response), signatory_role=None)
    assert accepted.status_code == 302
    assert QuoteAcceptance.objects.get(quote=quote).signatory_role == ""


def test_an_expired_quote_says_why_it_cannot_be_accepted(client, agency, bakery, bakery_contact):
    quote = sent_quote(agency, bakery)  # valid until 31/05/2026, long past
    client.force_login(bakery_contact.user)

    html = shown(client.get(reverse("portal:quote", args=[quote.pk])))
    message = (
        f"Le devis {quote.display_number} a expiré le 31/05/2026 à minuit (heure de Paris) : "
        "il ne peut plus être accepté."
    )
    assert message in html
    assert "J'accepte le devis" not in html

    response = accept(client, quote, render_quote_pdf(quote=quote).sha256)
    assert response.status_code == 409
    assert message in shown(response)
    assert not QuoteAcceptance.objects.exists()


def test_a_superseded_quote_points_to_its_revision_once_sent(
    client, agency, bakery, bakery_contact
):
    quote = open_quote(agency, bakery)
    revision = quote_services.revise_quote(quote=quote, by=None)
    client.force_login(bakery_contact.user)
    html = shown(client.get(reverse("portal:quote", args=[quote.pk])))
    assert "a été remplacé par sa révision" in html
    assert reverse("portal:quote", args=[revision.pk]) not in html  # still a draft
    quote_services.send_quote(quote=revision, by=None)
    html = shown(client.get(reverse("portal:quote", args=[quote.pk])))
    assert reverse("portal:quote", args=[revision.pk]) in html


def test_refusing_records_the_reason(client, agency, bakery, bakery_contact):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    refuse = reverse("portal:quote_refuse", args=[quote.pk])
    response = client.post(refuse, {"reason": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in shown(response)
    response = client.post(refuse, {"reason": "Nous avons choisi un autre prestataire"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REFUSED
    assert quote.refusal_reason == "Nous avons choisi un autre prestataire"


def test_the_pdf_link_serves_the_quote_as_a_pdf(client, agency, bakery, bakery_contact):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    response = client.get(reverse("portal:quote_pdf", args=[quote.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert quote.display_number in text


# --- my orders -------------------------------------------------------------------------------


def test_my_orders_show_their_state_and_what_they_wait_for(
    client, agency, bakery, bakery_contact, django_assert_num_queries
):
    client.force_login(bakery_contact.user)
    assert "Vous n'avez pas encore de commande." in shown(client.get(reverse("portal:orders")))
    quote = open_quote(agency, bakery, requires_deposit=False)
    quote_services.accept_quote_online(
        quote=quote,
        contact=bakery_contact,
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        consent=True,
        ip_address=None,
        user_agent="",
    )
    html = shown(client.get(reverse("portal:orders")))
    assert quote.order.status == OrderStatus.READY
    assert "Prête à démarrer" in html
    assert "Commande validée, sans acompte : les travaux peuvent commencer." in html
    # session, user, contact, count, page of orders (with quote and deposit), and whether
    # the terms in force take online orders (the version, again with its clauses: 3 queries)
    with django_assert_num_queries(8):
        client.get(reverse("portal:orders"))


def test_the_portal_quote_page_speaks_english_under_en(client, agency, bakery, bakery_contact):
    quote = open_quote(agency, bakery)
    client.force_login(bakery_contact.user)
    html = shown(client.get("/en" + reverse("portal:quote", args=[quote.pk])))
    assert "I accept the quote" in html
    assert "My quotes" in html
