"""Facts the contracts domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clausier.contracts.domain import EndedLine
from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class ContractTerminated:
    """A contract ended on ``effective_on`` (its last day served), for ``reason`` (an end
    reason of :mod:`clausier.contracts.transitions`): its services stop (``service.terminate``;
    a metered subscription of ``order_id`` ends), the work done and not yet paid is invoiced
    (``final_amount_ht``) and the prepaid days after it refunded (``refund_amount_ht``), line
    by line (``lines``)."""

    contract_id: int
    reference: str
    seller_id: int
    client_id: int
    order_id: int | None
    terms_version_id: int
    effective_on: date
    reason: str
    final_amount_ht: Decimal
    refund_amount_ht: Decimal
    lines: tuple[EndedLine, ...]
    at: datetime
    by: Actor


@dataclass(frozen=True)
class ForceMajeureStarted:
    """A force majeure event (seed 002 art. 8) holds ``contract_id``'s obligations up from
    ``at``: the client's SLA clocks pause (support pauses its open tickets' clocks)."""

    contract_id: int
    event_id: int
    seller_id: int
    client_id: int
    started_on: date
    at: datetime
    by: Actor


@dataclass(frozen=True)
class ForceMajeureEnded:
    """The force majeure event ``event_id`` ended on ``ended_on``: the paused clocks run again."""

    contract_id: int
    event_id: int
    seller_id: int
    client_id: int
    ended_on: date
    at: datetime
    by: Actor


@dataclass(frozen=True)
class LiabilityClaimReceived:
    """A liability claim (seed 002 art. 10) received by registered letter on
    ``claim_date``, or measured again (``remeasure``): payments measures the HT the client
    actually paid for the contract's service by that date (the invoices of ``order_id`` and
    the contract's own final invoices, ``reference``) and answers with the amount."""

    claim_id: int
    contract_id: int
    seller_id: int
    client_id: int
    order_id: int | None
    reference: str
    claim_date: date
    at: datetime
    by: Actor
