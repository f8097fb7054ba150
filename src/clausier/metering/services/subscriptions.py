"""Subscriptions: born from a paid online order when its service starts, suspended, resumed,
terminated by the state table."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.catalog.models import Product
from clausier.catalog.units import Unit
from clausier.kernel.actor import Actor
from clausier.metering import transitions as t
from clausier.metering.models import Subscription
from clausier.orders.models import Order


def _offer_line(order: Order):
    """The line the subscription meters: the first metered one, else the first line."""
    lines = list(order.lines.order_by("position", "id"))
    metered = [line for line in lines if line.unit == Unit.METERED]
    return (metered or lines or [None])[0]


@transaction.atomic
def start_subscription(
    *, order: Order, at: datetime, by: Actor, trigger: Trigger | None = None
) -> Subscription:
    """The subscription of ``order`` (once: a second call returns the first), started at
    ``at``, under the terms the order was made under; the runtime names it by the order's
    reference."""
    existing = Subscription.objects.filter(order=order).first()
    if existing is not None:
        return existing
    line = _offer_line(order)
    offer = None
    if line is not None and line.product_code:
        offer = Product.objects.filter(seller_id=order.seller_id, code=line.product_code).first()
    subscription = Subscription.objects.create(
        seller_id=order.seller_id,
        client_id=order.client_id,
        order=order,
        order_line=line,
        offer=offer,
        external_id=order.reference,
        started_at=at,
        terms_version_id=order.terms_version_id,
        terms_label=order.terms_label,
    )
    record_on(
        obj=subscription,
        actor=by,
        verb="subscription.started",
        after={
            "order": order.reference,
            "offer": offer.code if offer else "",
            "started_at": at.isoformat(),
        },
        trigger=trigger,
    )
    return subscription


@transaction.atomic
def change_status(
    *, subscription: Subscription, status: str, by: Actor, trigger: Trigger | None = None
) -> Subscription:
    """``subscription`` moved to ``status`` if its state table allows it (locked, audited;
    ``trigger``: the fact an automatic move answers, stated in the trail)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    t.check(label=str(subscription), current=subscription.status, target=status)
    before = subscription.status
    subscription.status = status
    subscription.save(update_fields=["status"])
    record_on(
        obj=subscription,
        actor=by,
        verb="subscription.status_changed",
        before={"status": before},
        after={"status": status},
        trigger=trigger,
    )
    return subscription


@transaction.atomic
def end_order_subscription(*, order_id: int, by: Actor, trigger: Trigger) -> Subscription | None:
    """The subscription born from order ``order_id`` terminated because of ``trigger`` (the
    order cancelled or withdrawn, the trail says which): it meters nothing more, and usage
    sent for it afterwards is refused. None when the order has no subscription; an already
    terminated one is left as it is."""
    subscription = Subscription.objects.select_for_update().filter(order_id=order_id).first()
    if subscription is None or subscription.status == t.TERMINATED:
        return subscription
    return change_status(subscription=subscription, status=t.TERMINATED, by=by, trigger=trigger)
