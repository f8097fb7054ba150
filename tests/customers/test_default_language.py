"""The seller's default language is the one proposed for its new clients (back-office form,
API) and the language of the documents of a client without a preference."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from clausier.customers.models import Client
from clausier.customers.selectors import document_language
from clausier.customers.services import update_client
from clausier.quotes import delivery
from clausier.sellers.services import upsert_seller
from tests.factories import make_client
from tests.factories.quotes import sent_quote
from tests.quotes.test_printing import text_of

pytestmark = pytest.mark.django_db

NEW_CLIENT = {
    "kind": "company",
    "name": "Bakery Ltd",
    "siren": "",
    "vat_number": "",
    "email": "accounts@bakery.test",
    "phone": "",
    "billing_line1": "3 rue du Four",
    "billing_line2": "",
    "billing_postal_code": "44000",
    "billing_city": "Nantes",
    "billing_country": "FR",
}


@pytest.fixture
def english_seller(seller):
    return upsert_seller(slug=seller.slug, fields={"default_language": "en"}, by=None)


def selected_language(html: str) -> str:
    select = re.search(r'<select name="preferred_language".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\w*)"[^>]*selected', select).group(1)


def test_the_client_form_proposes_the_sellers_language(client, owner, english_seller):
    client.force_login(owner)
    url = reverse("backoffice:client_new", args=[english_seller.slug])

    page = unescape(client.get(url).content.decode())
    assert selected_language(page) == "en"
    assert "Sans préférence (langue par défaut du vendeur)" in page

    response = client.post(url, NEW_CLIENT | {"preferred_language": "en"})
    assert response.status_code == 302
    assert Client.objects.get(name="Bakery Ltd").preferred_language == "en"


def test_a_french_seller_still_proposes_french(client, owner, seller):
    client.force_login(owner)
    page = client.get(reverse("backoffice:client_new", args=[seller.slug])).content.decode()
    assert selected_language(page) == "fr"


def test_the_api_gives_a_new_client_the_sellers_language_unless_told(api, english_seller):
    body = api.post("/clients", NEW_CLIENT).json()
    assert body["preferred_language"] == "en"
    body = api.post("/clients", NEW_CLIENT | {"preferred_language": "fr"}).json()
    assert body["preferred_language"] == "fr"


def test_a_client_without_preference_reads_its_documents_in_the_sellers_language(agency):
    buyer = make_client(agency, "company", name="Bakery Ltd", siren="552081317")
    buyer = update_client(client=buyer, fields={"preferred_language": ""}, by=None)
    assert buyer.preferred_language == ""
    assert document_language(client=buyer) == "fr"

    upsert_seller(slug=agency.slug, fields={"default_language": "en"}, by=None)
    buyer.refresh_from_db()
    assert document_language(client=buyer) == "en"
    quote = sent_quote(agency, buyer)
    quote = delivery.ensure_pdf(quote)
    assert quote.pdf_language == "en"
    with quote.pdf.open("rb") as stored:
        assert "Total excl. VAT" in text_of(stored.read())

    # A client's own preference wins over the seller's.
    buyer = update_client(client=buyer, fields={"preferred_language": "fr"}, by=None)
    assert document_language(client=buyer) == "fr"
