"""Fixtures of the web agency's people (seed 002), shared by the quotes and orders tests: a
sales staff member, a company client and its contact. Each folder's conftest imports them."""

from __future__ import annotations

import pytest

from tests.factories import make_client, make_contact, make_staff


@pytest.fixture
def staff(agency):
    return make_staff(agency, role="sales")


@pytest.fixture
def client_company(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL")


@pytest.fixture
def contact(client_company):
    return make_contact(client_company, name="Camille Martin", role="Gérante")
