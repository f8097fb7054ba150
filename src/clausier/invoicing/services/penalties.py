"""The penalty invoice: late interest and the recovery indemnity of a late invoice, billed
at collections' request (``PenaltiesBilled``), one line per item, outside the scope of VAT
(damages, no supply: CGI art. 256 I)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction

from clausier.audit.triggers import Trigger
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing import selectors
from clausier.invoicing.events import PenaltyInvoiced
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from clausier.invoicing.services.automatic import issue_or_defer
from clausier.invoicing.services.drafts import new_draft
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller


@transaction.atomic
def issue_penalty_invoice(
    *,
    late_invoice: Invoice,
    lines: list[dict],
    billing_id: int,
    by: Actor,
    now: datetime | None = None,
) -> Invoice:
    """Issue the penalty invoice of ``late_invoice``: one line per item of ``lines``
    (``description``, ``amount``), quantity 1, no VAT; under the late invoice's terms. An
    invoice that cannot be issued yet stays a draft with its reason (the payment that
    triggered it still holds). Answers ``PenaltyInvoiced``."""
    now = aware_now(now)
    seller = Seller.objects.get(pk=late_invoice.seller_id)
    client = Client.objects.get(pk=late_invoice.client_id)
    items = [
        InvoiceLine(
            position=position,
            description=item["description"],
            quantity=Decimal("1"),
            unit=Unit.FLAT,
            unit_price=Decimal(item["amount"]),
            vat_rate=ZERO,
        )
        for position, item in enumerate(lines)
        if Decimal(item["amount"]) > 0
    ]
    draft = new_draft(
        seller=seller,
        client=client,
        kind=InvoiceKind.PENALTY,
        lines=items,
        by=by,
        order=late_invoice.order,
        terms_version=selectors.terms_for(invoice=late_invoice),
        notes=f"Pénalités de retard de la facture {late_invoice.number}",
        trigger=Trigger.PENALTIES_BILLED,
    )
    invoice = issue_or_defer(invoice=draft, by=by, now=now, trigger=Trigger.PENALTIES_BILLED)
    publish(
        PenaltyInvoiced(
            invoice_id=invoice.pk,
            billing_id=billing_id,
            seller_id=seller.pk,
            number=invoice.number or "",
            at=now,
            by=by,
        )
    )
    return invoice
