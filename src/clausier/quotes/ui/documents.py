"""What the staff and the client screens show alike of a quote: its PDF as the client
received it, and its acceptance."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse

from clausier.documents.responses import document_response
from clausier.quotes import delivery
from clausier.quotes.models import Quote, QuoteStatus


def client_pdf_sha256(quote: Quote) -> str:
    """The SHA-256 of the quote's PDF as it was emailed (printed and stored first if it was
    not yet): the document the client accepts."""
    return delivery.ensure_pdf(quote).pdf_sha256


def pdf_language(quote: Quote) -> str:
    """The language of the quote's PDF as the client received it (or will: a sent quote's
    PDF is printed in the client's language at its first reading)."""
    return quote.pdf_language or delivery.client_language(quote)


def pdf_response(quote: Quote, *, inline: bool = True, translation: str = "") -> HttpResponse:
    """The quote's PDF as the client received it (the stored file), with its SHA-256; with
    ``translation`` (a language of the product other than the stored file's), a courtesy
    translation printed now, never stored (``X-Document-Translation``, no SHA-256)."""
    if not quote.number:
        raise Http404  # a draft has no number, hence no document yet
    quote = delivery.ensure_pdf(quote)
    if translation in dict(settings.LANGUAGES) and translation != quote.pdf_language:
        printed = delivery.translated_pdf(quote, language=translation)
        return document_response(
            printed.content,
            filename=f"{quote.display_number}-{translation}.pdf",
            inline=inline,
            translation=translation,
        )
    return document_response(
        delivery.pdf_bytes(quote),
        filename=f"{quote.display_number}.pdf",
        inline=inline,
        sha256=quote.pdf_sha256,
    )


def acceptance_of(quote: Quote):
    """The acceptance of an accepted quote; None for a quote in any other state."""
    return getattr(quote, "acceptance", None) if quote.status == QuoteStatus.ACCEPTED else None
