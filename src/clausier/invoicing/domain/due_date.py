"""The due date of an invoice, from the terms' ``payment.due`` clause, through the rules core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from clausier.invoicing.document import Condition
from clausier.invoicing.domain.facts import (
    INVOICE_DATE_STARTS,
    InvoiceFacts,
    InvoiceRuleError,
    means_words,
)
from clausier.invoicing.domain.worded import WordedCondition
from clausier.rules.deadlines import day_after, deadline, period
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.payment import LEGAL_PAYMENT_TERM
from clausier.rules.wording import Euros, Words, words

# --- due date -------------------------------------------------------------------------------

# The payment.due clause may count from the execution of the service (the invoice's service
# date, its issue date when it has none) instead of the invoice date.
SERVICE_DATE_STARTS: Final = frozenset({"service_date", "execution"})


@dataclass(frozen=True, slots=True)
class DueDate:
    value: date
    words: Words  # "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    worded: WordedCondition
    explained: Explained
    # Why that day, without the day: "14 jours ouvrés après la date de facture, art. 5 CGV v3.0"
    reason: Words | None = None

    @property
    def sentence(self) -> str:
        """The French sentence the document prints."""
        return str(self.words)

    @property
    def condition(self) -> Condition:
        return self.worded.condition


def listed(items: list[Words]) -> Words | str:
    """ "a, b, c" as a sentence of sentences (each worded in the reader's language)."""
    if not items:
        return ""
    joined: Words = items[0]
    for item in items[1:]:
        joined = words("{first}, {then}", first=joined, then=item)
    return joined


def _skipped_holidays(explained: Explained) -> list[Words]:
    return [
        words("{day} ({holiday})", day=step.value, holiday=step.label.params["holiday"])
        for step in explained.steps
        if isinstance(step.label, Words) and "holiday" in step.label.params
    ]


def due_date(facts: InvoiceFacts) -> DueDate:
    """When the document is payable, and why.

    A credit note is owed on its date; an invoice paid before it was issued was due on the
    payment day; otherwise the ``payment.due`` clause counted by the rules core from the
    invoice date (seed 002 art. 5: "payables 14 jours ouvrés après la date de facture") or
    from the execution of the service; terms without such a clause get the law's term, the
    30th day after the execution of the service (:data:`LEGAL_PAYMENT_TERM`).
    """
    issued = facts.issue_date
    if facts.is_credit_note:
        corrected = facts.corrected
        sentence = words(
            "avoir sur la facture {number} du {date}, à rembourser ou à imputer dès son "
            "émission : {due}",
            number=corrected.number,
            date=corrected.issue_date,
            due=issued,
        )
        explained = Explained(
            value=issued,
            rule="credit_note_due",
            law="BOFiP TVA-DECLA-30-20-20",
            inputs={"issue_date": issued, "corrects": corrected.number},
            steps=(Step(words("un avoir est dû dès son émission"), issued),),
        )
        condition = WordedCondition(
            label=words("Échéance"),
            value=words("{date}", date=issued),
            explanation=words(
                "avoir sur la facture {number}, dû dès son émission", number=corrected.number
            ),
        )
        return DueDate(issued, sentence, condition, explained)
    if facts.prepayment is not None:
        paid = facts.prepayment
        if paid.source:
            sentence = words(
                "facture acquittée : paiement de {amount} reçu le {date} avant son émission, "
                "{cite} : {date}",
                amount=Euros(paid.amount),
                date=paid.paid_on,
                cite=paid.source.cited,
            )
        else:
            sentence = words(
                "facture acquittée : paiement de {amount} reçu le {date} avant son émission "
                ": {date}",
                amount=Euros(paid.amount),
                date=paid.paid_on,
            )
        explained = Explained(
            value=paid.paid_on,
            rule="prepaid_invoice_due",
            inputs={"paid_on": paid.paid_on, "amount": paid.amount, "means": paid.means},
            steps=(Step(words("paiement reçu avant l'émission de la facture"), paid.paid_on),),
        )
        if paid.source:
            explained = explained.citing(
                clause=paid.source.clause_id, terms=paid.source.terms_label
            )
        condition = WordedCondition(
            label=words("Paiement"),
            value=words("reçu le {date}", date=paid.paid_on),
            explanation=words(
                "{amount} payés avant l'émission ({means})",
                amount=Euros(paid.amount),
                means=means_words(paid.means),
            ),
            source=paid.source.cited if paid.source else "",
        )
        return DueDate(paid.paid_on, sentence, condition, explained)
    clause = facts.payment_due
    if clause is None:
        return _legal_due_date(facts)
    if clause.start in INVOICE_DATE_STARTS:
        start, since = issued, words("la date de facture")
    elif clause.start in SERVICE_DATE_STARTS:
        start, since = _execution(facts)
    else:
        raise InvoiceRuleError(
            f"Clause {clause.source.clause_id} ({clause.source.cite}) : échéance comptée depuis "
            f"« {clause.start} » ; clausier compte une échéance depuis la date de facture ou "
            "depuis l'exécution de la prestation."
        )
    try:
        explained = deadline(
            start=start, n=clause.n, unit=clause.unit, calendar=facts.calendar
        ).citing(clause=clause.source.clause_id, terms=clause.source.terms_label)
    except RuleError as exc:
        raise InvoiceRuleError(f"Clause {clause.source.cite} : {exc}") from exc
    value = explained.value
    span = words("{period} après {since}", period=period(clause.n, clause.unit), since=since)
    reason = words("{period}, {cite}", period=span, cite=clause.source.cited)
    sentence = words("{reason} : {date}", reason=reason, date=value)
    skipped = _skipped_holidays(explained)
    if skipped:
        detail = words(
            "{period} ({start}), jours fériés non comptés : {holidays}",
            period=span,
            start=start,
            holidays=listed(skipped),
        )
    else:
        detail = words("{period} ({start})", period=span, start=start)
    condition = WordedCondition(
        label=words("Échéance"),
        value=words("{date}", date=value),
        explanation=detail,
        source=clause.source.cited,
    )
    return DueDate(value, sentence, condition, explained, reason)


def _execution(facts: InvoiceFacts) -> tuple[date, Words]:
    """The day the service was done (or the goods received) and how to name it: the
    invoice's service date, or its issue date when it has none."""
    goods = bool(facts.lines) and all(line.goods for line in facts.lines)
    event = (
        words("la réception des marchandises") if goods else words("l'exécution de la prestation")
    )
    if facts.service_date is None:
        return facts.issue_date, words("{event}, à la date de facture", event=event)
    return facts.service_date, event


def _legal_due_date(facts: InvoiceFacts) -> DueDate:
    """Terms without a payment term: the law's, 30 days after the execution of the service
    (C. com. L441-10 I, al. 1: "à défaut de stipulations contraires")."""
    term = LEGAL_PAYMENT_TERM
    start, since = _execution(facts)
    explained = day_after(start=start, n=term.value, law=term.source)
    value = explained.value
    # Calendar days, as the law words them.
    span = words("{days} jours après {since}", days=term.value, since=since)
    terms = (
        words("les CGV {terms}", terms=facts.terms_label)
        if facts.terms_label
        else words("les conditions")
    )
    reason = words("{period}, délai légal à défaut de clause ({law})", period=span, law=term.source)
    sentence = words("{reason} : {date}", reason=reason, date=value)
    condition = WordedCondition(
        label=words("Échéance"),
        value=words("{date}", date=value),
        explanation=words(
            "{terms} ne fixent pas de délai de paiement : {period} ({start}), délai légal",
            terms=terms,
            period=span,
            start=start,
        ),
        source=term.source,
    )
    return DueDate(value, sentence, condition, explained, reason)
