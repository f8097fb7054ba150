"""What the payment services share: locks, input checks, the invoice's paid state announced."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from clausier.audit.triggers import Trigger
from clausier.invoicing.models import Invoice, InvoiceStatus
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.payments import selectors
from clausier.payments.events import DepositPaid, InvoicePaymentsChanged
from clausier.payments.models import Payment


def locked_payment(*, payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=payment.pk)
    )


def locked_invoice(*, invoice: Invoice) -> Invoice:
    """The invoice row locked while its balance is read and allocated (payments writes
    nothing on it: invoicing keeps its paid state from :class:`InvoicePaymentsChanged`)."""
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=invoice.pk)
    )


def require_payable(*, invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.ISSUED or invoice.is_credit_note:
        raise Conflict(
            _("Un paiement s'enregistre sur une facture émise (%(invoice)s).")
            % {"invoice": invoice}
        )


def announce_invoice_change(
    *,
    invoice: Invoice,
    received: Decimal,
    by: Actor,
    now: datetime,
    trigger: Trigger | None = None,
) -> None:
    """Tell invoicing and orders what the money received on ``invoice`` now adds up to; a
    deposit invoice paid in full is the deposit paid (seed 002 art. 5)."""
    paid, paid_on = selectors.paid_on_invoice(invoice=invoice)
    fully_paid = paid + invoice.credited_amount >= selectors.payable(invoice=invoice)
    publish(
        InvoicePaymentsChanged(
            invoice_id=invoice.pk,
            seller_id=invoice.seller_id,
            order_id=invoice.order_id,
            deposit_request_id=invoice.deposit_request_id,
            kind=invoice.kind,
            amount_paid=paid,
            received=received,
            paid_on=paid_on,
            fully_paid=fully_paid,
            at=now,
            by=by,
            trigger=trigger,
        )
    )
    if invoice.deposit_request_id and fully_paid and paid_on is not None:
        publish(
            DepositPaid(
                order_id=invoice.order_id,
                deposit_request_id=invoice.deposit_request_id,
                seller_id=invoice.seller_id,
                cashed_on=paid_on,
                at=now,
                by=by,
            )
        )
