"""The order as shown, built once for the back-office and the client space: its lines as
document rows."""

from __future__ import annotations

from collections.abc import Iterable

from clausier.catalog.units import Unit
from clausier.orders.models import Order, OrderLine
from clausier.web.presenters import DocumentLine

UNIT_WORDS = dict(Unit.choices)


def unit_text(line: OrderLine) -> str:
    """A line's unit in words, in the page's language: the name of its unit, or for a metered
    price the product's own unit ("Go·mois") the line froze."""
    if line.unit == Unit.METERED or line.unit not in UNIT_WORDS:
        return line.unit_label or line.unit
    return str(UNIT_WORDS[line.unit])


def line_rows(order: Order, lines: Iterable[OrderLine] | None = None) -> list[DocumentLine]:
    """The order's lines as document rows, in their order, with their frozen amounts, product
    codes and unit prices TTC (each screen chooses the columns it shows). ``lines``: the
    order's lines when the caller has read them already (not read again)."""
    return [
        DocumentLine(
            description=line.description,
            quantity=line.quantity,
            unit=unit_text(line),
            unit_price=line.unit_price,
            amount=line.amount_ht,
            code=line.product_code,
            unit_price_ttc=line.unit_price_ttc,
        )
        for line in (order.lines.all() if lines is None else lines)
    ]
