"""A bar chart of a meter's consumption per day, drawn on the server as SVG geometry.

Pure: from ``(day, quantity)`` pairs it computes each bar's place and height, the axis
labels and the grid, in the SVG's own units; the template ``metering/_chart.html`` only
writes them out (no JavaScript). A bar's height is ``quantity / top × PLOT_HEIGHT``, where
``top`` is the largest day (a day at 0 has no height, a chart without usage is flat)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

WIDTH = 640
HEIGHT = 220
LEFT = 56  # room for the quantity labels of the axis
BOTTOM = 28  # room for the day labels
TOP = 12
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
PLOT_WIDTH = WIDTH - LEFT - 8
GAP = Decimal("0.2")  # the share of each day's slot left empty between bars
GEOMETRY = Decimal("0.01")


def _at(value: Decimal) -> Decimal:
    return value.quantize(GEOMETRY, ROUND_HALF_UP)


@dataclass(frozen=True)
class Bar:
    day: date
    quantity: Decimal
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label_x: Decimal
    labelled: bool  # the day's number is written under every few bars only


@dataclass(frozen=True)
class Tick:
    quantity: Decimal
    y: Decimal


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    top: Decimal
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = TOP + PLOT_HEIGHT
    right: int = LEFT + PLOT_WIDTH


def _label_every(days: int) -> int:
    return 1 if days <= 10 else 2 if days <= 16 else 5


def bar_chart(series: Sequence[tuple[date, Decimal]]) -> Chart:
    """One bar per day of ``series`` (in its order), scaled to the largest day."""
    top = max((quantity for _day, quantity in series), default=Decimal(0))
    slot = Decimal(PLOT_WIDTH) / max(len(series), 1)
    width = _at(slot * (1 - GAP))
    baseline = Decimal(TOP + PLOT_HEIGHT)
    every = _label_every(len(series))
    bars = []
    for index, (day, quantity) in enumerate(series):
        height = _at(quantity / top * PLOT_HEIGHT) if top > 0 else Decimal(0)
        x = _at(LEFT + slot * index + slot * GAP / 2)
        bars.append(
            Bar(
                day=day,
                quantity=quantity,
                x=x,
                y=baseline - height,
                width=width,
                height=height,
                label_x=_at(x + width / 2),
                labelled=day.day == 1 or day.day % every == 0,
            )
        )
    ticks = tuple(
        Tick(quantity=_at(top * share), y=_at(baseline - PLOT_HEIGHT * share))
        for share in (Decimal(0), Decimal("0.5"), Decimal(1))
    )
    return Chart(bars=tuple(bars), ticks=ticks if top > 0 else ticks[:1], top=top)
