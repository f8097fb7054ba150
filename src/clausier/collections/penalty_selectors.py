"""Reads of a late invoice's penalties for the screens: its record (status, figures as last
accrued, frozen explanation), the waivers granted on it and the penalty invoice that billed
it."""

from __future__ import annotations

from clausier.collections.models import LateInvoice
from clausier.invoicing.models import Invoice


def late_record(*, invoice: Invoice) -> LateInvoice | None:
    """The late record of ``invoice`` (None while it was never found late), with its waivers
    and its billing."""
    return (
        LateInvoice.objects.filter(invoice=invoice)
        .select_related("billing__penalty_invoice")
        .prefetch_related("waivers__created_by")
        .first()
    )


def billing_of(late: LateInvoice | None):
    """The ``PenaltyBilling`` of ``late``, or None while its penalties are not billed."""
    if late is None:
        return None
    try:
        return late.billing
    except LateInvoice.billing.RelatedObjectDoesNotExist:
        return None


def billed_from(*, penalty_invoice: Invoice) -> Invoice | None:
    """The late invoice a penalty invoice billed the penalties of."""
    found = (
        LateInvoice.objects.filter(billing__penalty_invoice=penalty_invoice)
        .select_related("invoice")
        .first()
    )
    return found.invoice if found else None
