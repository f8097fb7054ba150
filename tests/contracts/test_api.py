"""The contracts API: the list with each next term and notice deadline, a notice received by
registered letter recorded and decided at once; refusals as JSON 4xx naming the field, and
another seller's contract a 404."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.contracts.models import Contract
from tests.contracts.conftest import open_yearly

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(agency):
    return agency


def test_a_registered_letter_is_recorded_through_the_api_and_read_back(api, agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2025, 6, 1))

    listed = api.get("/contracts").json()
    assert listed["count"] == 1
    [item] = listed["items"]
    assert (item["term_end"], item["notice_deadline"]) == ("2026-05-31", "2026-04-30")
    assert item["lines"][0]["kind"] == "hosting"

    response = api.post(
        f"/contracts/{contract.pk}/notices",
        {
            "given_by": "client",
            "channel": "registered_letter",
            "sent_on": "2026-04-27",
            "received_on": "2026-04-30",
            "tracking_number": "1A 234",
        },
        key="n-1",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["in_time"], body["effective_on"]) == (True, "2026-05-31")
    assert api.get(f"/contracts/{contract.pk}").json()["status"] == "notice_given"

    again = api.post(
        f"/contracts/{contract.pk}/notices",
        {"given_by": "client", "channel": "email", "received_on": "2026-04-30"},
        key="n-2",
    )
    assert again.status_code == 409


def test_a_letter_without_its_tracking_number_is_refused_and_nothing_is_written(
    api, agency, bakery
):
    contract = open_yearly(agency, bakery, start_on=date(2025, 6, 1))
    response = api.post(
        f"/contracts/{contract.pk}/notices",
        {
            "given_by": "client",
            "channel": "registered_letter",
            "sent_on": "2026-04-27",
            "received_on": "2026-04-30",
        },
        key="n-3",
    )
    assert response.status_code == 422, response.content
    assert "tracking_number" in response.content.decode()
    assert Contract.objects.get(pk=contract.pk).status == "active"


def test_another_sellers_contract_is_a_404(other_api, agency, bakery):
    contract = open_yearly(agency, bakery, start_on=date(2025, 6, 1))
    assert other_api.get(f"/contracts/{contract.pk}").status_code == 404


def test_the_claims_register_lists_each_claim_with_its_cap(api, agency, bakery):
    from tests.contracts.test_claims import claim_on, order_invoice, pay, service_contract
    from tests.factories.quotes import paris

    same, order, contract = service_contract(bakery, vat=False)
    assert same.pk == agency.pk
    invoice = order_invoice(same, bakery, order, ht="1200.00", day=paris(2026, 6, 1, 10))
    pay(invoice, "1200.00", date(2026, 6, 15))
    claim = claim_on(contract)

    page = api.get("/contracts/claims").json()
    assert page["count"] == 1
    [item] = page["items"]
    assert item["id"] == claim.pk
    assert (item["paid_ht"], item["cap_ht"]) == ("1200.00", "600.00")
    assert (item["cap_clause"], item["terms_version"]) == ("liability.cap", "v3.0")
    assert api.get("/contracts/claims?status=rejected").json()["count"] == 0
    assert api.get("/contracts/claims?status=nope").status_code == 422
