"""What the invoicing screens show of an issued document, for the back office and the portal."""

from __future__ import annotations

from clausier.invoicing.document import Line
from clausier.web.presenters import DocumentLine


def issued_line(line: Line, **vat_shown: str) -> DocumentLine:
    """A line of an issued document as the lines partial shows it; each screen says how its VAT
    is shown (``vat``, ``vat_category``). The document prints rates in percent."""
    return DocumentLine(
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price_ht,
        amount=line.total_ht,
        discount_rate=line.discount_rate or None,
        **vat_shown,
    )
