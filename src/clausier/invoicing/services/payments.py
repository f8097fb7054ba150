"""An issued invoice's payment state, kept from what payments allocates to it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.invoicing.models import Invoice
from clausier.invoicing.services.support import locked_invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now


@transaction.atomic
def record_payments_total(
    *,
    invoice_id: int,
    amount_paid: Decimal,
    received: Decimal,
    paid_on: date | None,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Invoice:
    """The money the payments domain allocated to an issued invoice now adds up to
    ``amount_paid``, the last received on ``paid_on`` (``received``: what this change
    added): the invoice's payment state fields are that total, a cache of the allocations
    (the document does not change). Unchanged figures write nothing."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=Invoice(pk=invoice_id))
    if (invoice.amount_paid, invoice.paid_on) == (amount_paid, paid_on):
        return invoice
    before = {"amount_paid": str(invoice.amount_paid)}
    invoice.amount_paid = amount_paid
    invoice.paid_on = paid_on
    invoice.save(update_fields=["amount_paid", "paid_on", "updated_at"])
    record_on(
        obj=invoice,
        actor=by,
        verb="invoice.payment_recorded",
        before=before,
        after={
            "amount_paid": str(invoice.amount_paid),
            "received": str(received),
            "paid_on": paid_on.isoformat() if paid_on else None,
            "status": invoice.payment_status(today=timezone.localdate(now)),
        },
        trigger=trigger,
    )
    return invoice
