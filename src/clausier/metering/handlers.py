"""How metering answers other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from clausier.audit.triggers import Trigger
from clausier.metering import services
from clausier.orders.models import Order


def start_subscription(fact) -> None:
    """``orders.events.ServiceActivated``: the paid online order's service started (seed 000
    art. 8): its subscription starts metering, under the order's terms."""
    order = Order.objects.select_related("terms_version").get(pk=fact.order_id)
    services.start_subscription(order=order, at=fact.at, by=None)


def end_cancelled_order(fact) -> None:
    """``orders.events.OrderCancelled``: the service of a cancelled order is not billed
    any more; its subscription ends."""
    services.end_order_subscription(
        order_id=fact.order_id,
        by=fact.by,
        trigger=Trigger.ORDER_CANCELLED,
    )


def end_withdrawn_order(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted`` (a later stage, read by its fields): the
    consumer withdrew (C. conso. L221-18), the service ends and meters nothing more."""
    services.end_order_subscription(
        order_id=fact.order_id,
        by=fact.by,
        trigger=Trigger.WITHDRAWAL_ACCEPTED,
    )
