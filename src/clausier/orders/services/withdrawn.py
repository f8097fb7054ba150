"""A consumer's withdrawal recorded on its order (C. conso. L221-18)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.orders import transitions as t
from clausier.orders.models import Order, OrderStatus
from clausier.orders.services.support import locked_deposit, locked_order


@transaction.atomic
def record_withdrawal(
    *,
    order_id: int,
    withdrawn_on: date,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Order:
    """The consumer withdrew from ``order`` (withdrawal's ``WithdrawalAccepted``), the seller
    having received it on ``withdrawn_on``: the order is ``withdrawn``, a final state (never
    cancelled afterwards: invoicing credits its invoices for the withdrawal, not again for a
    cancellation); a deposit not yet cashed is cancelled with it. Idempotent."""
    now = aware_now(now)
    order = locked_order(order=Order(pk=order_id))
    if order.status == OrderStatus.WITHDRAWN:
        return order
    before = {"status": order.status}
    t.check(label=str(order), current=order.status, target=t.WITHDRAWN)
    deposit = locked_deposit(order=order)
    if deposit is not None and deposit.status in {t.REQUESTED, t.INVOICED}:
        deposit.status = t.DEPOSIT_CANCELLED
        deposit.save(update_fields=["status"])
    order.status = OrderStatus.WITHDRAWN
    order.withdrawn_on = withdrawn_on
    order.closed_at = order.closed_at or now
    order.save(update_fields=["status", "withdrawn_on", "closed_at"])
    record_on(
        obj=order,
        actor=by,
        verb="order.withdrawn",
        before=before,
        after={"status": order.status, "withdrawn_on": withdrawn_on.isoformat()},
        trigger=trigger,
    )
    return order
