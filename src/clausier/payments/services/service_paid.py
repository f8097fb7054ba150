"""What a client actually paid for a contract's service by a day (seed 002 art. 10, the
base of the liability cap), measured for contracts' claims and announced as
:class:`~clausier.payments.events.ServicePaidMeasured`.

Counted: the allocations of settled payments to the issued invoices of the contract's order
and to the contract's own final invoices, the payment's day (``settled_on``, else
``received_on``) on or before the claim date; each converted to HT by its invoice's HT/TTC
ratio (rounded to the cent, half up; a seller under the 293 B franchise has HT = TTC).
Refunds of those invoices (a credit note's, a cancelled order's) sent or settled by that
day are deducted the same way."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.payments import transitions as t
from clausier.payments.events import ServicePaidMeasured
from clausier.payments.models import Allocation, Refund
from clausier.payments.paid import PaidPart
from clausier.rules.money import CENT, ZERO

# The final invoice of a contract ended is marked by its notes (invoicing writes them,
# ``invoicing.services.contracts.invoice_terminated_contract``).
FINAL_INVOICE_NOTES = "Facture de fin du contrat {reference},"


def _service_invoices(*, seller_id: int, client_id: int, order_id: int | None, reference: str):
    mine = Q(notes__startswith=FINAL_INVOICE_NOTES.format(reference=reference), order__isnull=True)
    if order_id is not None:
        mine |= Q(order_id=order_id)
    return (
        Invoice.objects.filter(
            seller_id=seller_id, client_id=client_id, status=InvoiceStatus.ISSUED
        )
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .filter(mine)
    )


def _ht(amount: Decimal, invoice: Invoice) -> Decimal:
    if not invoice.total_ttc:
        return ZERO
    return (amount * invoice.total_ht / invoice.total_ttc).quantize(CENT, rounding=ROUND_HALF_UP)


def paid_parts(
    *, seller_id: int, client_id: int, order_id: int | None, reference: str, on: date
) -> list[PaidPart]:
    """The payments (and refunds, negative) counted for the service by ``on``, oldest first."""
    invoices = {
        i.pk: i
        for i in _service_invoices(
            seller_id=seller_id, client_id=client_id, order_id=order_id, reference=reference
        )
    }
    parts = []
    allocations = Allocation.objects.filter(
        invoice_id__in=invoices, payment__status__in=t.SETTLED
    ).select_related("payment")
    for allocation in allocations:
        payment = allocation.payment
        day = payment.settled_on or payment.received_on
        if day is None or day > on:
            continue
        invoice = invoices[allocation.invoice_id]
        parts.append(
            PaidPart(invoice.number or "", day, allocation.amount, _ht(allocation.amount, invoice))
        )
    refunds = Refund.objects.filter(
        Q(invoice_id__in=invoices) | Q(credit_note__corrects_id__in=invoices),
        status__in=(t.SENT, t.REFUND_SETTLED),
    ).select_related("credit_note")
    for refund in refunds:
        day = refund.settled_on or refund.sent_on
        if day is None or day > on:
            continue
        invoice = invoices.get(refund.invoice_id) or invoices[refund.credit_note.corrects_id]
        parts.append(
            PaidPart(invoice.number or "", day, -refund.amount, -_ht(refund.amount, invoice))
        )
    return sorted(parts, key=lambda p: (p.paid_on, p.invoice_number))


def measure_paid_for_service(
    *,
    claim_id: int,
    seller_id: int,
    client_id: int,
    order_id: int | None,
    reference: str,
    claim_date: date,
    by: Actor,
    now: datetime | None = None,
) -> ServicePaidMeasured:
    """Measure what was paid for the service by ``claim_date`` and announce it (a read: no
    write, no audit; contracts records the cap it gives). Never below zero."""
    parts = paid_parts(
        seller_id=seller_id,
        client_id=client_id,
        order_id=order_id,
        reference=reference,
        on=claim_date,
    )
    total = max(sum((p.amount_ht for p in parts), ZERO), ZERO)
    fact = ServicePaidMeasured(
        claim_id=claim_id,
        seller_id=seller_id,
        claim_date=claim_date,
        paid_ht=total,
        parts=tuple(parts),
        at=aware_now(now),
        by=by,
    )
    publish(fact)
    return fact
