"""Payments fixtures: the shop of the invoicing tests (30-day terms, consumers need no legal
rate) and one of its clients."""

from __future__ import annotations

import pytest

from tests.factories import make_client, make_published_terms, make_seller


@pytest.fixture
def shop(db):
    seller = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(seller)
    return seller


@pytest.fixture
def shopper(shop):
    return make_client(shop, kind="consumer", name="Julien Martin")
