"""Sending a quote to the client: its PDF by email, with the link to accept it online.

The email leaves after the sending transaction commits (``transaction.on_commit``), from a
background task, so that a slow or failing mail server never blocks nor undoes the sending.
A failure is recorded on the quote's trail and raised, so the task shows as failed and can be
run again; sending the email twice is harmless (same PDF, same links).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.documents.email import Attachment, send_email
from clausier.quotes.models import Quote
from clausier.quotes.printing import render_quote_pdf


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
    quote = Quote.objects.select_related("seller", "client").get(pk=quote_id)
    language = quote.client.preferred_language or "fr"
    pdf = render_quote_pdf(quote=quote, language=language)
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
            "valid_until": quote.valid_until.strftime("%d/%m/%Y"),
            "link": settings.BASE_URL + reverse("portal:home"),
            "seller": quote.seller,
        }
    reply_to = [quote.seller.email_sales] if quote.seller.email_sales else []
    try:
        message_id = send_email(
            to=to,
            subject=subject,
            body=body,
            attachments=[Attachment(f"{quote.display_number}.pdf", pdf.content)],
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
        after={"to": to, "message_id": message_id, "pdf_sha256": pdf.sha256},
    )
    return message_id
