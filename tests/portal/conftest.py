"""A seller with two clients, each with a portal contact; another seller with its own."""

import pytest

from tests.factories import (
    make_client,
    make_contact,
    make_published_terms,
    make_seller,
    make_staff,
)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seller():
    return make_seller("atelier", brand_color="#7a2e8c")


@pytest.fixture
def consumer(seller):
    return make_client(seller, "consumer", name="Jeanne Dupont")


@pytest.fixture
def contact(consumer):
    return make_contact(consumer, name="Jeanne Dupont", phone="0601020304")


@pytest.fixture
def neighbour(seller):
    """Another client of the same seller."""
    client = make_client(seller, "company", name="Voisin SARL")
    make_contact(client, name="Victor Voisin")
    return client


@pytest.fixture
def terms(seller):
    return make_published_terms(seller, "v1")


@pytest.fixture
def other_seller_terms():
    return make_published_terms(make_seller("ailleurs"), "v7")


@pytest.fixture
def staff(seller):
    return make_staff(seller)
