"""Facts the payments domain publishes (:func:`clausier.kernel.events.publish`). Orders and
invoicing answer them by their fields only (they come before payments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clausier.audit.triggers import Trigger
from clausier.kernel.actor import Actor
from clausier.payments.paid import PaidPart


@dataclass(frozen=True)
class PaymentSucceeded:
    """Money was received (an online payment confirmed, a transfer, a cheque cashed).
    ``order_id``: the online order it pays, if any (seed 000 art. 4-5)."""

    payment_id: int
    seller_id: int
    order_id: int | None
    method: str
    provider: str
    reference: str
    amount: Decimal
    received_at: datetime
    at: datetime
    by: Actor


@dataclass(frozen=True)
class PaymentFailed:
    """A payment was rejected (``failed``) or cancelled by the client (``cancelled``):
    seed 000 art. 5, the online order it was for is cancelled."""

    payment_id: int
    seller_id: int
    order_id: int | None
    outcome: str
    provider: str
    reference: str
    reason: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class PaymentRefunded:
    """Money was given back to the client (a refund settled)."""

    payment_id: int | None
    refund_id: int
    seller_id: int
    amount: Decimal
    at: datetime
    by: Actor


@dataclass(frozen=True)
class InvoicePaymentsChanged:
    """What the payments allocated to an invoice add up to changed: ``amount_paid`` (the
    allocations of money received), ``paid_on`` (the day the last of it was received),
    ``fully_paid`` (nothing left to pay once credit notes are counted). Invoicing keeps it as
    the invoice's payment state; orders read the deposit paid (seed 002 art. 5) and the
    final invoice paid in full (art. 4: final acceptance)."""

    invoice_id: int
    seller_id: int
    order_id: int | None
    deposit_request_id: int | None
    kind: str
    amount_paid: Decimal
    received: Decimal
    paid_on: date | None
    fully_paid: bool
    at: datetime
    by: Actor
    trigger: Trigger | None = None


@dataclass(frozen=True)
class DepositPaid:
    """The deposit of an agency order was received (cashed, for a cheque) on ``cashed_on``:
    seed 002 art. 5, work may start."""

    order_id: int
    deposit_request_id: int
    seller_id: int
    cashed_on: date
    at: datetime
    by: Actor


@dataclass(frozen=True)
class ServicePaidMeasured:
    """The HT a client actually paid for a contract's service by ``claim_date`` (seed 002
    art. 10), answering ``contracts.events.LiabilityClaimReceived`` for claim ``claim_id``:
    ``paid_ht`` the sum of ``parts``."""

    claim_id: int
    seller_id: int
    claim_date: date
    paid_ht: Decimal
    parts: tuple[PaidPart, ...]
    at: datetime
    by: Actor
