"""The paid service started, and the PaaS runtime told by a signed webhook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import DomainError
from clausier.kernel.events import publish
from clausier.orders import transitions as t
from clausier.orders.events import (
    ServiceActivated,
)
from clausier.orders.models import Order, OrderStatus
from clausier.orders.services.online import require_online
from clausier.orders.services.support import locked_order
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.consumer import earliest_start


def activation_payload(*, order: Order) -> dict[str, Any]:
    """What the PaaS runtime needs to start the service (the ``service.activate`` webhook)."""
    declared = order.declared or {}
    return {
        "order_id": order.pk,
        "reference": order.reference,
        "client": {
            "id": order.client_id,
            "name": declared.get("name", order.client.name),
            "kind": order.client.kind,
            "email": declared.get("email", order.client.email),
        },
        "lines": [
            {
                "product_code": line.product_code,
                "label": line.description,
                "quantity": str(line.quantity),
                "unit": line.unit,
                "unit_label": line.unit_label,
            }
            for line in order.lines.order_by("position", "id")
        ],
        "started_at": order.started_at.astimezone(UTC).isoformat(),
    }


@transaction.atomic
def earliest_service_start(*, order: Order):
    """For a consumer's online order, the first day its service may start (C. conso.
    L221-25); ``None`` for a professional or an order not yet concluded."""
    if order.client.is_professional or order.concluded_at is None:
        return None
    return earliest_start(
        concluded_on=timezone.localdate(order.concluded_at),
        express_request=order.express_start,
        calendar=FrenchCalendar(),
    )


@transaction.atomic
def activate_service(*, order: Order, by: Actor, now: datetime | None = None) -> Order:
    """The paid service starts (art. 8): ``active``, ``started_at`` recorded, and the
    signed ``service.activate`` webhook queued to the seller's endpoints; it leaves after
    the commit, from a background task (``clausier.webhooks``)."""
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    t.check(label=str(order), current=order.status, target=t.ACTIVE)
    start = earliest_service_start(order=order)
    if start is not None and timezone.localdate(now) < start.value:
        raise DomainError(
            _(
                "Le client, consommateur, n'a pas demandé que le service commence pendant son "
                "délai de rétractation : il ne peut commencer qu'à partir du %(date)s "
                "(C. conso. L221-18 et L221-25)."
            )
            % {"date": start.value.strftime("%d/%m/%Y")}
        )
    order.status = OrderStatus.ACTIVE
    order.started_at = now
    order.save(update_fields=["status", "started_at"])
    started_on = timezone.localdate(now)
    on_time = order.execution_deadline is None or started_on <= order.execution_deadline
    record_on(
        obj=order,
        actor=by,
        verb="order.activated",
        before={"status": t.PAID},
        after={
            "status": order.status,
            "started_at": now.isoformat(),
            "execution_deadline": (
                order.execution_deadline.isoformat() if order.execution_deadline else None
            ),
            "on_time": on_time,
        },
    )
    publish(
        ServiceActivated(
            order_id=order.pk,
            seller_id=order.seller_id,
            at=now,
            payload=activation_payload(order=order),
        )
    )
    return order


@transaction.atomic
def complete_service(*, order: Order, by: Actor, now: datetime | None = None) -> Order:
    """The active service of an online order has been fully performed: ``completed``,
    ``closed_at`` recorded. For a consumer who expressly asked it to start during the
    withdrawal period, a service fully performed before that period ends leaves no right of
    withdrawal (C. conso. L221-28 1°)."""
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    t.check(label=str(order), current=order.status, target=t.COMPLETED)
    order.status = OrderStatus.COMPLETED
    order.closed_at = now
    order.save(update_fields=["status", "closed_at"])
    record_on(
        obj=order,
        actor=by,
        verb="order.completed",
        before={"status": t.ACTIVE},
        after={"status": order.status, "closed_at": now.isoformat()},
    )
    return order
