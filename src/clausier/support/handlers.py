"""Support's reactions to other domains' facts, each through support's own services."""

from __future__ import annotations

from clausier.support import services


def take_email(fact) -> None:
    """``inbox.events.MessageReceived`` (an earlier stage): mail to the seller's support
    address becomes a ticket, or a message of the ticket it answers (seed 000 art. 9)."""
    services.receive_email(message_id=fact.message_id, by=None)
