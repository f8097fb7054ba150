"""A contract's standing set by other domains' facts: suspended while its client is
suspended for non-payment (seed 002 art. 6) and resumed with it; ended when the consumer
withdraws from the order it was opened for (C. conso. L221-18).

Each write locks the contract's row and records one audit event per contract changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction

from clausier.audit.services import record_on
from clausier.audit.triggers import Trigger
from clausier.contracts import transitions as t
from clausier.contracts.models import Contract
from clausier.contracts.services.lifecycle import terminate
from clausier.kernel.actor import Actor


def _move(
    *,
    seller_id: int,
    client_id: int,
    current: str,
    target: str,
    verb: str,
    by: Actor,
    trigger: Trigger,
    after: dict[str, str],
) -> list[Contract]:
    moved = []
    contracts = Contract.objects.select_for_update().filter(
        seller_id=seller_id, client_id=client_id, status=current
    )
    for contract in contracts.order_by("id"):
        t.check(label=str(contract), current=contract.status, target=target)
        contract.status = target
        contract.save(update_fields=["status", "updated_at"])
        record_on(
            obj=contract,
            actor=by,
            verb=verb,
            before={"status": current},
            after={"status": target, **after},
            trigger=trigger,
        )
        moved.append(contract)
    return moved


@transaction.atomic
def suspend_for_client(
    *, seller_id: int, client_id: int, clause_cited: str, by: Actor
) -> list[Contract]:
    """The client is suspended for non-payment (seed 002 art. 6): its active contracts are
    suspended (still renewed at term, a notice still received). A contract under notice
    keeps running to its end."""
    return _move(
        seller_id=seller_id,
        client_id=client_id,
        current=t.ACTIVE,
        target=t.SUSPENDED,
        verb="contract.suspended",
        by=by,
        after={"clause": clause_cited},
        trigger=Trigger.CLIENT_SUSPENDED,
    )


@transaction.atomic
def resume_for_client(*, seller_id: int, client_id: int, reason: str, by: Actor) -> list[Contract]:
    """The client's suspension is lifted (``reason``: a code, settled or staff): its
    suspended contracts are active again."""
    return _move(
        seller_id=seller_id,
        client_id=client_id,
        current=t.SUSPENDED,
        target=t.ACTIVE,
        verb="contract.resumed",
        by=by,
        after={"reason": reason},
        trigger=Trigger.CLIENT_RESUMED,
    )


@transaction.atomic
def end_for_withdrawal(
    *, order_id: int, received_on: date, by: Actor, now: datetime | None = None
) -> Contract | None:
    """The consumer withdrew from the order (C. conso. L221-18): the contract opened for it
    ends the day the withdrawal was received (reason ``withdrawal``), with no final invoice
    nor refund of its own: invoicing credits the order (L221-24, L221-25). None without a
    running contract for the order."""
    contract = Contract.objects.select_for_update().filter(order_id=order_id).first()
    if contract is None or contract.status not in t.RUNNING:
        return None
    effective_on = max(received_on, contract.term_start - timedelta(days=1))
    return terminate(
        contract=contract,
        effective_on=effective_on,
        reason=t.WITHDRAWAL,
        by=by,
        now=now,
        trigger=Trigger.WITHDRAWAL_ACCEPTED,
    )
