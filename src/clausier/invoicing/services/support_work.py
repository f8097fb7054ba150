"""The draft invoice of support work outside the maintenance (seed 000 art. 9: an excluded
case taken in charge "au tarif en vigueur à la date d'intervention"): one line per time
entry, at the hourly rate frozen on it; the seller reviews and issues it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from clausier.audit.triggers import Trigger
from clausier.catalog.domain import STANDARD_VAT_RATE
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.invoicing.services.drafts import new_draft
from clausier.invoicing.services.lines import build_lines
from clausier.invoicing.services.support import regime_for
from clausier.kernel.actor import Actor
from clausier.sellers.models import Seller

PARIS = ZoneInfo("Europe/Paris")


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d}" if hours else f"{rest} min"


def _line(item: Any, *, reference: str, vat_rate: Decimal | None) -> dict[str, Any]:
    # Printed on the invoice, a French document whatever the reader's language.
    day = item.started.astimezone(PARIS).strftime("%d/%m/%Y")
    line = {
        "description": (
            f"Ticket {reference}, intervention du {day} hors maintenance : {item.description} "
            f"({_duration(item.minutes)} à {item.hourly_rate_ht} € HT/h, {item.rate_source})"
        ),
        "quantity": "1",
        "unit": Unit.FLAT,
        "unit_price": str(item.amount_ht),
    }
    if vat_rate is not None:
        line["vat_rate"] = str(vat_rate)
    return line


@transaction.atomic
def draft_support_work(
    *,
    seller_id: int,
    client_id: int,
    ticket_reference: str,
    exclusion_reason: str,
    lines: Sequence[Any],
    by: Actor,
    now: datetime,
) -> Invoice:
    """A draft invoice of ``lines`` (``support.events.BillableLine``, read by their fields)
    for the work on ticket ``ticket_reference``."""
    seller = Seller.objects.get(pk=seller_id)
    client = Client.objects.get(pk=client_id, seller_id=seller_id)
    charges_vat = regime_for(seller=seller, client=client, kind=InvoiceKind.STANDARD).charges_vat
    vat_rate = STANDARD_VAT_RATE.value if charges_vat else None
    built = build_lines(
        seller=seller,
        lines=[_line(item, reference=ticket_reference, vat_rate=vat_rate) for item in lines],
        on=timezone.localdate(now),
        charges_vat=charges_vat,
    )
    return new_draft(
        seller=seller,
        client=client,
        kind=InvoiceKind.STANDARD,
        lines=built,
        by=by,
        notes=f"Cas exclu de la maintenance (CGV art. 9) : {exclusion_reason}",
        trigger=Trigger.SUPPORT_WORK_BILLABLE,
    )
