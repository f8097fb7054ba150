"""The outputs of an issued document: its Factur-X XML, its PDF, and the email that brings
them to the client.

- **XML**, in the issuing transaction (:func:`store_xml`, called by
  ``services.after_issue``): written from the frozen snapshot and validated (a few ms); a
  document that breaks an EN 16931 rule is not issued. Stored with its SHA-256.
- **PDF**, after the commit (:func:`ensure_pdf`, by the delivery task or by whoever needs the
  file first: a download): WeasyPrint prints the snapshot (~130 ms, never under the series
  lock) and the stored XML is embedded, so the PDF carries exactly the XML stored at issue.
  Stored once with its SHA-256 under the invoice's row lock: never rendered again once
  stored, and two callers never store two different files.
- **Email**: see :func:`send_now` (one attempt, retried by the task with growing waits).

Files are named after the document and the start of their hash
(``invoices/<seller id>/<year>/F2026-000123-<sha256[:16]>.pdf``), so a file never replaces
another one with different bytes.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.errors import Conflict
from clausier.invoicing import facturx, printing
from clausier.invoicing.models import Invoice, InvoiceStatus

logger = logging.getLogger(__name__)

# Invoices are printed in French, the language of the document kept for the tax
# administration; the email around it speaks the client's language.
PDF_LANGUAGE = "fr"


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _file_name(invoice: Invoice, sha256: str, extension: str) -> str:
    return f"invoices/{invoice.seller_id}/{invoice.year}/{invoice.number}-{sha256[:16]}.{extension}"


def _write(field: FieldFile, name: str, content: bytes, sha256: str) -> str:
    """Store ``content`` as ``name``; a file already there with the same bytes is reused
    (an issue rolled back and taken again, a crash between the file and the row)."""
    storage = field.storage
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if _sha256(existing.read()) == sha256:
                return name
    return storage.save(name, ContentFile(content))


def _read(field: FieldFile) -> bytes:
    with field.storage.open(field.name, "rb") as stored:
        return stored.read()


def _require_issued(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict(
            _("%(invoice)s n'est pas émise : elle n'a ni PDF ni Factur-X.") % {"invoice": invoice}
        )


# --- XML --------------------------------------------------------------------------------------


def store_xml(*, invoice: Invoice) -> Invoice:
    """Write the Factur-X XML of the issued ``invoice`` from its snapshot, validate it and
    store it with its SHA-256. Raises :class:`~clausier.invoicing.facturx.FacturXInvalid`
    (naming the broken rule) before storing anything. The caller holds the row (the
    issuing transaction)."""
    _require_issued(invoice)
    xml = facturx.check_document(invoice.document)
    sha256 = _sha256(xml)
    invoice.xml.name = _write(invoice.xml, _file_name(invoice, sha256, "xml"), xml, sha256)
    invoice.xml_sha256 = sha256
    invoice.save(update_fields=["xml", "xml_sha256", "updated_at"])
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=invoice.pk)
    )


def xml_bytes(invoice: Invoice) -> bytes:
    """The Factur-X XML of the issued ``invoice``: the file stored at issue, byte for byte
    the one embedded in its PDF. A document issued before XMLs were stored gets its XML
    written and stored now (row-locked, once). :class:`Conflict` for a draft."""
    _require_issued(invoice)
    if not invoice.xml:
        invoice = Invoice.objects.select_related("seller").get(pk=invoice.pk)
    if not invoice.xml:
        with transaction.atomic():
            invoice = _locked(invoice)
            if not invoice.xml:
                store_xml(invoice=invoice)
    return _read(invoice.xml)


# --- PDF --------------------------------------------------------------------------------------


def _logo(invoice: Invoice) -> bytes | None:
    logo = invoice.seller.logo
    if not logo:
        return None
    try:
        return _read(logo)
    except OSError:
        logger.warning("logo of seller %s unreadable: invoice printed without it", logo.name)
        return None


def render_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF/A-3 of the issued ``invoice``: its snapshot printed with the
    seller's logo and brand colour, the stored XML embedded. Does not store it (see
    :func:`ensure_pdf`)."""
    doc = invoice.document
    plain = printing.render_plain_pdf(
        doc,
        logo=_logo(invoice),
        brand_color=invoice.seller.brand_color or None,
        language=PDF_LANGUAGE,
    )
    return facturx.embed(plain, xml_bytes(invoice), metadata=facturx.pdf_metadata(doc))


def ensure_pdf(invoice: Invoice) -> Invoice:
    """The issued ``invoice`` with its PDF stored (``pdf``, ``pdf_sha256``): the stored file
    when there is one, else rendered and stored now. The delivery task and every download
    call it; the first caller prints, under the invoice's row lock, and every later one gets
    the same file. Returns a fresh instance (seller and client selected).
    :class:`Conflict` for a draft."""
    current = Invoice.objects.select_related("seller", "client").get(pk=invoice.pk)
    _require_issued(current)
    if current.pdf and current.pdf_sha256:
        return current
    with transaction.atomic():
        locked = _locked(invoice)
        if locked.pdf and locked.pdf_sha256:
            return locked
        if not locked.xml:
            store_xml(invoice=locked)
        pdf = render_pdf(locked)
        sha256 = _sha256(pdf)
        name = _write(locked.pdf, _file_name(locked, sha256, "pdf"), pdf, sha256)
        # Compare-and-set: where the database has no row locks (SQLite), a second printer
        # that lost the race leaves the first file in place.
        stored = Invoice.objects.filter(pk=locked.pk, pdf_sha256="").update(
            pdf=name, pdf_sha256=sha256, updated_at=timezone.now()
        )
    current = Invoice.objects.select_related("seller", "client").get(pk=invoice.pk)
    if not stored and current.pdf.name != name:
        current.pdf.storage.delete(name)
    return current


def pdf_bytes(invoice: Invoice) -> bytes:
    """The stored PDF of the issued ``invoice`` (printed first if it was not yet)."""
    return _read(ensure_pdf(invoice).pdf)


def queue_email(*, invoice: Invoice) -> None:
    """Placeholder until the email is wired."""
