"""The outputs of an issued document: its Factur-X XML, its PDF, and the email that brings
them to the client.

- **XML**, in the issuing transaction: written from the frozen document and validated
  before the number is taken (a few ms, out of the series lock; a document that breaks an
  EN 16931 rule is not issued), then stored with its SHA-256 by :func:`issue_outputs`
  (``services.after_issue``). :func:`store_xml` does the same for a document issued
  before XMLs were stored.
- **PDF**, after the commit (:func:`ensure_pdf`, by the delivery task or by whoever needs the
  file first: a download): Typst prints the snapshot (a few tens of ms, never under the
  series lock) and the stored XML is embedded, so the PDF carries exactly the XML stored at issue.
  Stored once with its SHA-256 under the invoice's row lock: never rendered again once
  stored, and two callers never store two different files.
- **Email**: see :func:`send_now` (one attempt, retried by the task with growing waits).

Files are named after the document and the start of their hash
(``invoices/<seller id>/<year>/F2026-000123-<sha256[:16]>.pdf``), so a file never replaces
another one with different bytes.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.audit.models import Event
from clausier.audit.services import record_on
from clausier.customers.models import Client
from clausier.customers.selectors import document_language
from clausier.documents.email import Attachment, send_email
from clausier.documents.stored import printable_logo, read_file, sha256_of, write_once
from clausier.invoicing import facturx, presenters, printing
from clausier.invoicing.models import DeliveryStatus, Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.retries import delay_after
from clausier.kernel.wording import worded
from clausier.rules.money import format_eur

# Invoices are printed, stored and sent in French, the language of the document kept for the
# tax administration; the email around it speaks the client's language, and a reader of
# another language may download a courtesy translation (:func:`translated_pdf`).
PDF_LANGUAGE = "fr"


def _file_name(invoice: Invoice, sha256: str, extension: str) -> str:
    return f"invoices/{invoice.seller_id}/{invoice.year}/{invoice.number}-{sha256[:16]}.{extension}"


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
    invoice.save(update_fields=[*_set_xml(invoice), "updated_at"])
    return invoice


def _set_xml(invoice: Invoice) -> list[str]:
    """Write the XML of the issued ``invoice`` from its snapshot, validate and store it."""
    _require_issued(invoice)
    return _keep_xml(invoice, facturx.check_document(invoice.document))


def _keep_xml(invoice: Invoice, xml: bytes) -> list[str]:
    """Store ``xml`` (validated) as the XML of ``invoice``, with its SHA-256."""
    sha256 = sha256_of(xml)
    invoice.xml.name = write_once(invoice.xml, _file_name(invoice, sha256, "xml"), xml, sha256)
    invoice.xml_sha256 = sha256
    return ["xml", "xml_sha256"]


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
    return read_file(invoice.xml)


# --- PDF --------------------------------------------------------------------------------------


def render_pdf(invoice: Invoice) -> bytes:
    """The Factur-X PDF/A-3 of the issued ``invoice``: its snapshot printed with the
    seller's logo and brand colour, the stored XML embedded. Does not store it (see
    :func:`ensure_pdf`)."""
    return printing.render_facturx_pdf(
        invoice.document,
        xml_bytes(invoice),
        logo=printable_logo(invoice.seller.logo),
        brand_color=invoice.seller.brand_color or None,
        language=PDF_LANGUAGE,
        issued_at=invoice.issued_at,
    )


def translated_pdf(invoice: Invoice, *, language: str) -> bytes:
    """The issued ``invoice`` printed now in ``language`` for a reader of that language: a
    courtesy translation, titled as such, printed from the same snapshot. Never stored nor
    sent: the stored French PDF (:func:`ensure_pdf`) stays the invoice of record.
    :class:`Conflict` for a draft."""
    _require_issued(invoice)
    return printing.render_translation_pdf(
        invoice.document,
        language=language,
        logo=printable_logo(invoice.seller.logo),
        brand_color=invoice.seller.brand_color or None,
        issued_at=invoice.issued_at,
    )


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
        sha256 = sha256_of(pdf)
        name = write_once(locked.pdf, _file_name(locked, sha256, "pdf"), pdf, sha256)
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
    return read_file(ensure_pdf(invoice).pdf)


# --- email ------------------------------------------------------------------------------------
#
# An issued document is emailed once to the client's billing contacts: ``email_status`` goes
# ``queued`` at issue, then ``sent`` (with ``email_sent_at`` and the Message-ID) or, after the
# last retry, ``failed``. Each attempt is claimed under the row lock and counted
# (``email_attempts``) before the message leaves, and leased for :data:`LEASE`, so two workers
# never send the same email; its outcome is recorded in a second short transaction
# (``email_error`` keeps the last failure). The audit trail holds one event per attempt
# (``invoice.email_attempt``) and per outcome (``invoice.emailed``, ``invoice.email_failed``),
# each with the time the next attempt is due; that time is also kept on the invoice
# (``email_next_attempt_at``: the end of the lease during an attempt, of the wait after a
# failure, empty when due now), so that finding the due emails is one query. Staff send it
# again with ``services.resend_invoice``.

# Waits after the 1st, 2nd... failed attempt (the webhooks' schedule); after the last one the
# email has failed and waits for staff ("Renvoyer").
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# An attempt in flight is not due again before this (longer than any SMTP timeout): a worker
# that dies while sending leaves the email to the next run after it.
LEASE = timedelta(minutes=5)
EMAIL_VERBS = (
    "invoice.email_attempt",
    "invoice.emailed",
    "invoice.email_failed",
    "invoice.resend_requested",
)
ERROR_CHARS = 500


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after ``failed_attempts`` failed attempts, or None: give up."""
    return delay_after(failed_attempts, RETRY_DELAYS)


