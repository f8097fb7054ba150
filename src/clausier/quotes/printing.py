"""The quote as a PDF: what the client reads, signs ("Bon pour accord") and accepts."""

from __future__ import annotations

from types import SimpleNamespace

from clausier.documents.pdf import RenderedPdf, render_pdf
from clausier.quotes import presenters
from clausier.quotes.models import AttachmentKind, Quote
from clausier.rules.deadlines import unit_label

# How the `from` of a payment.due clause reads in a sentence.
PERIOD_STARTS = {"invoice_date": "date de facture", "invoice_receipt": "réception de la facture"}


def render_quote_pdf(*, quote: Quote, language: str = "fr") -> RenderedPdf:
    """Print a sent quote from what it froze at sending (parties, terms, totals)."""
    if not quote.number:
        raise ValueError("quote: only a sent quote (with its number) is printed")
    params = quote.payment_terms.get("parameters", {})
    attachments = list(quote.attachments.order_by("created_at", "id"))
    context = {
        "quote": quote,
        "seller": SimpleNamespace(**quote.parties["seller"], brand_color=quote.seller.brand_color),
        "client": SimpleNamespace(**quote.parties["client"]),
        "lines": list(quote.lines.order_by("position", "id")),
        "charges_vat": presenters.charges_vat(quote),
        "payment_period": unit_label(params["n"], params["unit"]) if params else "",
        "payment_from": PERIOD_STARTS.get(params.get("from", ""), params.get("from", "")),
        "deposit_percent": (
            f"{(quote.deposit_rate * 100).normalize():f}" if quote.deposit_rate else ""
        ),
        "specifications": [a for a in attachments if a.kind == AttachmentKind.SPECIFICATION],
        "mockups": [a for a in attachments if a.kind == AttachmentKind.MOCKUP],
    }
    return render_pdf(template="quotes/quote_pdf.html", context=context, language=language)
