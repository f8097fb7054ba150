"""Facts the support domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clausier.kernel.actor import Actor
from clausier.support.domain import BillableLine


@dataclass(frozen=True)
class SupportWorkBillable:
    """Work on a ticket the maintenance does not cover (seed 000 art. 9: an excluded case
    taken in charge "au tarif en vigueur à la date d'intervention") is to be invoiced:
    ``lines``, each at the rate in force on its day."""

    ticket_id: int
    ticket_reference: str
    seller_id: int
    client_id: int
    exclusion_reason: str
    lines: tuple[BillableLine, ...]
    at: datetime
    by: Actor


@dataclass(frozen=True)
class SlaPenaltyAssessed:
    """A breached service level owes the client a credit (seed 000 art. 10.1.4):
    ``amount_ht``, explained in ``reason`` (the ticket, the clocks, the months, the mean,
    the rate), to be credited by invoicing."""

    penalty_id: int
    ticket_id: int
    ticket_reference: str
    seller_id: int
    client_id: int
    amount_ht: Decimal
    reason: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class OnCallPaged:
    """A critical ticket outside business hours (seed 000 art. 10.3) paged to ``engineer``
    (``escalation``: the backup, the first one not having acknowledged in time): the
    webhooks app tells the seller's SMS or push provider."""

    page_id: int
    ticket_id: int
    ticket_reference: str
    seller_id: int
    subject: str
    engineer: str
    email: str
    escalation: bool
    acknowledge_by: datetime
    at: datetime