def _record_email(invoice: Invoice, verb: str, attempt: int, **after: Any) -> None:
    """The audit event of an email attempt (``verb``): the attempt, its recipients, ``after``."""
    record_on(
        obj=invoice,
        actor=None,
        verb=verb,
        after={"attempt": attempt, "to": invoice.email_to, **after},
    )


def recipients(client: Client) -> list[str]:
    """The client's billing contacts, or the client's billing address when it has none (as
    for quotes)."""
    emails = client.contacts.filter(is_billing=True).order_by("id").values_list("email", flat=True)
    found: list[str] = []
    for email in [*emails] or [client.email]:
        if email and email.lower() not in {e.lower() for e in found}:
            found.append(email)
    return found


def _enqueue(invoice_id: int) -> None:
    from clausier.invoicing.tasks import deliver_invoice

    deliver_invoice.enqueue(invoice_id=invoice_id)


# Documents of a billing run delivered by one task: few enough that a worker's task stays
# short (a PDF takes ~0.15 s), many enough that queuing costs little per document.
PER_TASK = 25


def _enqueue_many(invoice_ids: list[int]) -> None:
    from clausier.invoicing.tasks import deliver_invoices

    deliver_invoices.enqueue(invoice_ids=invoice_ids)


def enqueue_many_after_commit(invoices: list[Invoice]) -> None:
    """:func:`enqueue_after_commit` for a billing run: one task per :data:`PER_TASK`
    documents."""
    ids = [invoice.pk for invoice in invoices]
    for start in range(0, len(ids), PER_TASK):
        transaction.on_commit(partial(_enqueue_many, ids[start : start + PER_TASK]), robust=True)


def enqueue_after_commit(invoice: Invoice) -> None:
    """Queue the delivery task once the current transaction commits. Should queuing fail
    (the task database down), the invoice stays ``queued`` for ``clausier send_invoices``."""
    transaction.on_commit(partial(_enqueue, invoice.pk), robust=True)


def issue_outputs(*, invoice: Invoice, xml: bytes, to: list[str] | None = None) -> list[str]:
    """Called in the issuing transaction (``services.after_issue``), under the series lock,
    on the issued instance before it is saved: its Factur-X ``xml`` (written from the
    frozen document and validated by the caller, before the lock) stored with its SHA-256,
    the email queued to the client's billing contacts (``to`` when the caller read them
    already). Returns the fields it set, for the caller's one UPDATE; the caller queues the
    delivery task (PDF, then email) for after the commit (:func:`enqueue_after_commit`)."""
    _require_issued(invoice)
    fields = _keep_xml(invoice, xml)
    if to is None:
        to = recipients(invoice.client)
    if to:
        invoice.email_status = DeliveryStatus.QUEUED
        invoice.email_to = list(to)
        fields += ["email_status", "email_to"]
    return fields


