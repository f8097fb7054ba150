"""The due date of an invoice, from the terms' ``payment.due`` clause, through the rules core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from clausier.invoicing.document import (
    Condition,
)
from clausier.invoicing.domain.facts import INVOICE_DATE_STARTS, InvoiceFacts, InvoiceRuleError
from clausier.rules.deadlines import day_after, deadline, unit_label
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.money import (
    format_eur,
)
from clausier.rules.payment import LEGAL_PAYMENT_TERM
from clausier.rules.wording import Words

# --- due date -------------------------------------------------------------------------------

# The payment.due clause may count from the execution of the service (the invoice's service
# date, its issue date when it has none) instead of the invoice date.
SERVICE_DATE_STARTS: Final = frozenset({"service_date", "execution"})


@dataclass(frozen=True, slots=True)
class DueDate:
    value: date
    sentence: str  # "14 jours ouvrés après la date de facture, art. 5 CGV v3.0 : 12/06/2026"
    condition: Condition
    explained: Explained


def _skipped_holidays(explained: Explained) -> list[str]:
    return [
        f"{step.value:%d/%m/%Y} ({step.label.params['holiday']})"
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
        sentence = (
            f"avoir sur la facture {corrected.number} du {corrected.issue_date:%d/%m/%Y}, "
            f"à rembourser ou à imputer dès son émission : {issued:%d/%m/%Y}"
        )
        explained = Explained(
            value=issued,
            rule="credit_note_due",
            law="BOFiP TVA-DECLA-30-20-20",
            inputs={"issue_date": issued, "corrects": corrected.number},
            steps=(Step("un avoir est dû dès son émission", issued),),
        )
        condition = Condition(
            label="Échéance",
            value=f"{issued:%d/%m/%Y}",
            explanation=f"avoir sur la facture {corrected.number}, dû dès son émission",
        )
        return DueDate(issued, sentence, condition, explained)
    if facts.prepayment is not None:
        paid = facts.prepayment
        cite = f", {paid.source.cite}" if paid.source else ""
        sentence = (
            f"facture acquittée : paiement de {format_eur(paid.amount)} reçu le "
            f"{paid.paid_on:%d/%m/%Y} avant son émission{cite} : {paid.paid_on:%d/%m/%Y}"
        )
        explained = Explained(
            value=paid.paid_on,
            rule="prepaid_invoice_due",
            inputs={"paid_on": paid.paid_on, "amount": paid.amount, "means": paid.means},
            steps=(Step("paiement reçu avant l'émission de la facture", paid.paid_on),),
        )
        if paid.source:
            explained = explained.citing(
                clause=paid.source.clause_id, terms=paid.source.terms_label
            )
        condition = Condition(
            label="Paiement",
            value=f"reçu le {paid.paid_on:%d/%m/%Y}",
            explanation=f"{format_eur(paid.amount)} payés avant l'émission ({paid.means})",
            source=paid.source.cite if paid.source else "",
        )
        return DueDate(paid.paid_on, sentence, condition, explained)
    clause = facts.payment_due
    if clause is None:
        return _legal_due_date(facts)
    if clause.start in INVOICE_DATE_STARTS:
        start, since = issued, "la date de facture"
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
    period = f"{unit_label(clause.n, clause.unit)} après {since}"
    sentence = f"{period}, {clause.source.cite} : {value:%d/%m/%Y}"
    detail = f"{period} ({start:%d/%m/%Y})"
    skipped = _skipped_holidays(explained)
    if skipped:
        detail += f", jours fériés non comptés : {', '.join(skipped)}"
    condition = Condition(
        label="Échéance",
        value=f"{value:%d/%m/%Y}",
        explanation=detail,
        source=clause.source.cite,
    )
    return DueDate(value, sentence, condition, explained)


def _execution(facts: InvoiceFacts) -> tuple[date, str]:
    """The day the service was done (or the goods received) and how to name it: the
    invoice's service date, or its issue date when it has none."""
    goods = bool(facts.lines) and all(line.goods for line in facts.lines)
    event = "la réception des marchandises" if goods else "l'exécution de la prestation"
    if facts.service_date is None:
        return facts.issue_date, f"{event}, à la date de facture"
    return facts.service_date, event


def _legal_due_date(facts: InvoiceFacts) -> DueDate:
    """Terms without a payment term: the law's, 30 days after the execution of the service
    (C. com. L441-10 I, al. 1: "à défaut de stipulations contraires")."""
    term = LEGAL_PAYMENT_TERM
    start, since = _execution(facts)
    explained = day_after(start=start, n=term.value, law=term.source)
    value = explained.value
    period = f"{term.value} jours après {since}"  # calendar days, as the law words them
    terms = f"les CGV {facts.terms_label}" if facts.terms_label else "les conditions"
    sentence = f"{period}, délai légal à défaut de clause ({term.source}) : {value:%d/%m/%Y}"
    condition = Condition(
        label="Échéance",
        value=f"{value:%d/%m/%Y}",
        explanation=(
            f"{terms} ne fixent pas de délai de paiement : {period} ({start:%d/%m/%Y}), délai légal"
        ),
        source=term.source,
    )
    return DueDate(value, sentence, condition, explained)
