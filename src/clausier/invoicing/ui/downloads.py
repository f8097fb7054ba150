"""The PDF a reader downloads: the stored French invoice, or a courtesy translation."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from clausier.documents.responses import document_response
from clausier.invoicing import delivery, presenters
from clausier.invoicing.models import Invoice


def translated_download(invoice: Invoice, language: str) -> HttpResponse:
    """A courtesy translation of the issued ``invoice`` in ``language``, printed now (not
    stored): no ``X-Document-SHA256``, ``X-Document-Translation: <language>`` instead."""
    return document_response(
        delivery.translated_pdf(invoice, language=language),
        filename=f"{invoice.number}-{language}.pdf",
        translation=language,
    )


def wants_translation(request: HttpRequest) -> str:
    """The language of the translation a download asks for: the reader's, unless French or
    the French original is asked for (``?original=1``); "" for the stored PDF."""
    language = translation.get_language() or "fr"
    if presenters.reads_french(language) or request.GET.get("original") == "1":
        return ""
    return language.split("-")[0]
