"""The acknowledgement of a withdrawal, on a durable medium (C. conso. L221-21): an e-mail
with the PDF stating the decision and its explanation, in the client's language, whatever
the decision. It leaves after the request's transaction commits (``transaction.on_commit``),
from a background task, so that a slow or failing mail server never blocks nor undoes the
decision; a failure is written in the seller's trail and raised (the task shows failed and
can be run again). The PDF is printed from the frozen decision, dated with it: the same
bytes whenever it is printed (its SHA-256 is kept with the e-mail's Message-ID)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.documents.email import Attachment, send_email
from clausier.withdrawal import presenters
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest
from clausier.withdrawal.printing import render_acknowledgement


def recipients(withdrawal: WithdrawalRequest) -> list[str]:
    """The client's billing contacts, or the client's billing address when it has none."""
    client = withdrawal.client
    emails = [c.email for c in client.contacts.filter(is_billing=True).order_by("id")]
    return emails or [client.email]


def acknowledge_after_commit(*, withdrawal: WithdrawalRequest) -> None:
    """Queue the acknowledgement of ``withdrawal`` once the current transaction commits."""
    transaction.on_commit(lambda: acknowledge.enqueue(withdrawal_id=withdrawal.pk))


def _body(withdrawal: WithdrawalRequest) -> str:
    decision = (
        _("Votre rétractation de la commande %(order)s, reçue le %(date)s, est acceptée.")
        if withdrawal.status == t.ACCEPTED
        else _("Votre rétractation de la commande %(order)s, reçue le %(date)s, est refusée.")
    ) % {
        "order": withdrawal.order_reference,
        "date": date_format(withdrawal.received_on, "SHORT_DATE_FORMAT"),
    }
    link = settings.BASE_URL + reverse("portal:withdrawal", kwargs={"withdrawal_id": withdrawal.pk})
    return "\n\n".join(
        [
            _("Bonjour,"),
            decision,
            "\n".join(presenters.reasons(withdrawal)),
            _(
                "Le détail des délais et des montants, avec leur calcul, figure dans l'accusé de "
                "réception joint et dans votre espace client : %(link)s"
            )
            % {"link": link},
            str(withdrawal.seller),
        ]
    )


@task
def acknowledge(withdrawal_id: int) -> str:
    """E-mail the acknowledgement of a decided withdrawal; returns the Message-ID."""
    withdrawal = WithdrawalRequest.objects.select_related("seller", "client").get(pk=withdrawal_id)
    pdf = render_acknowledgement(withdrawal=withdrawal)
    to = recipients(withdrawal)
    with translation.override(withdrawal.language or "fr"):
        subject = _("Accusé de réception de votre rétractation (commande %(order)s)") % {
            "order": withdrawal.order_reference
        }
        body = _body(withdrawal)
    seller = withdrawal.seller
    reply_to = [seller.email_sales] if seller.email_sales else []
    try:
        message_id = send_email(
            to=to,
            subject=subject,
            body=body,
            attachments=[Attachment(pdf.filename, pdf.content)],
            reply_to=reply_to,
        )
    except OSError as exc:  # smtplib.SMTPException is an OSError
        record_on(
            obj=withdrawal,
            actor=None,
            verb="withdrawal.acknowledgement_failed",
            after={"to": to, "error": str(exc)[:300]},
        )
        raise
    record_acknowledgement(withdrawal=withdrawal, to=to, message_id=message_id, sha256=pdf.sha256)
    return message_id


@transaction.atomic
def record_acknowledgement(
    *, withdrawal: WithdrawalRequest, to: list[str], message_id: str, sha256: str
) -> None:
    """The acknowledgement was e-mailed: its Message-ID and the PDF's SHA-256 kept as
    evidence of the durable medium (the system acts)."""
    locked = WithdrawalRequest.objects.select_for_update(of=("self",)).get(pk=withdrawal.pk)
    locked.acknowledged_at = timezone.now()
    locked.acknowledgement_message_id = message_id[:300]
    locked.acknowledgement_sha256 = sha256
    locked.save(
        update_fields=[
            "acknowledged_at",
            "acknowledgement_message_id",
            "acknowledgement_sha256",
            "updated_at",
        ]
    )
    record_on(
        obj=locked,
        actor=None,
        verb="withdrawal.acknowledged",
        after={"to": to, "message_id": message_id, "pdf_sha256": sha256},
    )
