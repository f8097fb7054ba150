"""Payments recorded on an issued invoice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.invoicing.models import (
    Invoice,
    InvoiceStatus,
)
from clausier.invoicing.services.support import locked_invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.inputs import check_date_window, exact_decimal
from clausier.rules.money import ZERO, format_eur

# --- payments --------------------------------------------------------------------------------


@transaction.atomic
def record_invoice_payment(
    *,
    invoice: Invoice,
    amount: Any,
    paid_on: date,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Invoice:
    """A payment of ``amount`` received on ``paid_on`` for an issued invoice: its payment
    status fields change (the document does not). ``trigger``: the fact an automatic
    payment answers (a deposit cashed), stated in the trail."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict(_("Un paiement s'enregistre sur une facture émise."))
    errors: dict[str, str] = {}
    try:
        received = exact_decimal(amount, what=_("montant"))
    except ValueError as exc:
        errors["amount"] = str(exc)
    else:
        if received <= 0:
            errors["amount"] = _("le montant doit être strictement positif")
    if paid_on > timezone.localdate(now):
        errors["paid_on"] = _("un paiement ne peut pas être daté dans le futur")
    elif invoice.order is not None and paid_on < timezone.localdate(invoice.order.ordered_at):
        errors["paid_on"] = _(
            "un paiement ne peut pas être daté d'avant la commande (passée le %(date)s)"
        ) % {"date": f"{timezone.localdate(invoice.order.ordered_at):%d/%m/%Y}"}
    else:
        try:
            check_date_window(paid_on, "paid_on")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    unpaid = invoice.unpaid
    if "amount" not in errors and received > unpaid:
        errors["amount"] = _(
            "le montant dépasse le reste dû (%(unpaid)s) : un trop-perçu se rembourse ou se "
            "règle par avoir, il ne s'enregistre pas comme paiement de la facture"
        ) % {"unpaid": format_eur(max(unpaid, ZERO))}
    if errors:
        raise ValidationError(errors)
    before = {"amount_paid": str(invoice.amount_paid)}
    invoice.amount_paid += received
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
            "paid_on": paid_on.isoformat(),
            "status": invoice.payment_status(today=timezone.localdate(now)),
        },
        trigger=trigger,
    )
    return invoice
