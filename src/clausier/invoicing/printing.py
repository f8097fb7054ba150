"""The issued document as a PDF: what the client reads, with its Factur-X XML inside.

``render_invoice_pdf(doc)`` prints the frozen snapshot (never the live rows) and returns a
Factur-X PDF/A-3b: the XML is written and validated *first*, so a document that breaks an
EN 16931 rule raises :class:`~clausier.invoicing.facturx.FacturXInvalid` before anything is
printed. Then Typst prints the page (``invoicing/print/invoice.typ`` with
:func:`~clausier.invoicing.print_data.print_data`) as PDF/A-3b with the XML attached by the
template itself, and :func:`~clausier.invoicing.facturx.xmp.add_facturx_xmp` adds the
Factur-X XMP by one incremental update.

The PDF is dated with the document's issue time: the same document prints to the same bytes,
so a document printed again is never printed differently.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TypedDict, Unpack

from django.utils import translation
from django.utils.translation import gettext as _

from clausier.documents.typst import compile_pdf
from clausier.invoicing import facturx
from clausier.invoicing.document import InvoiceDocument
from clausier.invoicing.facturx.xmp import add_facturx_xmp
from clausier.invoicing.print_data import print_data, title

TEMPLATE = "invoicing/templates/invoicing/print/invoice.typ"


def _image(logo: bytes | str | Path | None) -> bytes | None:
    if logo is None or logo in (b"", ""):
        return None
    return Path(logo).read_bytes() if isinstance(logo, str | Path) else bytes(logo)


def print_time(doc: InvoiceDocument, issued_at: datetime | None = None) -> datetime:
    """The date the PDF carries: the issue time when known, else the issue date at midnight
    UTC; never the time of printing, so that a reprint is the same file."""
    if issued_at is not None:
        return issued_at.astimezone(UTC).replace(microsecond=0)
    return datetime.combine(doc.issue_date, time(0), tzinfo=UTC)


def render_facturx_pdf(
    doc: InvoiceDocument,
    xml: bytes,
    *,
    logo: bytes | str | Path | None = None,
    brand_color: str | None = None,
    language: str = "fr",
    issued_at: datetime | None = None,
) -> bytes:
    """The Factur-X PDF/A-3b of ``doc`` with ``xml``, an already validated XML (as
    :func:`~clausier.invoicing.facturx.check_document` returns it), as ``factur-x.xml``;
    dated ``issued_at`` (see :func:`print_time`)."""
    pdf = compile_pdf(
        TEMPLATE,
        print_data(doc, language=language, color=brand_color),
        metadata=facturx.pdf_metadata(doc),
        timestamp=print_time(doc, issued_at),
        attachment=xml,
        logo=_image(logo),
        language=language,
    )
    return add_facturx_xmp(pdf, xml)


def render_translation_pdf(
    doc: InvoiceDocument,
    *,
    language: str,
    logo: bytes | str | Path | None = None,
    brand_color: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """A courtesy translation of ``doc`` in ``language``: the same page worded in it, headed
    by a notice that the French invoice is the invoice of record. A plain PDF/A, without the
    Factur-X XML: it is not an invoice, and it is never stored nor sent."""
    with translation.override(language):
        name = title(doc)
        metadata = {
            "author": doc.seller.name,
            "title": _("%(seller)s : %(title)s %(number)s (traduction de courtoisie)")
            % {"seller": doc.seller.name, "title": name, "number": doc.number},
            "subject": _("Traduction de courtoisie de la facture %(number)s")
            % {"number": doc.number},
        }
    data = print_data(doc, language=language, color=brand_color, courtesy=True)
    return compile_pdf(
        TEMPLATE,
        data,
        metadata=metadata,
        timestamp=print_time(doc, issued_at),
        logo=_image(logo),
        language=language,
    )


@dataclass(frozen=True)
class RenderedInvoice:
    """The two files an issued document is stored as, with their SHA-256."""

    pdf: bytes
    xml: bytes

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def xml_sha256(self) -> str:
        return hashlib.sha256(self.xml).hexdigest()


class PrintOptions(TypedDict, total=False):
    """How a document is printed: the seller's logo and brand colour, the reader's language
    (``"fr"`` by default), the issue time the PDF is dated with."""

    logo: bytes | str | Path | None
    brand_color: str | None
    language: str
    issued_at: datetime | None


def render_invoice(doc: InvoiceDocument, **options: Unpack[PrintOptions]) -> RenderedInvoice:
    """The Factur-X PDF and its XML (the same bytes as the PDF's ``factur-x.xml``), made at
    issue and stored once. Raises :class:`~clausier.invoicing.facturx.FacturXInvalid`,
    before printing anything, when the document breaks an EN 16931 rule."""
    xml = facturx.check_document(doc)
    return RenderedInvoice(pdf=render_facturx_pdf(doc, xml, **options), xml=xml)


def render_invoice_pdf(doc: InvoiceDocument, **options: Unpack[PrintOptions]) -> bytes:
    """The Factur-X PDF of an issued document: PDF/A-3b with ``factur-x.xml`` (EN16931).

    The XML is validated before anything is printed: an invalid document raises
    :class:`~clausier.invoicing.facturx.FacturXInvalid` naming the broken rule.
    """
    return render_invoice(doc, **options).pdf


__all__ = [
    "TEMPLATE",
    "RenderedInvoice",
    "print_time",
    "render_facturx_pdf",
    "render_invoice",
    "render_invoice_pdf",
    "render_translation_pdf",
]
