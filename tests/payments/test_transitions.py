"""What staff may do with a payment: allocate only money received or recorded by staff."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from clausier.payments import transitions as t


@pytest.mark.parametrize(
    ("status", "method", "may"),
    [
        ("pending", "cheque", True),  # a cheque received, waiting to be cashed
        ("pending", "transfer", True),
        ("pending", "card", False),  # Stripe has not confirmed it
        ("pending", "paypal", False),
        ("succeeded", "card", True),
        ("partially_refunded", "paypal", True),
        ("failed", "card", False),
        ("cancelled", "cheque", False),
    ],
)
def test_only_money_received_or_recorded_by_staff_pays_invoices(status, method, may):
    payment = SimpleNamespace(status=status, method=method)
    assert t.may_pay_invoices(payment) is may
    assert (t.ALLOCATE in t.allowed_actions(payment, unallocated=Decimal("10"))) is may
