"""The final invoice of a terminated contract (seed 002 art. 7: "seront dues par le client
les sommes correspondant aux prestations réalisées jusqu'à la date de prise d'effet de la
résiliation et non encore payées"): one line per contract line with work done and not yet
paid, pro rata temporis as contracts computed it, at the line's VAT rate, under the
contract's terms. Nothing is invoiced when nothing is owed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from clausier.audit.triggers import Trigger
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from clausier.invoicing.services.automatic import issue_or_defer
from clausier.invoicing.services.drafts import new_draft
from clausier.kernel.actor import Actor
from clausier.orders.models import Order
from clausier.sellers.models import Seller
from clausier.terms.models import TermsVersion


@transaction.atomic
def invoice_terminated_contract(
    *,
    seller_id: int,
    client_id: int,
    order_id: int | None,
    terms_version_id: int,
    reference: str,
    effective_on: date,
    lines: list[tuple[str, Decimal, Decimal, date, date]],
    by: Actor,
    now: datetime,
) -> Invoice | None:
    """Issue the final invoice of contract ``reference`` ended on ``effective_on``:
    ``lines`` are ``(description, owed HT, VAT rate, from, through)``; a line owing nothing
    is left out, and with none the contract leaves no invoice (None). An invoice that cannot
    be issued yet stays a draft with its reason."""
    items = [
        InvoiceLine(
            position=position,
            description=(
                f"{description} : prestations du {start:%d/%m/%Y} au {through:%d/%m/%Y}, "
                "au prorata temporis (résiliation)"
            ),
            quantity=Decimal("1"),
            unit=Unit.FLAT,
            unit_price=owed,
            vat_rate=vat_rate,
        )
        for position, (description, owed, vat_rate, start, through) in enumerate(lines)
        if owed > 0
    ]
    if not items:
        return None
    draft = new_draft(
        seller=Seller.objects.get(pk=seller_id),
        client=Client.objects.get(pk=client_id, seller_id=seller_id),
        kind=InvoiceKind.STANDARD,
        lines=items,
        by=by,
        order=Order.objects.get(pk=order_id) if order_id else None,
        terms_version=TermsVersion.objects.get(pk=terms_version_id),
        # Printed on the invoice, a French document whatever the reader's language.
        notes=(
            f"Facture de fin du contrat {reference}, résilié au {effective_on:%d/%m/%Y} "
            "(CGV art. 7 : prestations réalisées et non encore payées)"
        ),
        service_date=effective_on,
        trigger=Trigger.CONTRACT_TERMINATED,
    )
    return issue_or_defer(invoice=draft, by=by, now=now, trigger=Trigger.CONTRACT_TERMINATED)
