"""The account statement once staff acted on a late invoice: penalties billed on a penalty
invoice are that document's line (never counted twice), waivers are deducted with their
reason, and the receivables dashboard lists the clients suspended for non-payment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from clausier.collections import selectors, services, standing
from clausier.collections.statement import account_statement, aged_balance
from tests.factories import make_issued_invoice
from tests.factories.payments import transfer

# Due Monday 16 February 2026 (30 days, Saturday 14 carried over); late from 17 February.
ISSUED = timezone.make_aware(datetime(2026, 1, 15, 10), timezone.get_default_timezone())
LINE = {
    "description": "Refonte du site",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "1000",
    "vat_rate": "0.20",
}


def test_billed_penalties_appear_once_as_their_penalty_invoice(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    # 17 Feb - 16 Mar: 28 days × 1000 × 7.86 % / 365 = 6.0296 -> 6.03; + 40.00 = 46.03.
    services.bill_penalties(invoice=invoice, on=date(2026, 3, 16), by=None)

    # The penalty invoice is issued today.
    today = timezone.localdate()
    statement = account_statement(client=company, on=today)

    kinds = [(line.kind, line.debit) for line in statement.lines]
    assert ("invoice", Decimal("46.03")) in kinds
    # Still unpaid: the interest run since 16 March is owed, not yet billed; the indemnity
    # was billed once and is never claimed again.
    since = selectors.penalties(invoice=invoice, on=today).interest.value - Decimal("6.03")
    assert since > 0
    assert [kind for kind, _ in kinds].count("interest") == 1
    assert [kind for kind, _ in kinds].count("indemnity") == 0
    assert statement.interest.value == since
    assert statement.indemnities.value == Decimal("0")
    assert statement.total_due.value == Decimal("1246.03") + since
    [late] = statement.late
    assert any("déjà facturé" in str(step.label) for step in late.owed.interest.steps)


def test_a_waiver_is_deducted_from_the_statement_with_its_reason(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    on = date(2026, 3, 16)
    services.waive(
        invoice=invoice, item="indemnity", full=True, reason="Bon client", by=None, on=on
    )

    statement = account_statement(client=company, on=on)

    assert statement.indemnities.value == Decimal("0")
    assert statement.interest.value == Decimal("6.03")
    late = statement.late[0]
    assert any("Bon client" in str(step.label) for step in late.owed.indemnity.steps)
    assert statement.total_due.value == Decimal("1206.03")


def test_the_dashboard_lists_the_clients_suspended_for_non_payment(shop, company):
    invoice = make_issued_invoice(shop, company, now=ISSUED, lines=[LINE])
    on = date(2026, 3, 16)
    assert aged_balance(seller=shop, on=on).suspended == []

    standing.suspend(client=company, by=None)

    assert [s.client for s in aged_balance(seller=shop, on=on).suspended] == [company]
    # Paid: the suspension is lifted and the client leaves the list.
    transfer(shop, company, amount="1200.00", on=on, invoices=[(invoice, "1200.00")])
    assert aged_balance(seller=shop, on=on).suspended == []
