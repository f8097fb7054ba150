"""Waivers: staff give up all or part of a late invoice's interest or indemnity, with a
reason. The waived amounts are deducted from what is billed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.collections import transitions as states
from clausier.collections.models import LateInvoice, WaivedItem, Waiver
from clausier.collections.services.accruals import accrue, locked_late
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.rules.money import CENT, ZERO


def net_of(*, interest: Decimal, indemnity: Decimal, waivers) -> dict[str, Decimal]:
    """``interest`` and ``indemnity`` less the ``waivers`` granted on them (a full waiver
    leaves nothing of its item, whatever it grew to; never below 0)."""
    left = {str(WaivedItem.INTEREST): interest, str(WaivedItem.INDEMNITY): indemnity}
    for waiver in waivers:
        left[waiver.item] = ZERO if waiver.full else max(ZERO, left[waiver.item] - waiver.amount)
    return {item: value.quantize(CENT) for item, value in left.items()}


def net_owed(*, late: LateInvoice) -> dict[str, Decimal]:
    """What remains to bill of each item once the waivers are deducted (never below 0)."""
    return net_of(interest=late.interest, indemnity=late.indemnity, waivers=late.waivers.all())


def unbilled(*, late: LateInvoice) -> dict[str, Decimal]:
    """What remains to bill of each item: :func:`net_owed` less what earlier penalty
    billings already invoiced (never below 0). A waiver gives up only this part: what was
    billed is on a penalty invoice, which only a credit note reduces."""
    billed = {str(WaivedItem.INTEREST): ZERO, str(WaivedItem.INDEMNITY): ZERO}
    for billing in late.billings.all():
        billed[str(WaivedItem.INTEREST)] += billing.interest
        billed[str(WaivedItem.INDEMNITY)] += billing.indemnity
    return {item: max(ZERO, value - billed[item]) for item, value in net_owed(late=late).items()}


def _amount(value, *, full: bool, left: Decimal) -> Decimal:
    if full:
        return left
    try:
        amount = Decimal(str(value).replace(",", ".")).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("un montant en euros est attendu")}) from None
    if amount <= 0:
        raise ValidationError({"amount": _("le montant abandonné doit être positif")})
    if amount > left:
        raise ValidationError(
            {"amount": _("au plus %(left)s € restent dus sur ce poste") % {"left": left}}
        )
    return amount


@transaction.atomic
def waive(
    *,
    invoice: Invoice,
    item: str,
    reason: str,
    by: Actor,
    on: date,
    amount=None,
    full: bool = False,
    now: datetime | None = None,
) -> Waiver:
    """Give up ``amount`` (or, ``full``, all) of the ``item`` (interest or indemnity) of the
    late ``invoice``, accrued to ``on``, for ``reason`` (required). The late invoice is
    ``waived`` once nothing is left to bill of either item."""
    now = aware_now(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("le motif de la renonciation est obligatoire")})
    if item not in WaivedItem.values:
        raise ValidationError({"item": _("intérêts ou indemnité")})
    invoice, late = locked_late(invoice=invoice)
    late = accrue(invoice=invoice, late=late, on=on, by=by)
    if late is None or late.status != states.ACCRUING:
        raise Conflict(_("%(invoice)s n'a pas de pénalités en cours.") % {"invoice": invoice})
    left = unbilled(late=late)[item]
    if left <= 0 and not full:
        raise ValidationError({"amount": _("rien ne reste dû sur ce poste")})
    waiver = Waiver.objects.create(
        seller_id=late.seller_id,
        late_invoice=late,
        item=item,
        full=full,
        amount=_amount(amount, full=full, left=left),
        reason=reason,
        created_by=acting_user(by=by),
        created_at=now,
    )
    remaining = unbilled(late=late)
    all_full = {w.item for w in late.waivers.filter(full=True)} == set(WaivedItem.values)
    if all_full or (all(v <= 0 for v in remaining.values()) and late.paid_in_full):
        states.check(label=str(late), current=late.status, target=states.WAIVED)
        late.status = states.WAIVED
        late.save(update_fields=["status", "updated_at"])
    record_on(
        obj=late,
        actor=by,
        verb="late_invoice.waived",
        after={
            "item": str(WaivedItem(item).label),
            "amount": str(waiver.amount),
            "full": full,
            "reason": reason,
            "status": late.status,
        },
    )
    return waiver
