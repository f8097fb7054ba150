"""A client's account statement on a day: documents, payments, interest to date and
indemnities per late invoice, the running balance and the total due, each explained."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from clausier.collections.statement import account_statement
from tests.factories import make_issued_invoice
from tests.factories.payments import transfer

# Issued Thursday 15 January 2026, due 30 days later: Saturday 14 February, carried to
# Monday 16 February (CPC 642); late from Tuesday 17 February.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def test_the_statement_lists_documents_payments_and_penalties_with_a_running_balance(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    transfer(shop, company, amount="600.00", on=date(2026, 3, 16), invoices=[(invoice, "600.00")])

    statement = account_statement(client=company, on=date(2026, 4, 15))

    kinds = [(line.kind, line.debit, line.credit, line.balance) for line in statement.lines]
    # 1200.00 TTC asked, 600.00 paid, then 9.26 of interest and the 40 EUR indemnity (the
    # arithmetic of tests/collections/test_penalties_api.py).
    assert kinds == [
        ("invoice", Decimal("1200.00"), Decimal("0"), Decimal("1200.00")),
        ("payment", Decimal("0"), Decimal("600.00"), Decimal("600.00")),
        ("interest", Decimal("9.26"), Decimal("0"), Decimal("609.26")),
        ("indemnity", Decimal("40.00"), Decimal("0"), Decimal("649.26")),
    ]
    assert statement.principal.value == Decimal("600.00")
    assert statement.interest.value == Decimal("9.26")
    assert statement.indemnities.value == Decimal("40.00")
    assert statement.total_due.value == Decimal("649.26")
    assert statement.total_due.steps[-1].label.endswith("649,26\xa0€")
    assert statement.lines[2].explained.clause == "late.penalty"


def test_before_the_due_date_the_statement_owes_only_the_invoice(shop, company):
    make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    statement = account_statement(client=company, on=date(2026, 2, 1))

    assert [line.kind for line in statement.lines] == ["invoice"]
    assert statement.total_due.value == Decimal("1200.00")
    assert statement.late == []


def test_a_document_issued_after_the_day_is_not_on_the_statement(shop, company):
    make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])

    statement = account_statement(client=company, on=date(2026, 1, 14))

    assert statement.lines == []
    assert statement.total_due.value == Decimal("0")
