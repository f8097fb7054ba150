"""A ticket's clocks as the screens and the API show them: per target its deadline, the share
of its time used, what is left (or how late), its state in words and its explanation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from clausier.support.domain import Clock, Clocks
from clausier.support.models import Target


def _duration(delta: timedelta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    hours, rest = divmod(minutes, 60)
    if hours:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": rest}
    return _("%(m)d min") % {"m": rest}


def clock_row(clock: Clock, *, now: datetime) -> dict[str, Any]:
    if clock.met_at is not None:
        state = _("tenue") if not clock.breached else _("dépassée")
        left = ""
    elif clock.breached:
        state = _("dépassée")
        left = _("en retard de %(d)s") % {"d": _duration(now - clock.deadline)}
    else:
        state = _("en cours")
        left = _("reste %(d)s") % {"d": _duration(clock.deadline - now)}
    return {
        "target": clock.target,
        "label": Target(clock.target).label,
        "deadline": clock.deadline,
        "met_at": clock.met_at,
        "percent": int(min(clock.share, 9) * 100),
        "warning": clock.warning,
        "breached": clock.breached,
        "running": clock.running,
        "state": state,
        "left": left,
        "explanation": clock.explanation,
    }


def clock_rows(clocks: Clocks | None, *, now: datetime) -> list[dict[str, Any]]:
    return [clock_row(c, now=now) for c in clocks.all] if clocks is not None else []


def ticket_json(ticket, clocks: Clocks | None, *, now: datetime) -> dict[str, Any]:
    """A ticket as the API shows it."""
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "client_id": ticket.client_id,
        "subscription_id": ticket.subscription_id,
        "subject": ticket.subject,
        "description": ticket.description,
        "channel": ticket.channel,
        "severity": ticket.severity,
        "suggested_severity": ticket.suggested_severity,
        "kind": ticket.kind,
        "status": ticket.status,
        "opened_at": ticket.opened_at,
        "acknowledged_at": ticket.acknowledged_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "email_confirmation_expected": ticket.awaiting_email_confirmation,
        "excluded": ticket.excluded,
        "clocks": [
            {
                "target": c.target,
                "deadline": c.deadline,
                "met_at": c.met_at,
                "share": str(c.share),
                "warning": c.warning,
                "breached": c.breached,
            }
            for c in (clocks.all if clocks else ())
        ],
    }


def message_json(message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "author": message.author,
        "channel": message.channel,
        "body": message.body,
        "created_at": message.created_at,
        "attachments": [a.name for a in message.attachments.all()],
    }
