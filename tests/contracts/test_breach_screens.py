"""The contract page (back office): a breach letter recorded, its deadline shown with its
explanation, the remedy recorded in time; a remedy too late refused next to its field."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from clausier.contracts.models import Breach
from tests.contracts.conftest import open_yearly

pytestmark = pytest.mark.django_db


def _url(agency, contract, name="contract"):
    return reverse(f"backoffice:{name}", kwargs={"slug": agency.slug, "contract_id": contract.pk})


def test_staff_record_a_breach_then_its_remedy_from_the_contract_page(
    client, agency, bakery, agency_owner
):
    contract = open_yearly(agency, bakery, start_on=date(2026, 1, 1))
    client.force_login(agency_owner)
    sent = client.post(
        _url(agency, contract, "contract_breach"),
        {
            "given_by": "client",
            "description": "Sauvegardes non effectuées",
            "sent_on": "2026-04-30",
            "tracking_number": "1A00000000042",
            "remedy_possible": "on",
        },
    )
    assert sent.status_code == 302
    page = client.get(_url(agency, contract)).content.decode()
    assert "Sauvegardes non effectuées" in page
    assert "19/05/2026" in page  # the 10th jour ouvré, holidays skipped
    too_late = client.post(_url(agency, contract, "contract_remedy"), {"remedied_on": "2026-05-20"})
    assert too_late.status_code == 400
    assert "trop tard" in too_late.content.decode()
    assert Breach.objects.get().remedied_on is None
    cured = client.post(
        _url(agency, contract, "contract_remedy"),
        {"remedied_on": "2026-05-19", "note": "Sauvegardes rétablies"},
    )
    assert cured.status_code == 302
    assert Breach.objects.get().remedied_on == date(2026, 5, 19)
