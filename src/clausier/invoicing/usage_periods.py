"""The months a usage billing run bills (calendar months of Europe/Paris, seed 000 art. 3)
and how its invoice lines word them. Pure."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Final

from clausier.metering.domain import PARIS
from clausier.rules.formats import format_number

QUANTITY_PLACES: Final = Decimal("0.001")  # what an invoice line's quantity holds
MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


# --- months -----------------------------------------------------------------------------------


def parse_period(text: str) -> date:
    """``2026-10`` as the first day of that month; ``ValueError`` naming the expected form."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValueError(f"period {text!r}: expected a month as YYYY-MM (2026-10)") from None


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_bounds(period: date) -> tuple[datetime, datetime]:
    """The calendar month of ``period`` in Europe/Paris, ``[start, end)``."""
    first = period.replace(day=1)
    return (
        datetime.combine(first, time(0), tzinfo=PARIS),
        datetime.combine(add_months(first, 1), time(0), tzinfo=PARIS),
    )


def previous_month(now: datetime) -> date:
    """The month before the one ``now`` is in, in Europe/Paris."""
    today = now.astimezone(PARIS).date()
    return add_months(today.replace(day=1), -1)


def month_phrase(period: date) -> str:
    """ "d'octobre 2026", "de mars 2026": the month as a French invoice line names it."""
    name = MONTHS[period.month - 1]
    article = "d'" if name[0] in "aeiouéè" else "de "
    return f"{article}{name} {period.year}"


def shown_quantity(quantity: Decimal) -> str:
    """A quantity as a French invoice line prints it: exact up to 3 decimals, else rounded."""
    exact = quantity.normalize()
    if exact.as_tuple().exponent >= -3:  # type: ignore[operator]
        return format_number(exact)
    return format_number(quantity, places=3)
