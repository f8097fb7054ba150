"""The payments API's writes on what exists: a payment allocated to invoices, a cheque
cashed, a refund sent and settled, and a client's credit read; each POST idempotent, each
refusal a JSON 4xx naming its field, and nothing written."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from clausier.payments import selectors
from clausier.payments.models import Allocation
from tests.factories import make_issued_invoice
from tests.factories.payments import cheque, refund_owed, transfer

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


@pytest.fixture
def seller(shop):
    return shop


def invoice_of(shop, shopper):
    return make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])


def test_a_payment_is_allocated_to_invoices_once_whatever_the_retries(api, shop, shopper):
    first, second = invoice_of(shop, shopper), invoice_of(shop, shopper)
    payment = transfer(shop, shopper, amount="200.00", on=date(2026, 5, 21))
    body = {
        "allocations": [
            {"invoice_id": first.pk, "amount": "120.00"},
            {"invoice_id": second.pk, "amount": "50.00"},
        ]
    }

    made = api.post(f"/payments/{payment.pk}/allocations", body, key="alloc-1")
    again = api.post(f"/payments/{payment.pk}/allocations", body, key="alloc-1")

    assert made.status_code == 201, made.content
    assert Decimal(made.json()["unallocated"]) == Decimal("30.00")
    assert again["Idempotent-Replayed"] == "true"
    assert Allocation.objects.count() == 2
    first.refresh_from_db()
    assert first.amount_paid == Decimal("120.00")
    assert selectors.client_credit(client=shopper) == Decimal("30.00")


def test_an_allocation_beyond_a_balance_names_its_field_and_writes_nothing(api, shop, shopper):
    first, second = invoice_of(shop, shopper), invoice_of(shop, shopper)
    payment = transfer(shop, shopper, amount="300.00", on=date(2026, 5, 21))
    refused = api.post(
        f"/payments/{payment.pk}/allocations",
        {
            "allocations": [
                {"invoice_id": first.pk, "amount": "120.00"},
                {"invoice_id": second.pk, "amount": "150.00"},
            ]
        },
    )
    assert refused.status_code == 422
    assert "allocations[1].amount" in refused.content.decode()
    assert not Allocation.objects.exists()


def test_a_cheque_is_cashed_and_pays_its_invoice(api, shop, shopper):
    invoice = invoice_of(shop, shopper)
    received = cheque(
        shop, shopper, amount="120.00", on=date(2026, 5, 21), invoices=[(invoice, "120.00")]
    )
    early = api.post(f"/payments/{received.pk}/cashed", {"cashed_on": "2026-05-20"})
    assert early.status_code == 422
    assert "cashed_on" in early.content.decode()

    cashed = api.post(f"/payments/{received.pk}/cashed", {"cashed_on": "2026-05-25"}, key="c-1")

    assert cashed.status_code == 200, cashed.content
    assert (cashed.json()["status"], cashed.json()["cashed_on"]) == ("succeeded", "2026-05-25")
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.paid_on) == (Decimal("120.00"), date(2026, 5, 25))
    twice = api.post(f"/payments/{received.pk}/cashed", {"cashed_on": "2026-05-25"})
    assert twice.status_code == 409


def test_a_refund_is_sent_then_settled_never_back(api, shop, shopper):
    payment = transfer(shop, shopper, amount="50.00", on=date(2026, 5, 21))
    refund = refund_owed(payment, amount="50.00")
    future = api.post(f"/refunds/{refund.pk}/sent", {"sent_on": "2999-01-01"})
    assert future.status_code == 422
    assert "sent_on" in future.content.decode()

    sent = api.post(f"/refunds/{refund.pk}/sent", {"sent_on": "2026-05-26", "reference": "VIR-9"})
    settled = api.post(f"/refunds/{refund.pk}/settled", {"settled_on": "2026-05-27"}, key="s-1")

    assert (sent.status_code, sent.json()["status"]) == (200, "sent")
    assert (settled.status_code, settled.json()["status"]) == (200, "settled")
    assert api.post(f"/refunds/{refund.pk}/sent", {}).status_code == 409
    payment.refresh_from_db()
    assert payment.status == "refunded"
    assert api.get(f"/refunds/{refund.pk}").json()["status"] == "settled"


def test_a_clients_credit_and_the_refunds_it_is_owed(api, other_api, shop, shopper):
    payment = transfer(shop, shopper, amount="80.00", on=date(2026, 5, 21))
    refund_owed(payment, amount="30.00")

    credit = api.get(f"/clients/{shopper.pk}/credit")

    assert credit.status_code == 200
    body = credit.json()
    assert Decimal(body["credit"]) == Decimal("50.00")
    [left] = body["payments"]
    assert (left["payment_id"], Decimal(left["unallocated"])) == (payment.pk, Decimal("50.00"))
    assert [Decimal(r["amount"]) for r in body["refunds_owed"]] == [Decimal("30.00")]
    assert other_api.get(f"/clients/{shopper.pk}/credit").status_code == 404


def test_the_openapi_document_lists_the_payment_routes(anonymous):
    document = anonymous.get("/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/payments/{payment_id}/allocations",
        "/api/v1/payments/{payment_id}/cashed",
        "/api/v1/refunds/{refund_id}/sent",
        "/api/v1/refunds/{refund_id}/settled",
    ):
        parameters = {p["name"] for p in paths[path]["post"].get("parameters", [])}
        assert "Idempotency-Key" in parameters, path
        assert {"201", "200"} & set(paths[path]["post"]["responses"]), path
        assert "422" in paths[path]["post"]["responses"], path
    assert "200" in paths["/api/v1/clients/{client_id}/credit"]["get"]["responses"]
