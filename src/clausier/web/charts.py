"""A bar chart drawn on the server as SVG (``web/_bar_chart.html``): the geometry and the
labels, in the page's language, so that a figure needs no script and no asset from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from clausier.kernel.wording import active_locale
from clausier.rules.money import format_number

# The drawing's grid, in SVG user units (the picture scales to its box).
SLOT = 48  # the width given to each bar, gap included
BAR = 32
PLOT = 150  # the height of the tallest bar
TOP = 18  # room for the value above a bar
BOTTOM = 22  # room for the label under a bar


def whole_eur(amount: Decimal) -> str:
    """An amount rounded half up to the euro in the page's language: "12 345 €", "€12,345"."""
    locale = active_locale()
    digits = format_number(amount, places=0, locale=locale)
    return f"€{digits}" if locale == "en" else f"{digits}\u00a0€"


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # under the bar ("déc.")
    title: str  # in full ("décembre 2026")
    value: Decimal
    href: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    title: str
    value: Decimal
    text: str  # the value as shown ("12 345 €")
    spoken: str  # the bar as a sentence ("mars 2026 : 2 000 €"), for its label and tooltip
    href: str
    x: int
    y: Decimal
    height: Decimal
    centre: int
    value_y: Decimal  # the baseline of the value written above the bar


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_width: int
    baseline: int
    label_y: int


def bar_chart(points: Sequence[Point]) -> BarChart:
    """Bars proportional to the values, the largest at full height. A value at or below zero
    (a month where credit notes outweigh invoices) draws no bar; its label still says it."""
    top = max((p.value for p in points), default=Decimal(0))
    baseline = TOP + PLOT
    bars = []
    for i, point in enumerate(points):
        height = Decimal(0)
        if top > 0 and point.value > 0:
            height = (point.value / top * PLOT).quantize(Decimal("0.1"))
        x = i * SLOT + (SLOT - BAR) // 2
        text = whole_eur(point.value)
        bars.append(
            Bar(
                label=point.label,
                title=point.title,
                value=point.value,
                text=text,
                spoken=_("%(title)s : %(amount)s") % {"title": point.title, "amount": text},
                href=point.href,
                x=x,
                y=baseline - height,
                height=height,
                centre=x + BAR // 2,
                value_y=baseline - height - 4,
            )
        )
    return BarChart(
        bars=bars,
        width=len(points) * SLOT,
        height=baseline + BOTTOM,
        bar_width=BAR,
        baseline=baseline,
        label_y=baseline + BOTTOM - 6,
    )