def _events(invoice_id: int):
    return Event.objects.filter(
        object_type=ContentType.objects.get_for_model(Invoice),
        object_id=str(invoice_id),
        verb__in=EMAIL_VERBS,
    ).order_by("-id")


def in_flight(invoice: Invoice, *, now: datetime | None = None) -> bool:
    """An attempt was claimed and its outcome is not recorded yet, within its lease."""
    now = aware_now(now)
    latest = _events(invoice.pk).values_list("verb", "summary").first()
    if latest is None or latest[0] != "invoice.email_attempt":
        return False
    when = (latest[1].get("after") or {}).get("next_attempt_at")
    return bool(when) and datetime.fromisoformat(when) > now


def due_invoice_ids(*, now: datetime | None = None) -> list[int]:
    """Issued documents whose email is queued and due (every seller; the worker's read)."""
    now = aware_now(now)
    return list(
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, email_status=DeliveryStatus.QUEUED)
        .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        .order_by("id")
        .values_list("id", flat=True)
    )


def unprinted_invoice_ids() -> list[int]:
    """Issued documents whose PDF is not stored yet (a task lost, a render that failed)."""
    return list(
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, pdf_sha256="")
        .order_by("id")
        .values_list("id", flat=True)
    )


@dataclass(frozen=True, slots=True)
class EmailResult:
    """What one call of :func:`send_now` did: ``attempted`` is false when the email was not
    due (already sent, failed, not yet time for its retry, or in flight)."""

    invoice_id: int
    status: str
    attempted: bool
    attempts: int
    next_attempt_at: datetime | None = None
    message_id: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        at = self.next_attempt_at
        return asdict(self) | {"next_attempt_at": at.isoformat() if at else None}


@transaction.atomic
def _claim(invoice_id: int, now: datetime) -> tuple[Invoice, bool]:
    invoice = _locked(Invoice(pk=invoice_id))
    if invoice.status != InvoiceStatus.ISSUED or invoice.email_status != DeliveryStatus.QUEUED:
        return invoice, False
    due_at = invoice.email_next_attempt_at
    if due_at is not None and due_at > now:
        return invoice, False
    invoice.email_attempts += 1
    invoice.email_next_attempt_at = now + LEASE
    invoice.save(update_fields=["email_attempts", "email_next_attempt_at", "updated_at"])
    _record_email(
        invoice,
        "invoice.email_attempt",
        invoice.email_attempts,
        next_attempt_at=(now + LEASE).isoformat(),
    )
    return invoice, True


