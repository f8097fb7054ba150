"""Pure decisions about orders: what an order waits for, whether work may start, the online
order's execution deadline (seed 000, art. 8) and what a failed payment does (art. 5).

No ORM: the model and the services pass plain facts in. Refusals and waiting reasons are
sentences in the active language (gettext, French by default). The execution deadline's
sentence is a :class:`~clausier.rules.wording.Words`, frozen with its parameters so that a
page words it again in its language; what an order keeps as evidence (the consumer's express
request) stays French.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.kernel.errors import DomainError
from clausier.kernel.wording import worded
from clausier.orders import transitions as t
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import deadline, period
from clausier.rules.explain import Explained, LegalFact
from clausier.rules.wording import Euros, Percent, Words, revive, words

# What a consumer acknowledges when asking a service to start before the withdrawal period
# ends: the request must be express (L221-25); the right is lost once the service is fully
# performed (L221-28 1°), and a withdrawal before that owes the service provided so far.
EXPRESS_START = LegalFact(
    "Je demande expressément que l'exécution du service commence avant la fin du délai de "
    "rétractation. Je reconnais que je perdrai mon droit de rétractation une fois le service "
    "pleinement exécuté, et que si je me rétracte avant, je devrai le montant correspondant "
    "au service fourni jusqu'à ma rétractation.",
    "C. conso. L221-25, L221-28 1°",
)

# The events an execution deadline may run from (``execution.deadline`` clause, ``from``).
EXECUTION_STARTS: dict[str, Words] = {"payment_receipt": words("la réception du paiement")}


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
        inputs = {k: _jsonable(v) for k, v in self.inputs.items()}
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"inputs": inputs}


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


def awaiting_deposit_sentence(deposit: DepositFacts) -> Words:
    """ "en attente d'acompte : art. 5 CGV v3.0, 30 % du total HT (1 500,00 €) à encaisser
    avant le début des travaux" (worded in the reader's language on a page)."""
    values = {
        "article": deposit.article,
        "terms": deposit.terms_label,
        "rate": Percent(deposit.rate),
        "amount": Euros(deposit.amount),
    }
    if deposit.work_starts_after == "deposit_invoiced":
        return words(
            "en attente d'acompte : {article} CGV {terms}, {rate} du total HT ({amount}) à "
            "facturer avant le début des travaux",
            **values,
        )
    return words(
        "en attente d'acompte : {article} CGV {terms}, {rate} du total HT ({amount}) à "
        "encaisser avant le début des travaux",
        **values,
    )


def work_start_refusal(*, status: str, deposit: DepositFacts | None) -> str | None:
    """Why work cannot start on the order (a sentence in the active language), or None."""
    if status == t.AWAITING_DEPOSIT or (
        deposit is not None and status == t.READY and not deposit_clears_work(deposit)
    ):
        if deposit is None:  # pragma: no cover - an order awaiting a deposit always has one
            return _("Travaux impossibles à démarrer : en attente d'acompte.")
        return _("Travaux impossibles à démarrer, %(reason)s.") % {
            "reason": worded(awaiting_deposit_sentence(deposit))
        }
    return None


@dataclass(frozen=True, slots=True)
class ExecutionFacts:
    """The execution deadline of a paid online order, as stored on it."""

    deadline: date
    paid_on: date
    why: Words | str
    clause_id: str = ""
    article: str = ""
    terms_label: str = ""


def execution_deadline(
    *,
    paid_on: date,
    n: int,
    unit: str,
    start_event: str,
    clause_id: str,
    terms_label: str,
    calendar: FrenchCalendar,
) -> Explained:
    """The last day the service may start: ``n`` ``unit`` after the payment's receipt
    (seed 000, art. 8: "au plus tard dans les 7 jours ouvrés suivant la réception de ce
    paiement"), counted by the rules core and cited to the clause of the order's terms."""
    if start_event not in EXECUTION_STARTS:
        raise DomainError(
            _(
                "Clause %(clause)s des CGV %(terms)s : délai compté depuis « %(event)s », seuls "
                "sont gérés : %(handled)s."
            )
            % {
                "clause": clause_id,
                "terms": terms_label,
                "event": start_event,
                "handled": ", ".join(EXECUTION_STARTS),
            }
        )
    return deadline(start=paid_on, n=n, unit=unit, calendar=calendar).citing(
        clause=clause_id, terms=terms_label
    )


