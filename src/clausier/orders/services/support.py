"""Helpers shared by the order services: the errors, the locks, the cancellation fact."""

from __future__ import annotations

from datetime import datetime

from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.orders import domain
from clausier.orders.events import (
    OrderCancelled,
)
from clausier.orders.models import DepositRequest, Order


class WorkCannotStart(DomainError):
    """Work on an order waits for something the terms require first (the deposit)."""


class OrderFrozen(Conflict):
    """A confirmed online order never changes (art. 4: the client corrects the recap, then
    confirms it)."""


def locked_order(*, order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "terms_version")
        .get(pk=order.pk)
    )


def locked_deposit(*, order: Order) -> DepositRequest | None:
    return DepositRequest.objects.select_for_update().filter(order=order).first()


def deposit_facts(*, deposit: DepositRequest | None) -> domain.DepositFacts | None:
    return None if deposit is None else deposit.facts


def announce_cancelled(*, order: Order, by: Actor, now: datetime) -> None:
    """An issued invoice is never deleted (BOFiP TVA-DECLA-30-20-20): cancelling its order
    credits what remains of each one by a credit note (invoicing answers the fact in this
    transaction). If one cannot be issued, the cancellation is refused with that reason and
    nothing is written."""
    publish(
        OrderCancelled(
            order_id=order.pk,
            seller_id=order.seller_id,
            reference=order.reference,
            reason=order.cancellation_reason,
            at=now,
            by=by,
        )
    )
