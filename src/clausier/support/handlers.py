"""Support's reactions to other domains' facts (wired in ``clausier/reactions.py``), each
through support's own services."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from clausier.support import services
from clausier.support import transitions as t
from clausier.support.models import ClockPause, PauseReason, Ticket


def take_email(fact) -> None:
    """``inbox.events.MessageReceived`` (an earlier stage): mail to the seller's support
    address becomes a ticket, or a message of the ticket it answers (seed 000 art. 9)."""
    services.receive_email(message_id=fact.message_id, by=None)


def pause_for_force_majeure(fact) -> None:
    """``contracts.events.ForceMajeureStarted``: the client's open tickets' SLA clocks stop
    (seed 002 art. 8), each through support's own service; a clock already paused (waiting
    for the client) stays as it is."""
    tickets = (
        Ticket.objects.filter(client_id=fact.client_id, status__in=t.OPEN)
        .exclude(Exists(ClockPause.objects.filter(ticket=OuterRef("pk"), end__isnull=True)))
        .order_by("pk")
    )
    for ticket in tickets:
        services.start_force_majeure(ticket=ticket, by=fact.by, at=fact.at)


def resume_after_force_majeure(fact) -> None:
    """``contracts.events.ForceMajeureEnded``: the clocks paused for force majeure run again."""
    tickets = Ticket.objects.filter(
        client_id=fact.client_id,
        pauses__end__isnull=True,
        pauses__reason=PauseReason.FORCE_MAJEURE,
    ).order_by("pk")
    for ticket in tickets.distinct():
        services.end_force_majeure(ticket=ticket, by=fact.by, at=fact.at)
