"""A client suspended for non-payment (seed 002 art. 6: « surseoir à toute nouvelle
commande ») cannot accept a quote, whichever way the consent comes: online in the portal, by
e-mail or post recorded by staff or through the API. The refusal cites the clause."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.customers import services as customer_services
from clausier.quotes import services
from clausier.quotes.models import QuoteAcceptance, QuoteStatus
from clausier.quotes.services import QuoteNotAcceptable
from tests.factories.quotes import consent_eml, sent_quote

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Commandes suspendues pour impayé (art. 6 CGV v3.0) : le client doit d'abord régler ses "
    "factures en retard."
)


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


@pytest.fixture
def suspended(bakery):
    return customer_services.mark_suspended(
        client=bakery, since=timezone.now(), reason="art. 6 CGV v3.0", by=None
    )


@pytest.fixture
def quote(agency, bakery):
    return sent_quote(
        agency,
        bakery,
        now=timezone.now() - timedelta(hours=1),
        valid_until=timezone.localdate() + timedelta(days=30),
    )


def test_a_suspended_client_cannot_accept_a_quote_online(quote, bakery_contact, suspended):
    with pytest.raises(QuoteNotAcceptable) as refused:
        services.accept_quote_online(
            quote=quote,
            contact=bakery_contact,
            signatory_name="Camille Martin",
            signatory_role="Gérante",
            consent=True,
            ip_address="203.0.113.7",
            user_agent="Mozilla/5.0",
            document_sha256="a" * 64,
        )
    assert str(refused.value) == REFUSAL
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert not QuoteAcceptance.objects.filter(quote=quote).exists()


def test_once_the_suspension_is_lifted_the_quote_can_be_accepted(
    quote, bakery, bakery_contact, suspended
):
    customer_services.mark_resumed(client=bakery, reason="factures réglées", by=None)
    accepted = services.accept_quote_online(
        quote=quote,
        contact=bakery_contact,
        signatory_name="Camille Martin",
        signatory_role="Gérante",
        consent=True,
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        document_sha256="a" * 64,
    )
    assert accepted.quote.status == QuoteStatus.ACCEPTED


def test_the_api_answers_409_citing_the_clause_and_records_nothing(agency_api, quote, suspended):
    upload, _message_id = consent_eml(sent=timezone.now() - timedelta(minutes=1))
    response = agency_api.post(
        f"/quotes/{quote.pk}/acceptances/email",
        form={"eml": upload, "signatory_role": "Gérante"},
    )
    assert response.status_code == 409, response.content
    assert response.json()["detail"] == REFUSAL
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert not QuoteAcceptance.objects.filter(quote=quote).exists()


def test_the_portal_quote_page_says_why_and_offers_no_acceptance(
    client, quote, bakery_contact, suspended
):
    client.force_login(bakery_contact.user)
    page = client.get(reverse("portal:quote", args=[quote.pk]))
    assert page.status_code == 200
    assert REFUSAL in shown(page)
    assert 'name="document_sha256"' not in page.content.decode()

    posted = client.post(
        reverse("portal:quote_accept", args=[quote.pk]),
        {
            "document_sha256": "a" * 64,
            "consent": "on",
            "signatory_name": "Camille Martin",
            "signatory_role": "Gérante",
        },
    )
    assert posted.status_code == 409
    assert REFUSAL in shown(posted)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_the_portal_tells_a_suspended_client_on_its_home_and_quotes(
    client, bakery, bakery_contact, suspended
):
    client.force_login(bakery_contact.user)
    for name in ("portal:home", "portal:quotes"):
        page = shown(client.get(reverse(name)))
        assert "Compte suspendu pour impayé" in page
        assert "en application de art. 6 CGV v3.0" in page
    customer_services.mark_resumed(client=bakery, reason="réglé", by=None)
    assert "Compte suspendu" not in shown(client.get(reverse("portal:home")))
