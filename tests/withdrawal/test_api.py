"""The withdrawals API: a withdrawal received by e-mail registered and decided at once, read
back with its explanations; refusals as JSON 4xx naming the field and the rule, nothing
written; another seller's withdrawal a 404."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.withdrawal.models import WithdrawalRequest
from tests.factories.quotes import paris
from tests.factories.withdrawal import concluded_order, registered

pytestmark = pytest.mark.django_db

CONCLUDED = paris(2026, 5, 4, 10, 10)


@pytest.fixture
def seller(paas):
    return paas


def test_a_withdrawal_received_by_e_mail_is_registered_and_decided(api, paas, paas_consumer):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)

    response = api.post(
        "/withdrawals",
        {"order_id": order.pk, "channel": "email", "received_on": "2026-05-11"},
        key="w-1",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["reason_code"]) == ("accepted", "in_time")
    assert body["period_end"] == "2026-05-18"
    assert body["period_explanation"]["rule"] == "withdrawal_period"
    assert (
        "CGV : 7 jours francs ; loi : 14 jours, L221-18"
        in (body["period_explanation"]["steps"][-1]["label"])
    )
    # 42,24 € refunded no later than 11/05 + 14 = Whit Monday 25/05 -> Tue 26/05/2026.
    assert (body["refund_amount"], body["refund_due_on"]) == ("42.24", "2026-05-26")
    assert body["refund_explanation"]["law"].startswith("C. conso. L221-24")
    assert body["amount_owed"] == "0.00"
    assert body["amount_explanation"] is None
    assert body["reasons"] == [
        "Rétractation reçue le 11/05/2026, dans le délai qui expire le 18/05/2026 : acceptée."
    ]
    again = api.post(
        "/withdrawals",
        {"order_id": order.pk, "channel": "email", "received_on": "2026-05-11"},
        key="w-1",
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert WithdrawalRequest.objects.count() == 1

    got = api.get(f"/withdrawals/{body['id']}")
    assert got.status_code == 200
    assert got.json()["id"] == body["id"]
    listed = api.get("/withdrawals?status=accepted").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]


def test_an_english_reader_gets_the_reasons_in_english(api, paas, paas_consumer, paas_staff):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    withdrawal = registered(order, received_on=date(2026, 5, 19), by=paas_staff)

    body = api.get(f"/withdrawals/{withdrawal.pk}", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["reasons"][0].startswith("Withdrawal received on")
    assert body["period_explanation"]["steps"][-1]["label"].startswith(
        "Terms: 7 clear days; law: 14 days, L221-18"
    )


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (
            {"channel": "email", "received_on": "2026-05-03"},
            "received_on",
            "précéder la conclusion",
        ),
        ({"channel": "email", "received_on": "2099-05-03"}, "received_on", ""),
        ({"channel": "portal", "received_on": "2026-05-11"}, "channel", ""),
        ({"channel": "email"}, "received_on", ""),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(
    api, paas, paas_consumer, body, field, rule
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)

    response = api.post("/withdrawals", {"order_id": order.pk, **body})

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert rule in response.json()["errors"][field]
    assert not WithdrawalRequest.objects.exists()


def test_a_professional_client_is_a_409_saying_why(api, paas, paas_company):
    order = concluded_order(paas, paas_company, concluded_at=CONCLUDED)

    response = api.post(
        "/withdrawals", {"order_id": order.pk, "channel": "post", "received_on": "2026-05-11"}
    )

    assert response.status_code == 409
    assert "droit du consommateur" in response.json()["detail"]
    assert not WithdrawalRequest.objects.exists()


def test_another_sellers_withdrawal_is_404_and_their_order_an_unknown_order_id(
    api, other_api, paas, paas_consumer, paas_staff
):
    order = concluded_order(paas, paas_consumer, concluded_at=CONCLUDED)
    withdrawal = registered(order, received_on=date(2026, 5, 11), by=paas_staff)

    assert other_api.get(f"/withdrawals/{withdrawal.pk}").status_code == 404
    assert other_api.get("/withdrawals").json()["count"] == 0
    response = other_api.post(
        "/withdrawals", {"order_id": order.pk, "channel": "post", "received_on": "2026-05-12"}
    )
    # Named in a body, another seller's order is an invalid value, like any unknown id.
    assert response.status_code == 422
    assert "order_id" in response.json()["errors"]
    assert api.get("/withdrawals").json()["count"] == 1
