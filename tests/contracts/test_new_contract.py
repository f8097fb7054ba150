"""Staff open a contract by hand (« Nouveau contrat »): client, services, start, period; the
renewal and the notice come from the seller's current terms (seed 002 art. 7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clausier.contracts.models import Contract

pytestmark = pytest.mark.django_db


def test_staff_open_a_contract_with_its_services_and_the_terms_renewal(
    client, agency, agency_owner, bakery
):
    client.force_login(agency_owner)
    url = reverse("backoffice:contract_new", args=[agency.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "client": bakery.pk,
            "reference": "MCO-2026-01",
            "start_on": "2026-09-01",
            "period_months": "12",
            "kind_1": "maintenance",
            "description_1": "Maintenance du site (MCO)",
            "amount_1": "600.00",
            "vat_1": "0",
            "kind_2": "domain",
            "description_2": "Nom de domaine boulangerie.fr",
            "amount_2": "15.00",
            "vat_2": "0",
        },
    )
    contract = Contract.objects.get(reference="MCO-2026-01")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:contract", args=[agency.slug, contract.pk])
    assert (contract.client, contract.start_on, contract.term_end) == (
        bakery,
        date(2026, 9, 1),
        date(2027, 8, 31),
    )
    # CGV v3.0 art. 7: tacit renewal, one month's notice.
    assert (contract.tacit_renewal, contract.notice_months) == (True, 1)
    assert contract.notice_source == "CGV v3.0 art. 7"
    assert [(line.kind, line.amount_ht) for line in contract.lines.all()] == [
        ("maintenance", Decimal("600.00")),
        ("domain", Decimal("15.00")),
    ]


def test_a_contract_without_any_service_is_refused_naming_the_rule(
    client, agency, agency_owner, bakery
):
    client.force_login(agency_owner)
    response = client.post(
        reverse("backoffice:contract_new", args=[agency.slug]),
        {"client": bakery.pk, "reference": "X-1", "start_on": "2026-09-01", "period_months": "12"},
    )
    assert response.status_code == 400
    assert "au moins une prestation récurrente" in response.content.decode()
    assert not Contract.objects.filter(reference="X-1").exists()
