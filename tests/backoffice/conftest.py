"""Two sellers, each with staff of several roles and clients: enough to test scoping."""

import pytest

from clausier.sellers.models import Role
from tests.factories import make_client, make_published_terms, make_seller, make_staff


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seller():
    return make_seller("alpha")


@pytest.fixture
def other_seller():
    return make_seller("beta")


@pytest.fixture
def owner(seller):
    return make_staff(seller, Role.OWNER)


@pytest.fixture
def accountant(seller):
    return make_staff(seller, Role.ACCOUNTANT)


@pytest.fixture
def sales(seller):
    return make_staff(seller, Role.SALES)


@pytest.fixture
def a_client(seller):
    return make_client(seller, "company", name="Atelier Durand", siren="732829320")


@pytest.fixture
def other_client(other_seller):
    return make_client(other_seller, "company", name="Beta Client")


@pytest.fixture
def terms(seller):
    return make_published_terms(seller, "v1")


@pytest.fixture
def other_terms(other_seller):
    return make_published_terms(other_seller, "v9")
