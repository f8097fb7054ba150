"""Prepaid credits: granted or bought (staff, audited), drawn by a period's consumption
before the rest is invoiced (once per subscription and period), the low-balance threshold."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.customers.models import Client
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.metering.models import CreditAccount, CreditEntry, CreditKind
from clausier.rules.money import CENT, ZERO


def _account(client: Client) -> CreditAccount:
    """The client's account, created on first use, locked."""
    CreditAccount.objects.get_or_create(client=client, defaults={"seller_id": client.seller_id})
    return CreditAccount.objects.select_for_update().get(client=client)


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError({field: _("un montant HT en euros, positif, au centime près")})
    return amount


@transaction.atomic
def grant_credit(
    *,
    client: Client,
    amount: Decimal,
    reason: str,
    by: Actor,
    kind: str = CreditKind.GRANT,
    now: datetime | None = None,
) -> CreditEntry:
    """``amount`` HT of credits for ``client``, bought or granted, with its reason."""
    if kind not in (CreditKind.GRANT, CreditKind.PURCHASE):
        raise ValidationError({"kind": _("des crédits sont achetés ou offerts")})
    amount = _amount(amount, "amount")
    if not reason.strip():
        raise ValidationError({"reason": _("le motif est obligatoire")})
    account = _account(client)
    entry = CreditEntry.objects.create(
        account=account, kind=kind, amount=amount, reason=reason.strip(), at=aware_now(now)
    )
    record_on(
        obj=client,
        actor=by,
        verb="credits.granted",
        after={"kind": kind, "amount": str(amount), "reason": entry.reason},
    )
    return entry


@transaction.atomic
def set_low_balance_threshold(*, client: Client, threshold: Decimal, by: Actor) -> CreditAccount:
    threshold = Decimal(str(threshold))
    if not threshold.is_finite() or threshold < 0 or threshold != threshold.quantize(CENT):
        raise ValidationError(
            {"low_balance_threshold": _("un montant HT en euros, positif ou nul, au centime près")}
        )
    account = _account(client)
    before = account.low_balance_threshold
    account.low_balance_threshold = threshold
    account.save(update_fields=["low_balance_threshold"])
    record_on(
        obj=client,
        actor=by,
        verb="credits.threshold_set",
        before={"threshold": str(before)},
        after={"threshold": str(threshold)},
    )
    return account


@transaction.atomic
def draw_credit(
    *, client: Client, amount: Decimal, reference: str, by: Actor, at: datetime | None = None
) -> Decimal:
    """Draw up to ``amount`` HT (a period's consumption) from the client's credits, once per
    ``reference`` (e.g. ``<subscription external id>/2026-11``): returns what was drawn (0
    without credits; the same figure again for a reference already drawn)."""
    account = CreditAccount.objects.select_for_update().filter(client=client).first()
    if account is None or amount <= 0:
        return ZERO
    done = CreditEntry.objects.filter(
        account=account, kind=CreditKind.DRAWDOWN, reference=reference
    ).first()
    if done is not None:
        return -done.amount
    at = aware_now(at)
    available = sum(
        (e.amount for e in CreditEntry.objects.filter(account=account, at__lte=at)), ZERO
    )
    drawn = min(Decimal(amount).quantize(CENT), max(available, ZERO))
    if drawn <= 0:
        return ZERO
    CreditEntry.objects.create(
        account=account,
        kind=CreditKind.DRAWDOWN,
        amount=-drawn,
        reason=_("Consommation %(reference)s") % {"reference": reference},
        reference=reference,
        at=at,
    )
    record_on(
        obj=client,
        actor=by,
        verb="credits.drawn",
        after={"amount": str(drawn), "reference": reference},
    )
    return drawn


@transaction.atomic
def record_low_balance_warning(
    *, account: CreditAccount, warned_at: datetime | None, to: list[str] | None = None
) -> None:
    """The warning of a crossing sent (``warned_at``), or the balance back above its
    threshold (``None``: the next crossing warns again)."""
    locked = CreditAccount.objects.select_for_update().get(pk=account.pk)
    locked.low_balance_warned_at = warned_at
    locked.save(update_fields=["low_balance_warned_at"])
    if warned_at is not None:
        record_on(
            obj=locked.client,
            actor=None,
            verb="credits.low_balance_warned",
            after={"to": to or [], "at": warned_at.isoformat()},
        )
