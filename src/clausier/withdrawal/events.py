"""Facts the withdrawal domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class WithdrawalAccepted:
    """A consumer withdrew from an online order (C. conso. L221-18): every sum received for
    the order, less ``amount_owed`` for a service started at its express request (L221-25),
    is owed back by the same means of payment (``refund_amount``) no later than
    ``refund_due_on`` (L221-24); the service ends (``service.terminate``)."""

    withdrawal_id: int
    order_id: int
    order_reference: str
    seller_id: int
    client_id: int
    received_on: date
    amount_owed: Decimal
    refund_amount: Decimal
    refund_due_on: date
    at: datetime
    by: Actor
