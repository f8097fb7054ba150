"""A reactions table that answers MessageReceived by writing a real audit row on the
message's seller, so that the tests read the fact's publication from the database."""

from __future__ import annotations

from clausier.audit.services import record_event, record_reaction_failure
from clausier.inbox.events import MessageReceived
from clausier.kernel.events import in_transaction
from clausier.sellers.models import Seller


def note(fact: MessageReceived) -> None:
    seller = Seller.objects.get(pk=fact.seller_id)
    record_event(
        actor=None, seller=seller, obj=seller, verb="test.noted", note=str(fact.message_id)
    )


REACTIONS = {MessageReceived: [in_transaction(note)]}
on_failure = record_reaction_failure
