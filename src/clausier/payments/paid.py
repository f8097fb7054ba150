"""What a service was paid, part by part: the rows of
:class:`~clausier.payments.events.ServicePaidMeasured` (seed 002 art. 10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PaidPart:
    """One payment (or refund, negative) counted in what a service was paid: its invoice, its
    date, the amount TTC and its HT share (by the invoice's HT/TTC ratio, to the cent)."""

    invoice_number: str
    paid_on: date
    amount_ttc: Decimal
    amount_ht: Decimal
