"""Invoicing fixtures: both seed sellers, with clients of each kind."""

from __future__ import annotations

import pytest

from tests.factories import make_client, make_contact
from tests.factories.invoicing import invoicing_agency


@pytest.fixture
def agency(db):
    return invoicing_agency()


@pytest.fixture
def company(agency):
    client = make_client(agency, kind="company", name="Boulangerie Martin SARL", siren="552081317")
    make_contact(client, name="Camille Martin", role="Gérante")
    return client


@pytest.fixture
def consumer(agency):
    client = make_client(agency, kind="consumer", name="Nadia Lefèvre")
    make_contact(client, name="Nadia Lefèvre")
    return client


@pytest.fixture
def shop(db):
    """A VAT-charging seller whose terms only say "paiement à 30 jours" (no penalty clause):
    its invoices to consumers need no legal rate, whatever the date."""
    from tests.factories import make_published_terms, make_seller

    seller = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(seller)
    return seller


@pytest.fixture
def shopper(shop):
    return make_client(shop, kind="consumer", name="Julien Martin")
