"""How collections answers other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from clausier.collections import standing
from clausier.invoicing.models import Invoice


def resume_when_settled(fact) -> None:
    """``payments.events.InvoicePaymentsChanged``: a client suspended for non-payment that owes
    nothing late anymore is resumed (seed 002 art. 6)."""
    client = Invoice.objects.select_related("client").get(pk=fact.invoice_id).client
    standing.resume_if_settled(client=client, by=fact.by, now=fact.at)
