"""A reactions table for the tests of the mechanism (CLAUSIER_REACTIONS points here).

Facts and handlers write real audit rows on a real seller, so that "rolled back" and
"committed" are read from the database, not from a call list.
"""

from __future__ import annotations

from dataclasses import dataclass

from clausier.audit.services import record_event, record_reaction_failure
from clausier.kernel.events import after_commit, in_transaction
from clausier.sellers.models import Seller


@dataclass(frozen=True)
class Noted:
    seller_id: int
    text: str


@dataclass(frozen=True)
class Refused:
    seller_id: int


@dataclass(frozen=True)
class Announced:
    seller_id: int
    text: str


class HandlerRefusal(Exception):
    pass


def note(fact: Noted | Refused | Announced) -> None:
    seller = Seller.objects.get(pk=fact.seller_id)
    text = getattr(fact, "text", type(fact).__name__)
    record_event(actor=None, seller=seller, obj=seller, verb="test.noted", note=text)


def refuse(fact: Refused) -> None:
    raise HandlerRefusal(f"refused for seller {fact.seller_id}")


def fail_after_commit(fact: Announced) -> None:
    raise HandlerRefusal("the mail server is down")


REACTIONS = {
    Noted: [in_transaction(note)],
    Refused: [in_transaction(note), in_transaction(refuse)],
    Announced: [after_commit(fail_after_commit), after_commit(note)],
}

on_failure = record_reaction_failure