def execution_sentence(
    *,
    deadline_on: date,
    paid_on: date,
    n: int,
    unit: str,
    start_event: str,
    article: str,
    terms_label: str,
) -> Words:
    """ "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), soit au
    plus tard le 20/05/2026" (``str()`` of it; worded in the reader's language on a page)."""
    source = (
        words("{article} CGV {terms}", article=article, terms=terms_label)
        if article
        else words("CGV {terms}", terms=terms_label)
    )
    return words(
        "{source} : {period} après {event} ({start}), soit au plus tard le {deadline}",
        source=source,
        period=period(n, unit),
        event=EXECUTION_STARTS[start_event],
        start=paid_on,
        deadline=deadline_on,
    )


def after_withdrawal_sentence(*, why: Words | str, start: date) -> Words:
    """The execution sentence of a consumer who did not ask for an early start: the service
    starts only once the withdrawal period is over (C. conso. L221-18, L221-25)."""
    return words(
        "{why} ; client consommateur sans demande d'exécution anticipée : le service ne peut "
        "commencer qu'après son délai de rétractation (C. conso. L221-18 et L221-25), soit au "
        "plus tôt et au plus tard le {start}",
        why=why,
        start=start,
    )


def stored_why(explanation: Mapping[str, Any]) -> Words | str:
    """The execution sentence an order keeps with its deadline: its words (``why_words``),
    to word again in the reader's language, or the French text of an order paid before they
    were kept."""
    data = explanation.get("why_words")
    return revive(data) if isinstance(data, Mapping) else explanation.get("why", "")


def execution_parts(explanation: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """A stored execution explanation split for a page: its sentence worded in the active
    language, its article, and the rest (rule, steps...) for the "pourquoi ?"."""
    rest = dict(explanation)
    why = worded(stored_why(rest))
    for key in ("why", "why_words"):
        rest.pop(key, None)
    return why, rest.pop("article", ""), rest


def payment_failure_cancels(on_failure: str | None) -> bool:
    """Whether a rejected or cancelled payment cancels the order: the terms say so
    (``payment.methods``, ``on_failure: cancel_order``; seed 000, art. 5). Without such a
    clause the order keeps waiting for a payment."""
    return on_failure == "cancel_order"


_PLAIN_REASONS = {
    t.DRAFT: (True, gettext_lazy("récapitulatif de commande à confirmer par le client")),
    t.CONFIRMED: (True, gettext_lazy("commande confirmée, paiement à engager")),
    t.AWAITING_PAYMENT: (True, gettext_lazy("en attente du paiement du client")),
    t.PAID: (False, gettext_lazy("paiement reçu : service à activer")),
    t.ACTIVE: (False, gettext_lazy("service actif")),
    t.COMPLETED: (False, gettext_lazy("commande terminée")),
    t.CANCELLED: (False, gettext_lazy("commande annulée")),
    t.WITHDRAWN: (False, gettext_lazy("le client s'est rétracté (C. conso. L221-18)")),
}


def waiting_reason(
    *,
    status: str,
    terms_label: str,
    deposit: DepositFacts | None,
    started_at: datetime | None = None,
    execution: ExecutionFacts | None = None,
) -> WaitingReason:
    """What the order waits for, citing the clause that makes it wait."""
    if status == t.PAID and execution is not None:
        return WaitingReason(
            status=status,
            waiting=False,
            why=_("paiement reçu : service à activer, %(deadline)s")
            % {"deadline": worded(execution.why)},
            clause=execution.clause_id,
            article=execution.article,
            terms=execution.terms_label,
            inputs={"paid_on": execution.paid_on, "deadline": execution.deadline},
        )
    if status == t.AWAITING_DEPOSIT and deposit is not None:
        return WaitingReason(
            status=status,
            waiting=True,
            why=worded(awaiting_deposit_sentence(deposit)),
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
                why=worded(
                    words(
                        "acompte de {amount} encaissé le {date} ({article} CGV {terms}) : les "
                        "travaux peuvent commencer",
                        amount=Euros(deposit.amount),
                        date=deposit.cashed_on,
                        article=deposit.article,
                        terms=deposit.terms_label,
                    )
                ),
                clause=deposit.clause_id,
                article=deposit.article,
                terms=deposit.terms_label,
                inputs=_deposit_inputs(deposit),
            )
        return WaitingReason(
            status=status,
            waiting=False,
            why=_("commande validée, sans acompte : les travaux peuvent commencer"),
            terms=terms_label,
        )
    if status == t.IN_PROGRESS:
        why = (
            worded(words("travaux en cours depuis le {date}", date=started_at.date()))
            if started_at
            else _("travaux en cours")
        )
        return WaitingReason(status=status, waiting=False, why=why)
    waiting, why = _PLAIN_REASONS.get(status, (False, status))
    return WaitingReason(status=status, waiting=waiting, why=str(why), terms=terms_label)
