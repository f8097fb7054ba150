"""Quote fixtures: the web agency of seed 002 installed from its real seed (CGV v3.0)."""

from __future__ import annotations

import pytest

from tests.agency_fixtures import client_company, contact, staff  # noqa: F401 (fixtures)
from tests.factories import make_client, make_contact, make_staff

# --- the PaaS host of seed 000 (online orders) ---------------------------------------------


@pytest.fixture
def paas(db):
    from tests.orders.online import install_paas

    return install_paas()


@pytest.fixture
def consumer(paas):
    return make_client(
        paas,
        kind="consumer",
        name="Émilie Durand",
        email="emilie.durand@example.test",
        billing_line1="12 rue des Olivettes",
        billing_postal_code="44000",
        billing_city="Nantes",
    )


@pytest.fixture
def consumer_login(consumer):
    return make_contact(consumer, name="Émilie Durand", email="emilie.durand@example.test").user


@pytest.fixture
def company(paas):
    return make_client(
        paas,
        kind="company",
        name="Studio Graphique Loire SARL",
        siren="732829320",
        vat_number="FR44732829320",
    )


@pytest.fixture
def paas_staff(paas):
    return make_staff(paas, role="owner")
