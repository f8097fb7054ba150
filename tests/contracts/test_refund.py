"""Seed 002 art. 12b: the prepaid share after the end of a contract is refunded pro rata
temporis: a credit note on the order's invoice (invoicing), then the refund of what was paid
(payments answers the credit note)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.contracts import services
from clausier.contracts.models import Contract
from clausier.invoicing.models import Invoice
from clausier.payments.models import Refund
from tests.contracts.conftest import open_yearly
from tests.factories.metering import active_subscription
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db


def test_the_prepaid_days_after_the_end_are_credited_then_refunded(paas, paas_company):
    # An online order paid on 8 May 2026, its service activated on 12 May: the month's
    # PostgreSQL add-on (10,00 € HT, 20 % VAT) is paid through 11 June.
    subscription = active_subscription(paas, paas_company, reference="ch_r1")
    contract = Contract.objects.get(order=subscription.order)
    addon = contract.lines.get(order_line__unit="month")
    assert (addon.amount_ht, addon.paid_through) == (Decimal("10.00"), date(2026, 6, 11))
    [invoice] = Invoice.objects.filter(order=subscription.order)
    assert invoice.amount_paid == invoice.total_ttc == Decimal("42.24")

    ended = services.terminate(
        contract=contract,
        effective_on=date(2026, 5, 31),
        reason="notice_at_term",
        by=None,
        now=paris(2026, 6, 1, 9),
    )
    # 10,00 € × 11 days (1-11 June) / 31 days (12 May - 11 June) = 3,548... -> 3,55 € HT.
    assert ended.refund_amount_ht == Decimal("3.55")
    note = Invoice.objects.get(corrects=invoice)
    assert note.kind == "credit_note"
    assert (note.total_ht, note.total_ttc) == (Decimal("3.55"), Decimal("4.26"))
    assert note.reason.startswith(f"Résiliation du contrat {contract.reference} au 31/05/2026")
    [line] = note.lines.all()
    assert "après le 31/05/2026" in line.description
    # Paid already: the 4,26 € TTC credited are owed back on the card payment.
    [refund] = Refund.objects.filter(invoice=invoice)
    assert refund.amount == Decimal("4.26")


def test_nothing_prepaid_after_the_end_or_no_order_leaves_no_credit_note(agency, bakery):
    contract = open_yearly(
        agency,
        bakery,
        start_on=date(2026, 1, 1),
        lines=[
            {
                "kind": "maintenance",
                "description": "Maintenance (MCO)",
                "amount_ht": "1200.00",
                "paid_through": date(2026, 12, 31),
            }
        ],
    )
    ended = services.terminate(
        contract=contract, effective_on=date(2026, 6, 30), reason="chatel_any_time", by=None
    )
    # 1 200,00 € × 184 days (1 July - 31 December) / 365 = 604,93 € prepaid and unused,
    # but the contract was opened by staff without an order: no invoice carries it.
    assert ended.refund_amount_ht == Decimal("604.93")
    assert not Invoice.objects.filter(client=bakery).exists()
