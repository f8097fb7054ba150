"""Reading what a person or a client program typed into an exact value, or saying why not."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.kernel.clock import PARIS
from clausier.rules import vat_rates


def exact_decimal(value: Any, *, what: str) -> Decimal:
    """``value`` as an exact, finite Decimal: a Decimal, an int, or a string written with a
    dot or a French decimal comma (``"119,40"``). A float is refused (``0.1`` is not one
    tenth in binary, and money computed from it would not be what was typed), as are
    ``None`` and booleans. The ``ValueError`` names ``what`` was being read."""
    if isinstance(value, bool | float) or value is None:
        raise ValueError(
            _("%(what)s : un nombre décimal exact est attendu (« 2 », « 119.40 »)") % {"what": what}
        )
    try:
        result = Decimal(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(
            _("%(what)s invalide : %(value)r") % {"what": what, "value": value}
        ) from None
    if not result.is_finite():
        raise ValueError(_("%(what)s invalide : %(value)r") % {"what": what, "value": value})
    return result


# The dates a person or a client program may type: no document of this software dates from
# before 2000 (the euro, its only currency, was born in 1999), and nothing it plans (a quote's
# validity, a due date, a price's start) lies more than ten years ahead. Outside this window a
# date is a typo or a probe, and a far one breaks the computations made on it (9999-12-31 plus
# a few days, or its conversion to Paris time, overflows Python's dates; before 1911 Paris
# time is its local mean time, +00:09:21, which RFC 3339 cannot write).
DATE_WINDOW_START = date(2000, 1, 1)
DATE_WINDOW_YEARS_AHEAD = 10
# The farthest a time-zone offset goes: RFC 3339 writes up to ±23:59, PostgreSQL keeps ±15:59,
# and real ones stay within -12:00..+14:00.
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)


def date_window(today: date | None = None) -> tuple[date, date]:
    """The first and last dates accepted at input (see ``DATE_WINDOW_START``): ``today`` is
    today in Paris unless given."""
    today = today or timezone.localdate(timezone=PARIS)
    try:
        last = today.replace(year=today.year + DATE_WINDOW_YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + DATE_WINDOW_YEARS_AHEAD, day=28)
    return DATE_WINDOW_START, last


def check_date_window(value: date | datetime | None, field: str) -> date | datetime | None:
    """``value`` unchanged when it (a date, or a datetime's day in Paris) lies in
    :func:`date_window`; ``None`` passes (whether it may be empty is the field's own rule).
    Else a ``ValidationError`` on ``field`` giving the window."""
    if value is None:
        return None
    first, last = date_window()
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(value, datetime) and timezone.is_aware(value) and first <= day <= last:
        day = value.astimezone(PARIS).date()
    if not first <= day <= last:
        raise ValidationError(
            {
                field: _(
                    "date invraisemblable (%(value)s) : une date entre le %(first)s et le "
                    "%(last)s est attendue"
                )
                % {
                    "value": day.strftime("%d/%m/%Y") if day.year >= 1000 else day.isoformat(),
                    "first": first.strftime("%d/%m/%Y"),
                    "last": last.strftime("%d/%m/%Y"),
                }
            },
            code="date_window",
        )
    return value


def vat_rate_error(rate: Decimal, *, postal_code: str = "") -> str | None:
    """Why ``rate`` (a fraction) is not a VAT rate a seller at ``postal_code`` may charge, or
    ``None`` when it is one (:mod:`clausier.rules.vat_rates`)."""
    if vat_rates.is_allowed(rate, postal_code=postal_code):
        return None
    return _(
        "taux de TVA non prévu par la loi (%(rate)s) : taux en vigueur %(rates)s (%(law)s)"
    ) % {
        "rate": vat_rates.percent(rate),
        "rates": ", ".join(
            vat_rates.percent(r) for r in vat_rates.allowed_vat_rates(postal_code=postal_code)
        ),
        "law": vat_rates.rates_source(postal_code=postal_code),
    }


def negative_price_error() -> str:
    """The refusal of a negative unit price: a line of a sale is never negative; a discount is
    the line's ``discount`` (a fraction of its price), a correction a credit note."""
    return _(
        "un prix unitaire ne peut pas être négatif : une remise s'indique dans la remise de la "
        "ligne, une correction par un avoir"
    )