def _permanent(error: Exception) -> bool:
    """The server refused for good (5xx, every recipient refused): retrying cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@transaction.atomic
def _record(
    invoice_id: int,
    *,
    attempt: int,
    now: datetime,
    message_id: str = "",
    error: Exception | None = None,
) -> Invoice:
    invoice = _locked(Invoice(pk=invoice_id))
    if error is None:
        invoice.email_status = DeliveryStatus.SENT
        invoice.email_sent_at = now
        invoice.email_message_id = message_id
        invoice.email_error = ""
        invoice.email_next_attempt_at = None
        invoice.save(
            update_fields=[
                "email_status",
                "email_sent_at",
                "email_message_id",
                "email_error",
                "email_next_attempt_at",
                "updated_at",
            ]
        )
        _record_email(
            invoice,
            "invoice.emailed",
            attempt,
            message_id=message_id,
            pdf_sha256=invoice.pdf_sha256,
            next_attempt_at=None,
        )
        return invoice
    text = (str(error) or error.__class__.__name__)[:ERROR_CHARS]
    delay = None if _permanent(error) else retry_delay(attempt)
    next_at = now + delay if delay is not None else None
    invoice.email_error = text
    invoice.email_next_attempt_at = next_at
    if next_at is None:
        invoice.email_status = DeliveryStatus.FAILED
    invoice.save(
        update_fields=["email_error", "email_status", "email_next_attempt_at", "updated_at"]
    )
    _record_email(
        invoice,
        "invoice.email_failed",
        attempt,
        error=text,
        status=invoice.email_status,
        next_attempt_at=next_at.isoformat() if next_at else None,
    )
    return invoice


def _language(invoice: Invoice) -> str:
    return document_language(client=invoice.client)


def compose(invoice: Invoice) -> tuple[str, str]:
    """The subject and body of the email of ``invoice``, in the client's language: number
    and amount; amount due, due date and why; the portal link."""
    doc = invoice.document
    language = _language(invoice)
    with translation.override(language):
        link = settings.BASE_URL + reverse("portal:invoice", kwargs={"invoice_id": invoice.pk})

        def money(amount: Decimal) -> str:
            return format_eur(amount, locale=language)

        def day(value: date | None) -> str:
            return date_format(value, "DATE_FORMAT") if value else ""

        context = {
            "title": str(InvoiceKind(invoice.kind).label),
            "title_lower": str(InvoiceKind(invoice.kind).label).lower(),
            "number": doc.number,
            "seller": doc.seller.name,
            "issue_date": day(doc.issue_date),
            "total": money(doc.total_ttc),
            "amount_due": money(doc.amount_due),
            "prepaid": money(doc.prepaid_amount),
            "is_credit_note": doc.is_credit_note,
            "is_due": doc.amount_due > 0 and not doc.is_credit_note,
            "due_date": day(doc.due_date),
            # The document's own sentence, worded in the client's language when it has its
            # words (the PDF attached stays the French invoice of record).
            "due_date_explanation": (
                doc if language.startswith("fr") else doc.worded(worded)
            ).due_date_explanation,
            "corrected_number": doc.corrected_number,
            "corrected_date": day(doc.corrected_issue_date),
            "iban": presenters.grouped_iban(doc.iban),
            "bic": doc.bic,
            "reference": presenters.transfer_reference(doc),
            "transfer_qr": bool(doc.transfer_qr),
            "link": link,
        }
        subject = render_to_string("invoicing/email/invoice_subject.txt", context)
        body = render_to_string("invoicing/email/invoice_body.txt", context)
    subject = re.sub(r"\s*[\r\n]+\s*", " ", subject).strip()
    body = re.sub(r"[ \t]+\n", "\n", body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    return subject, body


def send_now(*, invoice_id: int, now: datetime | None = None) -> EmailResult:
    """One attempt at the queued email of ``invoice_id`` if it is due: the PDF printed and
    stored first if it was not (:func:`ensure_pdf`), then sent with the PDF attached to
    ``email_to``. A failure is recorded and schedules the next attempt (1 min, 5 min, 30
    min, 2 h, 8 h) or, after the last or on a permanent refusal (5xx), fails the email.

    Idempotent: an email already sent or failed, not yet due, or in flight is left alone.
    Must not run inside a transaction (no lock is held while the mail server answers)."""
    now = aware_now(now)
    ensure_pdf(Invoice(pk=invoice_id))
    invoice, due = _claim(invoice_id, now)
    if not due:
        return _result(invoice, attempted=False)
    subject, body = compose(invoice)
    seller = invoice.seller
    reply_to = [e for e in (seller.email_accounting or seller.email_sales,) if e]
    try:
        message_id = send_email(
            to=invoice.email_to,
            subject=subject,
            body=body,
            attachments=[Attachment(f"{invoice.number}.pdf", read_file(invoice.pdf))],
            reply_to=reply_to,
        )
    except OSError as exc:  # smtplib.SMTPException is an OSError
        invoice = _record(invoice_id, attempt=invoice.email_attempts, now=now, error=exc)
    else:
        invoice = _record(
            invoice_id, attempt=invoice.email_attempts, now=now, message_id=message_id
        )
    return _result(invoice, attempted=True)


def _result(invoice: Invoice, *, attempted: bool) -> EmailResult:
    return EmailResult(
        invoice_id=invoice.pk,
        status=invoice.email_status,
        attempted=attempted,
        attempts=invoice.email_attempts,
        next_attempt_at=invoice.email_next_attempt_at
        if invoice.email_status == DeliveryStatus.QUEUED
        else None,
        message_id=invoice.email_message_id if attempted else "",
        error=invoice.email_error if attempted else "",
    )
