"""Facts and reactions: how one domain's change makes another domain act, without either
calling the other's services.

A domain announces what happened as a *fact*, a frozen dataclass of its ``events.py``
(``QuoteAccepted(quote_id=..., at=..., by=...)``), with :func:`publish`. The reactions to
each type of fact are listed in one table, ``REACTIONS`` in ``clausier/reactions.py`` (the
module the ``CLAUSIER_REACTIONS`` setting names), read like a state table: no signals, no
registration at import time. Each reaction is a handler of the reacting domain
(``<domain>/handlers.py``) that calls that domain's own services, and says when it runs:

- :func:`in_transaction`: at once, inside the publisher's transaction. The effect is atomic
  with the fact: if the handler raises, the error reaches the publisher's caller and the
  whole change is rolled back (an order cancelled only if its invoices could be credited).
- :func:`after_commit`: once the publisher's transaction has committed, for side effects
  that must not hold or undo it. A failure is logged (logger ``clausier.reactions``) and
  handed to the table module's ``on_failure`` (the seller's audit trail, verb
  ``reaction.failed``, where staff see it); it
  never reaches the publisher, whose change is already committed. An effect that must be
  retried (an e-mail, a webhook) writes its durable row in the transaction instead and
  leaves the sending to its own retrying task (the webhook deliveries, the invoice
  deliveries): nothing is lost if the process stops between the commit and the reaction.

Handlers run in the table's order, same-transaction ones when published, after-commit ones
when the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from functools import cache, partial
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("clausier.reactions")

type Handler = Callable[[Any], object]


@dataclass(frozen=True)
class Reaction:
    """One line of the reactions table: ``handler`` runs on a fact, at its moment."""

    handler: Handler
    after_commit: bool = False

    @property
    def name(self) -> str:
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


def in_transaction(handler: Handler) -> Reaction:
    """``handler`` runs inside the publisher's transaction; its error undoes the change."""
    return Reaction(handler=handler)


def after_commit(handler: Handler) -> Reaction:
    """``handler`` runs after the publisher's commit; its failure is logged and audited."""
    return Reaction(handler=handler, after_commit=True)


type Table = Mapping[type, Sequence[Reaction]]


@dataclass(frozen=True)
class Wiring:
    """The reactions table and what to do with an after-commit failure."""

    table: Table
    on_failure: Callable[..., object]


@cache
def _wiring(path: str) -> Wiring:
    module = import_module(path)
    table = module.REACTIONS
    for fact_type, reactions in table.items():
        if not (isinstance(fact_type, type) and is_dataclass(fact_type)):
            raise TypeError(f"{path}: {fact_type!r} is not a fact (a dataclass type)")
        if not fact_type.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            raise TypeError(f"{path}: the fact {fact_type.__name__} must be frozen")
        for reaction in reactions:
            if not isinstance(reaction, Reaction):
                raise TypeError(
                    f"{path}: {fact_type.__name__}: {reaction!r} is neither "
                    "in_transaction(handler) nor after_commit(handler)"
                )
    return Wiring(table=table, on_failure=module.on_failure)


def wiring() -> Wiring:
    return _wiring(settings.CLAUSIER_REACTIONS)


def reactions_to(fact_type: type) -> Sequence[Reaction]:
    """The reactions the table lists for ``fact_type`` (none: an empty tuple)."""
    return wiring().table.get(fact_type, ())


def publish(fact: Any) -> None:
    """Announce ``fact``: run its same-transaction reactions now, queue the others for the
    commit. Must be called inside the publisher's transaction (a service's atomic block):
    outside one, "atomic with the fact" would mean nothing, so it is refused."""
    if not (is_dataclass(fact) and not isinstance(fact, type)):
        raise TypeError(f"publish() takes a fact (a dataclass instance), not {fact!r}")
    if not connection.in_atomic_block:
        raise RuntimeError(
            f"publish({type(fact).__name__}) outside a transaction: publish facts from a "
            "service, inside its transaction.atomic block"
        )
    for reaction in reactions_to(type(fact)):
        if reaction.after_commit:
            transaction.on_commit(partial(_run_after_commit, reaction, fact))
        else:
            reaction.handler(fact)


def _run_after_commit(reaction: Reaction, fact: Any) -> None:
    try:
        reaction.handler(fact)
    except Exception as error:
        logger.exception("%s failed on %r", reaction.name, fact)
        try:
            wiring().on_failure(fact=fact, reaction=reaction.name, error=error)
        except Exception:
            logger.exception("the failure of %s could not be recorded", reaction.name)


def describe(fact: Any) -> dict[str, str]:
    """The fact's fields as text, for a log line or an audit event."""
    return {field.name: str(getattr(fact, field.name)) for field in fields(fact)}
