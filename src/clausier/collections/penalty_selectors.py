"""Reads of a late invoice's penalties for the screens: its record (status, figures as last
accrued, frozen explanation), the waivers granted on it and the penalty invoice that billed
it."""

from __future__ import annotations

from clausier.collections.models import LateInvoice, PenaltyInvoicing, PenaltySettings
from clausier.invoicing.models import Invoice


def late_record(*, invoice: Invoice) -> LateInvoice | None:
    """The late record of ``invoice`` (None while it was never found late), with its waivers
    and its billings."""
    return (
        LateInvoice.objects.filter(invoice=invoice)
        .prefetch_related("waivers__created_by", "billings__penalty_invoice")
        .first()
    )


def billings_of(late: LateInvoice | None) -> list:
    """The ``PenaltyBilling`` rows of ``late``, oldest period first (none while not billed)."""
    if late is None:
        return []
    return sorted(late.billings.all(), key=lambda billing: (billing.period_to, billing.pk))


def billed_from(*, penalty_invoice: Invoice) -> Invoice | None:
    """The late invoice a penalty invoice billed the penalties of."""
    found = (
        LateInvoice.objects.filter(billings__penalty_invoice=penalty_invoice)
        .select_related("invoice")
        .first()
    )
    return found.invoice if found else None


def penalty_invoicing(*, seller_id: int) -> str:
    """How ``seller_id`` bills penalties (:class:`PenaltyInvoicing`): automatic unless it
    chose on demand."""
    found = (
        PenaltySettings.objects.filter(seller_id=seller_id).values_list("invoicing", flat=True)
    ).first()
    return found or PenaltyInvoicing.AUTOMATIC
