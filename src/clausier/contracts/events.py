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


@dataclass(frozen=True)
class DomainRenewalDue:
    """The registration of ``domain_name`` (seed 002 art. 11) expiring ``expires_on`` is
    renewed to ``renewed_to``: invoicing bills ``amount_ht`` (the contract's domain line for
    a term) at ``vat_rate``, citing ``clause_id`` of terms ``terms_label``, and tells which
    invoice (``invoicing.events.ContractFeeInvoiced``)."""

    renewal_id: int
    domain_name: str
    contract_reference: str
    seller_id: int
    client_id: int
    terms_version_id: int
    expires_on: date
    renewed_to: date
    amount_ht: Decimal
    vat_rate: Decimal
    clause_id: str
    terms_label: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class RestoreBillable:
    """A restore from a backup was done on ``done_on`` (seed 002 art. 11): invoicing bills
    the clause's flat fee ``amount_ht`` (``label``, ``clause_id`` of terms ``terms_label``)
    and tells which invoice (``invoicing.events.ContractFeeInvoiced``)."""

    request_id: int
    contract_reference: str
    seller_id: int
    client_id: int
    terms_version_id: int
    backup_on: date
    done_on: date
    amount_ht: Decimal
    label: str
    clause_id: str
    terms_label: str
    at: datetime
    by: Actor
