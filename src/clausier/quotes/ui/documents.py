"""What the staff and the client screens show alike of a quote: its PDF as the client
received it, and its acceptance."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from clausier.quotes import delivery
from clausier.quotes.models import Quote, QuoteStatus


def client_pdf_sha256(quote: Quote) -> str:
    """The SHA-256 of the quote's PDF as it was emailed (printed and stored first if it was
    not yet): the document the client accepts."""
    return delivery.ensure_pdf(quote).pdf_sha256


def pdf_response(quote: Quote, *, inline: bool = True) -> HttpResponse:
    """The quote's PDF as the client received it (the stored file), with its SHA-256."""
    if not quote.number:
        raise Http404  # a draft has no number, hence no document yet
    quote = delivery.ensure_pdf(quote)
    response = HttpResponse(delivery.pdf_bytes(quote), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{quote.display_number}.pdf"'
    response["X-Document-SHA256"] = quote.pdf_sha256
    return response


def acceptance_of(quote: Quote):
    """The acceptance of an accepted quote; None for a quote in any other state."""
    return getattr(quote, "acceptance", None) if quote.status == QuoteStatus.ACCEPTED else None
