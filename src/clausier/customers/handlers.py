"""How the customers domain answers other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from clausier.customers import services
from clausier.customers.models import Client


def mark_suspended(fact) -> None:
    """``collections.standing_events.ClientSuspended``: the client's record says so, for the
    quotes and orders that must refuse acceptances and new orders (seed 002 art. 6)."""
    services.mark_suspended(
        client=Client.objects.get(pk=fact.client_id),
        since=fact.at,
        reason=fact.clause_cited,
        by=fact.by,
    )


def mark_resumed(fact) -> None:
    """``collections.standing_events.ClientResumed``: the suspension is lifted."""
    services.mark_resumed(
        client=Client.objects.get(pk=fact.client_id), reason=fact.reason, by=fact.by
    )
