"""The quote as shown, built once for the back-office, the client space and the PDF: its lines
as document rows, and whether it charges VAT (a VAT column).

A sent quote shows what it froze at sending (regime, line amounts); a draft shows the seller's
regime and the amounts of its totals' arithmetic (:func:`clausier.quotes.selectors.quote_totals`).
"""

from __future__ import annotations

from clausier.quotes.models import Quote
from clausier.rules.explain import Explained
from clausier.rules.money import VatRegime
from clausier.web.presenters import DocumentLine
from clausier.web.templatetags.clausier import percent


def charges_vat(quote: Quote) -> bool:
    """Whether the quote bears French VAT: under 293 B no line does, whatever rate it
    carries (no VAT column then). A sent quote's regime is frozen; a draft's is the seller's."""
    return VatRegime(quote.vat_regime or quote.seller.vat_regime).charges_vat


def line_rows(
    quote: Quote, *, totals: Explained | None = None, staff: bool = False
) -> list[DocumentLine]:
    """The quote's lines as document rows, in their order. A line's amount is the one frozen
    at sending, else the draft's from ``totals`` (None: not computable yet, shown "—");
    ``staff`` adds the columns only staff see (product code, VAT rate)."""
    rows = []
    for i, line in enumerate(quote.lines.all()):
        amount = line.amount_ht
        if amount is None and totals is not None:
            amount = totals.value.lines[i]
        more = {"code": line.product_code, "vat": percent(line.vat_rate)} if staff else {}
        rows.append(
            DocumentLine(
                description=line.description,
                quantity=line.quantity,
                unit=line.get_unit_display(),
                unit_price=line.unit_price,
                amount=amount,
                **more,
            )
        )
    return rows
