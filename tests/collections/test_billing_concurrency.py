"""Two staff billing the same late invoice's penalties at once, on PostgreSQL: the invoice
row lock serializes them, one penalty invoice is issued, the other is refused (never the
same day twice)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from clausier.collections import services
from clausier.collections.models import PenaltyBilling
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.kernel.errors import Conflict
from tests.collections.conftest import LATE_CONSEQUENCES, LATE_PENALTY
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller
from tests.quotes.test_concurrency import run_together

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def test_two_billings_at_once_bill_the_day_once():
    shop = make_seller("recouvreur", vat_number="FR87524172699")
    make_published_terms(shop, more_clauses=(LATE_PENALTY, LATE_CONSEQUENCES))
    company = make_client(shop, kind="company", name="Atelier Dupont SARL", siren="552081317")
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    def bill():
        return services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)

    results = run_together(bill, bill)

    assert sorted(type(r).__name__ for r in results) == ["Conflict", "PenaltyBilling"]
    assert any(isinstance(r, Conflict) and "16/03/2026" in str(r) for r in results)
    assert PenaltyBilling.objects.filter(late_invoice__invoice=invoice).count() == 1
    assert Invoice.objects.filter(kind=InvoiceKind.PENALTY).count() == 1
