"""How collections answers the payments' and invoicing's facts (wired in
``clausier/reactions.py``), each in the publisher's transaction and through collections' own
services."""

from __future__ import annotations

from clausier.collections import penalty_selectors, services, standing
from clausier.collections.models import PenaltyInvoicing
from clausier.invoicing.events import PenaltyInvoiced
from clausier.invoicing.models import Invoice
from clausier.payments.events import InvoicePaymentsChanged


def bill_when_paid(fact: InvoicePaymentsChanged) -> None:
    """A late invoice paid in full: its penalties are billed on a penalty invoice (issue 17,
    seed 002 art. 6), unless its seller bills them on demand. Never refuses the payment."""
    if not fact.fully_paid:
        return
    if penalty_selectors.penalty_invoicing(seller_id=fact.seller_id) != PenaltyInvoicing.AUTOMATIC:
        return  # staff bill them from the invoice's page
    services.bill_when_paid(
        invoice_id=fact.invoice_id, paid_on=fact.paid_on, by=fact.by, now=fact.at
    )


def record_penalty_invoice(fact: PenaltyInvoiced) -> None:
    """The penalty invoice invoicing made is linked to the billing that asked for it."""
    services.record_penalty_invoice(
        billing_id=fact.billing_id, invoice_id=fact.invoice_id, by=fact.by
    )


def resume_when_settled(fact: InvoicePaymentsChanged) -> None:
    """A client suspended for non-payment that owes nothing late anymore is resumed (seed 002
    art. 6)."""
    client = Invoice.objects.select_related("client").get(pk=fact.invoice_id).client
    standing.resume_if_settled(client=client, by=fact.by, now=fact.at)
