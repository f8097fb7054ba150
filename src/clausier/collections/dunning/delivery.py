"""The e-mail of a dunning reminder leaves after the sending transaction commits
(``transaction.on_commit``), from a background task: a rollback sends nothing, and a slow or
failing mail server never blocks nor undoes the notice recorded as sent. What the e-mail
says is frozen on the notice when it is recorded; the task sends those words, keeps the
Message-ID as evidence, or writes the failure in the seller's trail and raises (the task
shows failed and can be run again; a notice already delivered is never sent twice)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from clausier.audit.services import record_on
from clausier.collections.dunning.emails import reply_address
from clausier.collections.dunning_models import DunningNotice
from clausier.documents.email import send_email


def deliver_after_commit(*, notice: DunningNotice) -> None:
    """Queue the e-mail of the recorded ``notice`` once the current transaction commits."""
    notice_id = notice.pk
    transaction.on_commit(lambda: deliver_notice.enqueue(notice_id=notice_id), robust=True)


@task
def deliver_notice(notice_id: int) -> str:
    """E-mail the frozen text of the sent reminder ``notice_id``; returns the Message-ID."""
    notice = DunningNotice.objects.select_related("seller").get(pk=notice_id)
    if notice.message_id:
        return notice.message_id  # delivered already: never twice
    try:
        message_id = send_email(
            to=[notice.email_to],
            subject=notice.subject,
            body=notice.body,
            reply_to=reply_address(notice.seller),
        )
    except OSError as exc:  # smtplib.SMTPException is an OSError
        record_on(
            obj=notice,
            actor=None,
            verb="dunning_notice.delivery_failed",
            after={"email_to": notice.email_to, "error": str(exc)[:300]},
        )
        raise
    record_delivery(notice=notice, message_id=message_id)
    return message_id


@transaction.atomic
def record_delivery(*, notice: DunningNotice, message_id: str) -> None:
    """The reminder was e-mailed: its Message-ID kept as evidence (the system acts)."""
    locked = DunningNotice.objects.select_for_update().get(pk=notice.pk)
    locked.message_id = message_id[:250]
    locked.save(update_fields=["message_id", "updated_at"])
    record_on(
        obj=locked,
        actor=None,
        verb="dunning_notice.delivered",
        after={"email_to": locked.email_to, "message_id": locked.message_id},
    )
