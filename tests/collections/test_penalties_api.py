"""``GET /invoices/{id}/penalties?on=``: what an invoice owes for its lateness on a day, from
its payments as recorded; amounts as decimal strings, the explanation as ``Explained``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import make_issued_invoice
from tests.factories.payments import transfer

# Issued Thursday 15 January 2026, due 30 days later: Saturday 14 February 2026, carried to
# Monday 16 February (CPC 642).
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def test_a_professional_owes_interest_on_the_ht_still_due_and_the_indemnity(api, shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    # Half the TTC paid on 16 March: the HT base halves from 17 March.
    transfer(shop, company, amount="600.00", on=date(2026, 3, 16), invoices=[(invoice, "600.00")])

    answer = api.get(f"/invoices/{invoice.pk}/penalties?on=2026-04-15")

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["due_date"] == invoice.due_date.isoformat()
    # Rate: 3 × 2.62 % (2026 S1, the invoice date) = 7.86 %.
    assert Decimal(body["annual_rate"]) == Decimal("0.0786")
    # Late from Tuesday 17 February.
    # 17 Feb - 16 Mar: 28 days × 1000 × 7.86 % / 365 = 6.0296
    # 17 Mar - 15 Apr: 30 days × 500 × 7.86 % / 365 = 3.2301 -> 9.2597 -> 9.26
    assert body["days_late"] == 58
    assert body["base_ht"] == "500.00"
    assert body["interest"] == "9.26"
    assert body["indemnity"] == "40.00"
    assert body["total"] == "49.26"
    assert body["explanation"]["rule"] == "penalties_on"
    assert body["explanation"]["clause"] == "late.penalty"
    assert any("9,26" in step["label"] for step in body["explanation"]["steps"])


def test_a_consumer_owes_no_indemnity_and_no_legal_floor(api, shop, consumer):
    invoice = make_issued_invoice(shop, consumer, now=ISSUED, lines=[LINE])

    body = api.get(f"/invoices/{invoice.pk}/penalties?on=2026-03-16").json()

    assert body["indemnity"] == "0.00"
    # The clause's own rate (lawful, not abusive): 7.86 % on 1000 HT, 17 Feb - 16 Mar, 28 days:
    # 28 × 1000 × 7.86 % / 365 = 6.0296 -> 6.03.
    assert body["interest"] == "6.03"
    assert body["explanation"]["law"] == "C. conso. L212-1"


def test_before_the_due_date_nothing_is_owed(api, shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    body = api.get(f"/invoices/{invoice.pk}/penalties?on=2026-02-01").json()

    assert (body["days_late"], body["interest"], body["indemnity"]) == (0, "0.00", "0.00")


def test_a_bad_date_names_the_field_and_another_sellers_invoice_is_not_found(api, shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    bad = api.get(f"/invoices/{invoice.pk}/penalties?on=2026-13-01")
    missing = api.get("/invoices/999999/penalties?on=2026-03-01")

    assert bad.status_code == 422
    assert "on" in bad.json()["errors"]
    assert missing.status_code == 404
