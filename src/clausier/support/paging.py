"""The on-call job (seed 000 art. 10.3), run every minute: each critical ticket outside
business hours paged once to the engineer on call (e-mail here, the webhook through the
``OnCallPaged`` reaction), each page not acknowledged in time escalated once to the backup.
Idempotent: a page and an escalation are rows, made once."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clausier.documents.email import send_email
from clausier.support import mail, selectors
from clausier.support.models import OnCallPage
from clausier.support.services import escalate_page, page_ticket


def _send(page: OnCallPage, *, user) -> None:
    if not user.email:
        return
    ticket = page.ticket
    with translation.override(ticket.seller.default_language or settings.LANGUAGE_CODE):
        subject = _("%(token)s Astreinte : ticket critique %(subject)s") % {
            "token": mail.subject_token(ticket),
            "subject": ticket.subject,
        }
        body = _(
            "Ticket critique %(ref)s (%(client)s) hors heures ouvrées. "
            "Accusez réception avant %(deadline)s."
        ) % {
            "ref": ticket.reference,
            "client": ticket.client,
            "deadline": timezone.localtime(page.acknowledge_by).strftime("%d/%m/%Y %H:%M"),
        }
    send_email(to=[user.email], subject=subject, body=body)


def run(*, now: datetime) -> tuple[int, int]:
    """Pages made and escalations, this run."""
    paged = escalated = 0
    for ticket in selectors.critical_unpaged(now=now):
        page = page_ticket(ticket=ticket, now=now)
        if page is not None:
            paged += 1
            _send(page, user=page.engineer)
    for page in selectors.pages_to_escalate(now=now):
        done = escalate_page(page=page, now=now)
        if done is not None:
            escalated += 1
            _send(done, user=done.escalated_to)
    return paged, escalated


@task
def page_on_call(now: str | None = None) -> int:
    """Every minute: critical tickets outside business hours paged, late pages escalated."""
    at = datetime.fromisoformat(now) if now else timezone.now()
    return sum(run(now=at))
