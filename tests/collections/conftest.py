"""Collections fixtures: a VAT-charging shop whose terms add the agency's late-payment
clause (3 × the legal rate on the invoice date, on the HT still due, seed 002 art. 6), a
professional client and a consumer."""

from __future__ import annotations

import pytest

from tests.factories import make_client, make_published_terms, make_seller

LATE_PENALTY = {
    "clause_id": "late.penalty",
    "kind": "late.penalty",
    "article": "art. 6",
    "title": "Retard de paiement",
    "excerpt": "trois (3) fois le taux d'intérêt légal (en vigueur au jour de la facturation)",
    "parameters": {
        "multiplier": "3",
        "of": "legal_rate",
        "rate_date": "invoice_date",
        "base": "ht_remaining",
    },
}


# Seed 002 art. 6: « exigibilité immédiate de toute somme restant due », suspension of the
# work and of new orders.
LATE_CONSEQUENCES = {
    "clause_id": "late.consequences",
    "kind": "late.consequences",
    "article": "art. 6",
    "title": "Retard : exigibilité immédiate, suspension",
    "excerpt": "L'exigibilité immédiate de toute somme restant due",
    "parameters": {"all_sums_due": True, "suspend_work": True, "refuse_new_orders": True},
}


@pytest.fixture
def shop(db):
    seller = make_seller("recouvreur", vat_number="FR87524172699")
    make_published_terms(seller, more_clauses=(LATE_PENALTY, LATE_CONSEQUENCES))
    return seller


@pytest.fixture
def company(shop):
    return make_client(shop, kind="company", name="Atelier Dupont SARL", siren="552081317")


@pytest.fixture
def consumer(shop):
    return make_client(shop, kind="consumer", name="Julien Martin")


@pytest.fixture
def seller(shop):
    """The seller the API token belongs to (``tests.api_client``)."""
    return shop


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks (a reminder's e-mail) run as soon as they are queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
