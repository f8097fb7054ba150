"""The SLA warnings, a task run every few minutes: each open ticket's clocks measured, a
warning recorded at 50, 80 and 100 % of each target once (the last one: breached) and
e-mailed to the ticket's agent, else the seller's support address."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clausier.documents.email import send_email
from clausier.support import mail, selectors
from clausier.support.models import Target, Ticket
from clausier.support.services import record_warning

LEVELS = (50, 80, 100)
logger = logging.getLogger("clausier.support")


def _levels_reached(warning: int) -> list[int]:
    return [level for level in LEVELS if level <= warning]


def check_ticket(ticket: Ticket, *, now: datetime) -> int:
    """Record (and send) the warnings ``ticket`` has reached and not had yet; how many."""
    clocks = selectors.clocks_of(ticket, now=now)
    if clocks is None:
        return 0
    done = {(w.target, w.level) for w in ticket.warnings.all()}
    sent = 0
    for clock in clocks.all:
        if not clock.running:
            continue
        for level in _levels_reached(clock.warning):
            if (clock.target, level) in done:
                continue
            to = mail.staff_recipients(ticket)
            if record_warning(ticket=ticket, target=clock.target, level=level, at=now, sent_to=to):
                sent += 1
                if to:
                    _send(ticket, target=clock.target, level=level, deadline=clock.deadline, to=to)
    return sent


def _send(ticket: Ticket, *, target: str, level: int, deadline: datetime, to: list[str]) -> None:
    with translation.override(ticket.seller.default_language or settings.LANGUAGE_CODE):
        subject = _("%(token)s %(target)s : %(level)s %% du délai écoulé") % {
            "token": mail.subject_token(ticket),
            "target": Target(target).label,
            "level": level,
        }
        body = _("Ticket %(ref)s (%(client)s) : échéance le %(deadline)s.") % {
            "ref": ticket.reference,
            "client": ticket.client,
            "deadline": timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M"),
        }
    send_email(to=to, subject=subject, body=body)


@task
def warn_sla(now: str | None = None) -> int:
    """Every few minutes: the open tickets' warnings recorded and sent once each."""
    at = datetime.fromisoformat(now) if now else timezone.now()
    tickets = selectors.open_tickets().prefetch_related("warnings")
    sent = 0
    for ticket in tickets:
        try:
            sent += check_ticket(ticket, now=at)
        except Exception:  # one ticket's failure (the mail server) never stops the others
            logger.exception("SLA warnings of ticket %s", ticket.reference)
    return sent
