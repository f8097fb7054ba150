"""A sent quote's PDF, printed once and kept, and the email that brings it to the client.

- **PDF**: :func:`ensure_pdf`, by the email task after the sending commits or by whoever
  needs the file first (a download, the portal's acceptance page). Typst prints the quote
  in the client's language, from what it froze at sending, and the file is stored with its
  SHA-256 under the quote's row lock (compare-and-set): never printed again once stored, so
  the client who accepts it, the mailbox and every later download hold the very same bytes
  (the acceptance records their SHA-256), whatever the seller's colours, logo or templates
  become. Files are named after the quote and the start of their hash
  (``quotes/<seller id>/<year>/D2026-000003-R2-<sha256[:16]>.pdf``). A translation in
  another language is printed on demand and never stored (:func:`translated_pdf`).
- **Email**: leaves after the sending transaction commits (``transaction.on_commit``), from
  a background task, so that a slow or failing mail server never blocks nor undoes the
  sending. A failure is recorded on the quote's trail and raised, so the task shows as
  failed and can be run again; sending the email twice is harmless (same PDF, same links).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.audit.services import record_event, record_on
from clausier.customers.selectors import document_language
from clausier.documents.email import Attachment, send_email
from clausier.documents.stored import read_file, write_once
from clausier.kernel.errors import Conflict
from clausier.quotes.models import Quote
from clausier.quotes.printing import RenderedPdf, render_quote_pdf

# --- PDF --------------------------------------------------------------------------------------


def client_language(quote: Quote) -> str:
    """The language the client reads its quotes in: its preference, else its seller's
    default language."""
    return document_language(client=quote.client)


def require_sent(quote: Quote) -> None:
    """:class:`Conflict` unless ``quote`` was sent: a draft has no number, hence no PDF."""
    if not quote.number or quote.sent_at is None:
        raise Conflict(
            _(
                "%(quote)s n'a pas encore été envoyé : seul un devis envoyé a un PDF (son "
                "numéro est attribué à l'envoi)."
            )
            % {"quote": quote}
        )


def _file_name(quote: Quote, sha256: str) -> str:
    year = quote.number_year or quote.sent_at.year
    return f"quotes/{quote.seller_id}/{year}/{quote.display_number}-{sha256[:16]}.pdf"


def _is_stored(quote: Quote) -> bool:
    return bool(quote.pdf and quote.pdf_sha256)


def _fresh(quote: Quote) -> Quote:
    return Quote.objects.select_related("seller", "client").get(pk=quote.pk)


def _locked(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=quote.pk)
    )


def ensure_pdf(quote: Quote) -> Quote:
    """The sent ``quote`` with its PDF stored (``pdf``, ``pdf_sha256``, ``pdf_language``):
    the stored file when there is one, else printed now in the client's language and stored.
    The email task and every download call it; the first caller prints, under the quote's
    row lock, and every later one gets the same file. :class:`Conflict` for a draft.

    Returns ``quote`` itself when it holds its stored file already (a stored PDF never
    changes), else a fresh instance (seller and client selected)."""
    if _is_stored(quote):
        return quote
    current = _fresh(quote)
    require_sent(current)
    if _is_stored(current):
        return current
    with transaction.atomic():
        locked = _locked(quote)
        if _is_stored(locked):
            return locked
        language = client_language(locked)
        pdf = render_quote_pdf(quote=locked, language=language)
        name = write_once(locked.pdf, _file_name(locked, pdf.sha256), pdf.content, pdf.sha256)
        # Compare-and-set: where the database has no row locks (SQLite), a second printer
        # that lost the race leaves the first file in place.
        stored = Quote.objects.filter(pk=locked.pk, pdf_sha256="").update(
            pdf=name, pdf_sha256=pdf.sha256, pdf_language=language, updated_at=timezone.now()
        )
        if stored:
            record_on(
                obj=locked,
                actor=None,
                verb="quote.pdf_stored",
                after={"pdf_sha256": pdf.sha256, "language": language},
            )
    current = _fresh(quote)
    if not stored and current.pdf.name != name:
        current.pdf.storage.delete(name)
    return current


def pdf_bytes(quote: Quote) -> bytes:
    """The stored PDF of the sent ``quote`` (printed first if it was not yet)."""
    return read_file(ensure_pdf(quote).pdf)


def translated_pdf(quote: Quote, *, language: str) -> RenderedPdf:
    """The sent ``quote`` printed now in ``language``, for reading only: a translation is
    never stored, and its bytes differ from the document the client received."""
    require_sent(quote)
    return render_quote_pdf(quote=quote, language=language)


# --- email ------------------------------------------------------------------------------------


def recipients(quote: Quote) -> list[str]:
    """The client's billing contacts, or the client's billing address when it has none."""
    emails = [c.email for c in quote.client.contacts.filter(is_billing=True).order_by("id")]
    return emails or [quote.client.email]


def email_quote_after_commit(*, quote: Quote) -> None:
    """Queue the email of ``quote`` once the current transaction has committed."""
    transaction.on_commit(lambda: email_quote.enqueue(quote_id=quote.pk))


@task
def email_quote(quote_id: int) -> str:
    """Email the PDF of a sent quote to the client; returns the Message-ID."""
    quote = ensure_pdf(Quote(pk=quote_id))
    language = client_language(quote)
    pdf = read_file(quote.pdf)
    to = recipients(quote)
    with translation.override(language):
        subject = _("Devis %(number)s de %(seller)s") % {
            "number": quote.display_number,
            "seller": quote.seller,
        }
        body = _(
            "Bonjour,\n\nVeuillez trouver ci-joint notre devis %(number)s, valable jusqu'au "
            "%(valid_until)s.\n\nVous pouvez le lire et l'accepter en ligne dans votre espace "
            "client : %(link)s\nou nous le retourner signé avec la mention « Bon pour accord ».\n\n"
            "%(seller)s"
        ) % {
            "number": quote.display_number,
            "valid_until": date_format(quote.valid_until, "DATE_FORMAT"),
            "link": settings.BASE_URL + reverse("portal:quote", kwargs={"quote_id": quote.pk}),
            "seller": quote.seller,
        }
    reply_to = [quote.seller.email_sales] if quote.seller.email_sales else []
    try:
        message_id = send_email(
            to=to,
            subject=subject,
            body=body,
            attachments=[Attachment(f"{quote.display_number}.pdf", pdf)],
            reply_to=reply_to,
        )
    except OSError as exc:  # smtplib.SMTPException is an OSError
        record_event(
            actor=None,
            seller=quote.seller,
            obj=quote,
            verb="quote.email_failed",
            after={"to": to, "error": str(exc)[:300]},
        )
        raise
    record_event(
        actor=None,
        seller=quote.seller,
        obj=quote,
        verb="quote.emailed",
        after={"to": to, "message_id": message_id, "pdf_sha256": quote.pdf_sha256},
    )
    return message_id
