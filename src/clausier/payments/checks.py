"""Input checks every payment write shares: amounts in euros, past days, single lines.
Each adds its message under the field's name to ``errors``, for one ValidationError
naming every field at once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.kernel.inputs import check_date_window, exact_decimal
from clausier.rules.money import ZERO


def positive_amount(value: Any, errors: dict[str, str], *, field: str = "amount") -> Decimal:
    """``value`` read exactly as euros, strictly positive; else a message under ``field``."""
    try:
        amount = exact_decimal(value, what=_("montant"))
    except ValueError as exc:
        errors[field] = str(exc)
        return ZERO
    if amount <= 0:
        errors[field] = _("le montant doit être strictement positif")
    elif amount != amount.quantize(Decimal("0.01")):
        errors[field] = _("le montant se donne au centime près")
    return amount


def past_day(value: Any, field: str, errors: dict[str, str], *, now: datetime) -> date | None:
    """A day not after today (Paris) and inside the accepted window; else a message."""
    if not isinstance(value, date) or isinstance(value, datetime):
        errors[field] = _("date attendue (AAAA-MM-JJ)")
        return None
    if value > timezone.localdate(now):
        errors[field] = _("un paiement ne peut pas être daté dans le futur")
        return None
    try:
        check_date_window(value, field)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        return None
    return value


def single_line(value: Any) -> str:
    return " ".join(str(value or "").split())
