"""Credit notes: never more than what remains creditable."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.triggers import Trigger
from clausier.invoicing import domain, selectors
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clausier.invoicing.services.drafts import new_draft
from clausier.invoicing.services.issue import issue_invoice
from clausier.invoicing.services.lines import build_lines
from clausier.invoicing.services.support import locked_invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.orders.models import Order
from clausier.rules.money import ZERO, VatRegime, format_eur

# --- credit notes -----------------------------------------------------------------------------


@transaction.atomic
def issue_credit_note(
    *,
    invoice: Invoice,
    reason: str,
    by: Actor,
    lines: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Invoice:
    """Issue a credit note (avoir) correcting ``invoice``, the only way to cancel or reduce
    an issued invoice. Without ``lines`` it cancels what remains of the invoice (its own
    lines when nothing was credited yet); with ``lines`` (free lines, as for
    :func:`create_draft`) it credits part of it. Never more than what remains creditable,
    in total and per VAT rate (:class:`Conflict`). ``trigger``: the fact an automatic
    credit note answers (an order cancelled), stated in the trail."""
    now = aware_now(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("indiquez le motif de l'avoir")})
    invoice = locked_invoice(invoice=invoice)
    if invoice.status != InvoiceStatus.ISSUED or invoice.is_credit_note:
        raise Conflict(_("Seule une facture émise peut être corrigée par un avoir."))
    remaining = selectors.creditable(invoice=invoice)
    if remaining.ttc <= 0:
        raise Conflict(
            _("%(invoice)s est déjà entièrement annulée par avoir.") % {"invoice": invoice.number}
        )
    if timezone.localdate(now) < invoice.issue_date:
        raise Conflict(
            _("Un avoir ne peut pas précéder la facture qu'il corrige (%(invoice)s du %(date)s).")
            % {"invoice": invoice.number, "date": f"{invoice.issue_date:%d/%m/%Y}"}
        )
    if lines is None:
        built = [
            InvoiceLine(
                position=position,
                description=facts.description,
                quantity=facts.quantity,
                unit=facts.unit,
                unit_label=facts.unit_label,
                unit_price=facts.unit_price,
                vat_rate=facts.vat_rate,
                discount=facts.discount,
            )
            for position, facts in enumerate(
                domain.remaining_lines(invoice=invoice.document, remaining=remaining)
            )
        ]
    else:
        built = build_lines(
            seller=invoice.seller,
            lines=lines,
            on=timezone.localdate(now),
            charges_vat=VatRegime(invoice.vat_regime or invoice.seller.vat_regime).charges_vat,
        )
    note = new_draft(
        seller=invoice.seller,
        client=invoice.client,
        kind=InvoiceKind.CREDIT_NOTE,
        lines=built,
        by=by,
        order=invoice.order,
        corrects=invoice,
        terms_version=invoice.terms_version,
        reason=reason,
        trigger=trigger,
    )
    return issue_invoice(invoice=note, by=by, now=now, trigger=trigger)


@transaction.atomic
def credit_withdrawn_order(
    *,
    order: Order,
    kept: Decimal,
    reason: str,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> list[Invoice]:
    """A consumer withdrew from ``order`` (C. conso. L221-18): each issued invoice of the
    order (not a credit note, not already fully credited) is credited, by
    :func:`issue_credit_note`, for all the consumer does not owe (L221-24). ``kept``, what he
    owes for the service provided before withdrawing (L221-25), stays invoiced, allocated
    to the invoices in their issue order (the earliest first, each up to what remains of
    it). Without ``kept`` each invoice is credited in full."""
    now = aware_now(now)
    left = max(kept, ZERO)
    notes: list[Invoice] = []
    for invoice in selectors.invoices_of_order(order=order):
        if invoice.is_credit_note or not invoice.is_issued:
            continue
        remaining = selectors.creditable(invoice=invoice)
        if remaining is None or remaining.ttc <= 0:
            continue
        keep = min(left, remaining.ttc)
        left -= keep
        if keep <= 0:
            notes.append(
                issue_credit_note(invoice=invoice, reason=reason, by=by, now=now, trigger=trigger)
            )
            continue
        regime = VatRegime(invoice.vat_regime or invoice.seller.vat_regime)
        lines = domain.withdrawal_lines(
            invoice=invoice.document,
            remaining=remaining,
            keep=keep,
            regime=regime,
            label=(
                f"Rétractation : facture {invoice.number} hors service fourni avant la "
                f"rétractation ({format_eur(keep)} TTC, C. conso. L221-25)"
            ),
        )
        if not lines:
            continue
        notes.append(
            issue_credit_note(
                invoice=invoice,
                reason=reason,
                by=by,
                now=now,
                trigger=trigger,
                lines=[
                    {
                        "description": line.description,
                        "quantity": str(line.quantity),
                        "unit": line.unit,
                        "unit_price": str(line.unit_price),
                        **({"vat_rate": str(line.vat_rate)} if regime.charges_vat else {}),
                    }
                    for line in lines
                ],
            )
        )
    return notes
