"""On PostgreSQL: the same statement imported by several processes at once pays each invoice
once; every other import counts its lines as duplicates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier

import pytest
from django.db import connections
from django.utils import timezone

from clausier.payments.models import Allocation, Payment
from clausier.payments.services import statements
from clausier.payments.statement_models import BankStatementLine
from tests.factories import make_client, make_issued_invoice, make_published_terms, make_seller
from tests.payments.statements.camt import entry, statement

WORKERS = 4
DAY = timezone.make_aware(datetime(2026, 5, 10, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_statement_imported_at_once_pays_once():
    shop = make_seller("boutique", vat_number="FR87524172699")
    make_published_terms(shop)
    invoice = make_issued_invoice(shop, make_client(shop, kind="consumer"), now=DAY, lines=[LINE])
    data = statement(
        entry(f"{invoice.amount_due}", ref="C1", remittance=f"Facture {invoice.number}"),
        entry("12.00", ref="C2", remittance="REGLEMENT"),
    )
    start = Barrier(WORKERS)

    def one(_index: int):
        start.wait()
        try:
            return statements.import_statement(
                seller=shop, data=data, filename="r.xml", format="camt053", by=None
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(one, range(WORKERS)))

    assert sorted((r.matched_count, r.to_review_count, r.duplicate_count) for r in results) == [
        (0, 0, 2),
        (0, 0, 2),
        (0, 0, 2),
        (1, 1, 0),
    ]
    assert Payment.objects.count() == 1
    assert Allocation.objects.get().invoice_id == invoice.pk
    assert BankStatementLine.objects.exclude(state="duplicate").count() == 2
