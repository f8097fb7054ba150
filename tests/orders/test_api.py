"""Orders through the API, read-only: what was accepted and what the order waits for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clausier.quotes import services
from clausier.web.api import today_in_paris
from tests.factories import make_client
from tests.factories.quotes import consent_eml, make_quote

pytestmark = pytest.mark.django_db


def accepted(agency, client, *, requires_deposit: bool):
    quote = make_quote(
        agency,
        client,
        requires_deposit=requires_deposit,
        valid_until=today_in_paris() + timedelta(days=30),
    )
    quote = services.send_quote(quote=quote, by=None, now=timezone.now() - timedelta(hours=1))
    eml, _ = consent_eml(sent=timezone.now() - timedelta(minutes=5))
    return services.record_email_acceptance(
        quote=quote, eml=eml, by=None, signatory_role="Gérante"
    ).order


@pytest.fixture
def customer(agency):
    return make_client(agency, kind="company", name="Boulangerie Martin SARL")


@pytest.fixture
def order(agency, customer):
    return accepted(agency, customer, requires_deposit=True)


def test_an_order_awaiting_its_deposit_says_why(agency_api, order):
    response = agency_api.get(f"/orders/{order.pk}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["reference"] == order.quote.display_number
    assert data["quote_id"] == order.quote_id
    assert data["status"] == "awaiting_deposit"
    assert data["client_name"] == "Boulangerie Martin SARL"
    assert data["terms_label"] == "v3.0"
    assert data["payment_terms"]["clause"] == "payment.due"
    assert (data["total_ht"], data["total_vat"], data["total_ttc"]) == (
        "3411.00",
        "0.00",
        "3411.00",
    )
    assert [line["amount_ht"] for line in data["lines"]] == ["2400.00", "875.00", "136.00"]
    assert data["lines"][1]["product_code"] == "INT-JOUR"
    assert data["deposit"]["status"] == "requested"
    assert data["deposit"]["amount"] == "1023.30"
    assert data["deposit"]["article"] == "art. 5"
    reason = data["waiting_reason"]
    assert reason["status"] == "awaiting_deposit"
    assert reason["waiting"] is True
    assert reason["why"] == (
        "en attente d'acompte : art. 5 CGV v3.0, 30\u202f% du total HT (1\u202f023,30\u00a0€) "
        "à encaisser avant le début des travaux"
    )
    assert reason["clause"] == "payment.deposit"
    assert reason["inputs"]["amount"] == "1023.30"


def test_an_order_without_deposit_is_ready(agency_api, agency, customer):
    order = accepted(agency, customer, requires_deposit=False)
    data = agency_api.get(f"/orders/{order.pk}").json()
    assert data["status"] == "ready"
    assert data["deposit"] is None
    assert data["waiting_reason"]["waiting"] is False
    assert "les travaux peuvent commencer" in data["waiting_reason"]["why"]


def test_the_quote_names_its_order(agency_api, order):
    assert agency_api.get(f"/quotes/{order.quote_id}").json()["order_id"] == order.pk


def test_list_orders_filtered_by_status_and_client(agency_api, agency, customer, order, other_api):
    other_customer = make_client(agency, name="Autre client")
    ready = accepted(agency, other_customer, requires_deposit=False)

    def ids(query: str = "") -> list[int]:
        response = agency_api.get(f"/orders{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert set(ids()) == {order.pk, ready.pk}
    assert ids("?status=ready") == [ready.pk]
    assert ids("?status=awaiting_deposit") == [order.pk]
    assert ids(f"?client_id={customer.pk}") == [order.pk]
    page = agency_api.get("/orders?limit=1").json()
    assert page["count"] == 2
    assert len(page["items"]) == 1
    assert other_api.get("/orders").json() == {"count": 0, "items": []}


@pytest.mark.parametrize("query", ["status=paid-twice", "client_id=x", "limit=101"])
def test_invalid_filters_are_422_naming_them(agency_api, query):
    response = agency_api.get(f"/orders?{query}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {query.split("=")[0]}


def test_another_sellers_order_is_404(other_api, order):
    response = other_api.get(f"/orders/{order.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
