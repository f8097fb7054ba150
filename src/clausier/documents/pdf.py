"""PDF rendering: a Django template printed by WeasyPrint.

Templates extend ``documents/print_base.html`` (A4, page numbers, the seller's colour and
legal footer). Fonts are Liberation (Debian's fonts-liberation2, installed by the Makefile)
with DejaVu as fallback, so the same document renders the same on every machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str


def render_pdf(*, template: str, context: dict[str, Any], language: str = "fr") -> RenderedPdf:
    """Render ``template`` with ``context`` in ``language`` and print it to PDF bytes."""
    with translation.override(language):
        html = render_to_string(template, context)
    content = HTML(string=html).write_pdf()
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())
