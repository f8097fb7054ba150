"""What the staff and the client screens show alike of a quote: its PDF as the client
received it, and its acceptance."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from clausier.quotes.models import Quote, QuoteStatus
from clausier.quotes.printing import render_quote_pdf


def client_pdf(quote: Quote):
    """The quote's PDF in the client's language, as it was emailed: the same document, the
    same hash."""
    return render_quote_pdf(quote=quote, language=quote.client.preferred_language or "fr")


def pdf_response(quote: Quote, *, inline: bool = True) -> HttpResponse:
    """The quote's PDF as the client received it, with its SHA-256."""
    if not quote.number:
        raise Http404  # a draft has no number, hence no document yet
    pdf = client_pdf(quote)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{quote.display_number}.pdf"'
    response["X-Document-SHA256"] = pdf.sha256
    return response


def acceptance_of(quote: Quote):
    """The acceptance of an accepted quote; None for a quote in any other state."""
    return getattr(quote, "acceptance", None) if quote.status == QuoteStatus.ACCEPTED else None
