"""Contracts fixtures: the web agency of seed 002 (CGV v3.0, art. 7: tacit renewal unless a
registered letter is received at least one month before the term), a professional client
(the bakery) and a consumer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.contracts import services
from clausier.terms.selectors import current_version

HOSTING = {"kind": "hosting", "description": "Hébergement du site", "amount_ht": "1200.00"}
DOMAIN = {"kind": "domain", "description": "Nom de domaine boulangerie.fr", "amount_ht": "24.00"}


def open_yearly(seller, client, *, start_on: date, reference: str = "C-1", lines=None, **kw):
    return services.open_contract(
        seller=seller,
        client=client,
        reference=reference,
        start_on=start_on,
        period_months=kw.pop("period_months", 12),
        lines=lines if lines is not None else [dict(HOSTING)],
        terms_version=current_version(seller=seller),
        by=None,
        **kw,
    )


@pytest.fixture
def agency_consumer(agency):
    from tests.factories import make_client

    return make_client(agency, "consumer", name="Lucie Moreau", email="lucie.moreau@example.test")


@pytest.fixture
def money():
    return Decimal
