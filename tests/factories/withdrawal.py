"""Builders for withdrawals on the real PaaS host of seed 000 (CGV v1.1: art. 6 gives 7 jours
francs from the acceptance of the offer, art. 7 refuses any refund once the service was
used): an online order concluded (confirmed, validated automatically), paid, started or
fully performed, and the withdrawals from it, through the real services."""

from __future__ import annotations

from datetime import datetime, timedelta

from clausier.orders import services as order_services
from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order
from clausier.payments import services as payment_services
from clausier.sellers.models import Seller
from clausier.withdrawal import services
from clausier.withdrawal.models import Channel, WithdrawalRequest
from tests.factories.orders import recap


def concluded_order(
    seller: Seller,
    client,
    *,
    concluded_at: datetime,
    express_start: bool = False,
    paid: bool = True,
    started_at: datetime | None = None,
    completed_at: datetime | None = None,
    reference: str = "ch_withdrawal",
) -> Order:
    """An online order (42,24 € TTC: 720 h of instance and a month of PostgreSQL) confirmed
    and validated at ``concluded_at``, paid by card an hour later, its service started at
    ``started_at`` and fully performed at ``completed_at`` when given."""
    order = recap(seller, client, now=concluded_at - timedelta(minutes=10))
    order = order_services.confirm_order(
        order=order,
        by=None,
        now=concluded_at,
        express_start=express_start,
        express_start_text=EXPRESS_START.value if express_start else "",
    )
    if not paid:
        return order
    paid_at = concluded_at + timedelta(hours=1)
    order = payment_services.record_payment(
        order=order,
        received_at=paid_at,
        provider="stripe",
        reference=reference,
        amount=order.total_ttc,
        by=None,
        now=paid_at + timedelta(minutes=1),
    ).order
    if started_at is not None:
        order = order_services.activate_service(order=order, by=None, now=started_at)
    if completed_at is not None:
        order = order_services.complete_service(order=order, by=None, now=completed_at)
    return order


def registered(
    order: Order, *, received_on, by, channel: str = Channel.EMAIL, now: datetime | None = None
) -> WithdrawalRequest:
    """A withdrawal received by e-mail on ``received_on``, registered by staff ``by``."""
    return services.register_withdrawal(
        seller=order.seller,
        order=order,
        channel=channel,
        received_on=received_on,
        statement="Je me rétracte de ma commande.",
        by=by,
        now=now,
    )
