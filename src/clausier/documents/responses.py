"""A stored or printed document as an HTTP download, saying which it is.

A stored document (the PDF the client received, the Factur-X of record) travels with its
SHA-256 (``X-Document-SHA256``), which the audit trail and an acceptance record. A courtesy
translation, printed on demand and never stored, is not that document: it says so with
``X-Document-Translation: <language>`` and carries no hash.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def document_response(
    content: bytes,
    *,
    filename: str,
    content_type: str = "application/pdf",
    inline: bool = False,
    sha256: str = "",
    translation: str = "",
) -> HttpResponse:
    """``content`` as a download named ``filename`` (inline to be shown in the browser): with
    ``sha256`` the stored document's hash, with ``translation`` the language of a courtesy
    translation (one or the other)."""
    if sha256 and translation:
        raise ValueError("a courtesy translation is not the stored document: no hash for it")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    if sha256:
        response["X-Document-SHA256"] = sha256
    if translation:
        response["X-Document-Translation"] = translation
    return response
