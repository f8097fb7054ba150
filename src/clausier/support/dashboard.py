"""The agents' dashboard (pure): per calendar month, the tickets opened under a service level,
how many breached a guarantee, and the median times to intervene (GTI) and to repair (GTR);
drawn as server-side SVG bar charts (geometry here, the template only writes it out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

WIDTH = 640
HEIGHT = 200
LEFT = 40
BOTTOM = 24
TOP = 10
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
PLOT_WIDTH = WIDTH - LEFT - 8
GEOMETRY = Decimal("0.01")


@dataclass(frozen=True)
class TicketTimes:
    """One ticket as the dashboard counts it: its month, whether a guarantee was breached,
    the minutes to acknowledge and to resolve (None when not yet)."""

    opened_at: datetime
    month: date
    breached: bool
    intervention: int | None
    repair: int | None


@dataclass(frozen=True)
class Month:
    month: date
    tickets: int
    breached: int
    median_intervention: int | None
    median_repair: int | None


def months(rows: Sequence[TicketTimes], *, firsts: Sequence[date]) -> list[Month]:
    """Each month of ``firsts`` (their first days) with its figures."""
    found = []
    for first in firsts:
        of = [r for r in rows if r.month == first]
        gti = [r.intervention for r in of if r.intervention is not None]
        gtr = [r.repair for r in of if r.repair is not None]
        found.append(
            Month(
                month=first,
                tickets=len(of),
                breached=sum(1 for r in of if r.breached),
                median_intervention=round(median(gti)) if gti else None,
                median_repair=round(median(gtr)) if gtr else None,
            )
        )
    return found


@dataclass(frozen=True)
class Bar:
    month: date
    value: int
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label_x: Decimal


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    top: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - 8
    baseline: int = HEIGHT - BOTTOM


def _at(value: Decimal) -> Decimal:
    return value.quantize(GEOMETRY, ROUND_HALF_UP)


def bar_chart(series: Sequence[tuple[date, int | None]]) -> Chart:
    """One bar per month, its height ``value / top × PLOT_HEIGHT`` (no value: no bar)."""
    top = max((v or 0 for _, v in series), default=0)
    slot = Decimal(PLOT_WIDTH) / max(len(series), 1)
    bars = []
    for i, (month, value) in enumerate(series):
        height = Decimal(0) if not top else Decimal(value or 0) / top * PLOT_HEIGHT
        x = LEFT + slot * i + slot * Decimal("0.15")
        bars.append(
            Bar(
                month=month,
                value=value or 0,
                x=_at(x),
                y=_at(Decimal(HEIGHT - BOTTOM) - height),
                width=_at(slot * Decimal("0.7")),
                height=_at(height),
                label_x=_at(LEFT + slot * i + slot / 2),
            )
        )
    return Chart(bars=tuple(bars), top=top)
