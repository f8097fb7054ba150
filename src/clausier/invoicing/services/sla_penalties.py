"""The credit note of a service-level penalty (seed 000 art. 10.1.4, support's
``SlaPenaltyAssessed``). "Sous forme d'avoir sur la prochaine facture" is read as: the credit
note is issued at once against the client's latest issued invoice, so the next sum the client
pays is reduced by it; the penalty HT at that invoice's VAT rate."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.triggers import Trigger
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing import selectors
from clausier.invoicing.models import Invoice
from clausier.invoicing.services.credit_notes import issue_credit_note
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict


def _latest_creditable(
    *, seller_id: int, client_id: int, amount_ht: Decimal
) -> tuple[Invoice, Decimal] | None:
    """The latest issued invoice with a VAT rate whose HT left to credit covers
    ``amount_ht``, and that rate (a fraction)."""
    client = Client.objects.get(pk=client_id, seller_id=seller_id)
    candidates = selectors.invoices_for_client(client=client).order_by(
        "-issue_date", "-sequence", "-id"
    )
    for invoice in candidates:
        remaining = selectors.creditable(invoice=invoice)
        if remaining is None:
            continue
        fitting = [rate for rate, ht in remaining.by_rate.items() if ht >= amount_ht]
        if fitting:
            return invoice, max(fitting)
    return None


@transaction.atomic
def credit_sla_penalty(
    *,
    seller_id: int,
    client_id: int,
    amount_ht: Decimal,
    reason: str,
    by: Actor,
    now: datetime,
) -> Invoice:
    """A credit note of ``amount_ht`` against the client's latest issued invoice that can
    still be credited that much (:class:`Conflict` when there is none)."""
    found = _latest_creditable(seller_id=seller_id, client_id=client_id, amount_ht=amount_ht)
    if found is None:
        raise Conflict(
            _("Aucune facture émise de ce client ne peut porter l'avoir de la pénalité.")
        )
    invoice, rate = found
    line = {
        "description": reason,
        "quantity": "1",
        "unit": Unit.FLAT,
        "unit_price": str(amount_ht),
    }
    if rate:
        line["vat_rate"] = str(rate)
    return issue_credit_note(
        invoice=invoice,
        reason=reason,
        lines=[line],
        by=by,
        now=now,
        trigger=Trigger.SLA_PENALTY,
    )
