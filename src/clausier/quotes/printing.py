"""The quote as a PDF: what the client reads, signs ("Bon pour accord") and accepts.

Typst prints ``quotes/print/quote.typ`` with :func:`~clausier.quotes.print_data.print_data`
as PDF/A-3b (no attachment: a quote carries no Factur-X XML), dated with the quote's sending
time: the PDF the client received and the one downloaded later are the same file (same
SHA-256, which the acceptance records).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC

from django.utils import translation
from django.utils.translation import pgettext

from clausier.documents.stored import printable_logo
from clausier.documents.typst import compile_pdf
from clausier.quotes.models import Quote
from clausier.quotes.print_data import print_data, title

TEMPLATE = "quotes/templates/quotes/print/quote.typ"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str


def render_quote_pdf(*, quote: Quote, language: str = "fr") -> RenderedPdf:
    """Print a sent quote from what it froze at sending (parties, terms, totals)."""
    if not quote.number or quote.sent_at is None:
        raise ValueError("quote: only a sent quote (with its number) is printed")
    with translation.override(language):
        metadata = {
            "title": title(quote),
            "author": quote.parties["seller"].get("legal_name", ""),
            "subject": pgettext("document", "Devis"),
        }
    content = compile_pdf(
        TEMPLATE,
        print_data(quote, language=language),
        metadata=metadata,
        timestamp=quote.sent_at.astimezone(UTC).replace(microsecond=0),
        logo=printable_logo(quote.seller.logo),
        language=language,
    )
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())


__all__ = ["TEMPLATE", "RenderedPdf", "render_quote_pdf"]
