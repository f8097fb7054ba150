"""Pure decisions about orders: what an order waits for, and whether work may start.

No ORM: the model and the services pass plain facts in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clausier.orders import transitions as t
from clausier.rules.money import format_eur, format_percent


@dataclass(frozen=True, slots=True)
class DepositFacts:
    status: str
    rate: Decimal
    base_ht: Decimal
    amount: Decimal
    clause_id: str
    article: str
    terms_label: str
    work_starts_after: str = "deposit_cashed"
    cashed_on: date | None = None


@dataclass(frozen=True, slots=True)
class WaitingReason:
    """Where an order stands and why, for the screens: ``waiting`` is true while the order
    waits for something from the client; ``why`` says what, citing the clause and the terms
    version it comes from (``clause``, ``article``, ``terms``)."""

    status: str
    waiting: bool
    why: str
    clause: str = ""
    article: str = ""
    terms: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "waiting": self.waiting,
            "why": self.why,
            "clause": self.clause,
            "article": self.article,
            "terms": self.terms,
            "inputs": {k: _jsonable(v) for k, v in self.inputs.items()},
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def deposit_clears_work(deposit: DepositFacts) -> bool:
    """Whether the deposit lets work start: cashed, or merely invoiced when the terms say so
    (``payment.deposit.work_starts_after``)."""
    if deposit.status == t.CASHED:
        return True
    return deposit.work_starts_after == "deposit_invoiced" and deposit.status == t.INVOICED


def _deposit_inputs(deposit: DepositFacts) -> dict[str, Any]:
    return {
        "rate": deposit.rate,
        "base_ht": deposit.base_ht,
        "amount": deposit.amount,
        "deposit_status": deposit.status,
        "cashed_on": deposit.cashed_on,
    }


def awaiting_deposit_sentence(deposit: DepositFacts) -> str:
    """ "en attente d'acompte : art. 5 CGV v3.0, 30 % du total HT (1 500,00 €) à encaisser
    avant le début des travaux"."""
    act = "à facturer" if deposit.work_starts_after == "deposit_invoiced" else "à encaisser"
    return (
        f"en attente d'acompte : {deposit.article} CGV {deposit.terms_label}, "
        f"{format_percent(deposit.rate)} du total HT ({format_eur(deposit.amount)}) {act} "
        "avant le début des travaux"
    )


def work_start_refusal(*, status: str, deposit: DepositFacts | None) -> str | None:
    """Why work cannot start on the order (a French sentence), or None if it can."""
    if status == t.AWAITING_DEPOSIT or (
        deposit is not None and status == t.READY and not deposit_clears_work(deposit)
    ):
        if deposit is None:  # pragma: no cover - an order awaiting a deposit always has one
            return "Travaux impossibles à démarrer : en attente d'acompte."
        return f"Travaux impossibles à démarrer, {awaiting_deposit_sentence(deposit)}."
    return None


_PLAIN_REASONS = {
    t.DRAFT: (True, "récapitulatif de commande à confirmer par le client"),
    t.CONFIRMED: (True, "commande confirmée, paiement à engager"),
    t.AWAITING_PAYMENT: (True, "en attente du paiement du client"),
    t.PAID: (False, "paiement reçu : service à activer"),
    t.ACTIVE: (False, "service actif"),
    t.COMPLETED: (False, "commande terminée"),
    t.CANCELLED: (False, "commande annulée"),
}


def waiting_reason(
    *,
    status: str,
    terms_label: str,
    deposit: DepositFacts | None,
    started_at: datetime | None = None,
) -> WaitingReason:
    """What the order waits for, citing the clause that makes it wait."""
    if status == t.AWAITING_DEPOSIT and deposit is not None:
        return WaitingReason(
            status=status,
            waiting=True,
            why=awaiting_deposit_sentence(deposit),
            clause=deposit.clause_id,
            article=deposit.article,
            terms=deposit.terms_label,
            inputs=_deposit_inputs(deposit),
        )
    if status == t.READY:
        if deposit is not None and deposit.cashed_on is not None:
            return WaitingReason(
                status=status,
                waiting=False,
                why=(
                    f"acompte de {format_eur(deposit.amount)} encaissé le "
                    f"{deposit.cashed_on:%d/%m/%Y} ({deposit.article} CGV "
                    f"{deposit.terms_label}) : les travaux peuvent commencer"
                ),
                clause=deposit.clause_id,
                article=deposit.article,
                terms=deposit.terms_label,
                inputs=_deposit_inputs(deposit),
            )
        return WaitingReason(
            status=status,
            waiting=False,
            why="commande validée, sans acompte : les travaux peuvent commencer",
            terms=terms_label,
        )
    if status == t.IN_PROGRESS:
        since = f" depuis le {started_at:%d/%m/%Y}" if started_at else ""
        return WaitingReason(status=status, waiting=False, why=f"travaux en cours{since}")
    waiting, why = _PLAIN_REASONS.get(status, (False, status))
    return WaitingReason(status=status, waiting=waiting, why=why, terms=terms_label)
