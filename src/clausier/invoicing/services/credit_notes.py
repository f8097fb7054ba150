"""Credit notes: never more than what remains creditable."""

from __future__ import annotations

from datetime import datetime
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
from clausier.rules.money import VatRegime

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
