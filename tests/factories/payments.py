"""Payments made through the real services: a transfer, a cheque, a refund owed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from clausier.payments import services
from clausier.payments.models import Payment, Refund


def transfer(
    seller, client, *, amount="100.00", on: date, invoices=(), now: datetime | None = None
) -> Payment:
    """A transfer of ``amount`` received on ``on``; ``invoices``: (invoice, amount) it pays."""
    return services.record_offline_payment(
        seller=seller,
        client=client,
        method="transfer",
        amount=Decimal(amount),
        received_on=on,
        transfer_reference=f"VIR-{client.pk}-{on:%Y%m%d}",
        allocate_to=list(invoices),
        by=None,
        now=now,
    )


def cheque(
    seller,
    client,
    *,
    amount="100.00",
    on: date,
    number="1234567",
    invoices=(),
    now: datetime | None = None,
) -> Payment:
    """A cheque received on ``on``, not yet cashed."""
    return services.record_offline_payment(
        seller=seller,
        client=client,
        method="cheque",
        amount=Decimal(amount),
        received_on=on,
        cheque_number=number,
        cheque_bank="Banque Populaire",
        allocate_to=list(invoices),
        by=None,
        now=now,
    )


def refund_owed(payment: Payment, *, amount="10.00", reason="Trop-perçu") -> Refund:
    return services.record_refund_owed(
        payment=payment, amount=Decimal(amount), reason=reason, by=None
    )
