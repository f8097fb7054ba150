"""Pure decisions of the online flow: execution deadline, payment failure, waiting reason."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.kernel.errors import DomainError
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.rules.calendar import FrenchCalendar


def test_the_execution_deadline_is_the_rules_core_deadline_cited_to_the_clause():
    explained = domain.execution_deadline(
        paid_on=date(2026, 5, 8),
        n=7,
        unit="jours_ouvres",
        start_event="payment_receipt",
        clause_id="execution.deadline",
        terms_label="v1.1",
        calendar=FrenchCalendar(),
    )
    assert explained.value == date(2026, 5, 20)
    assert (explained.clause, explained.terms, explained.rule) == (
        "execution.deadline",
        "v1.1",
        "deadline",
    )
    assert explained.law == "CPC art. 640-642; C. trav. L3133-1"


def test_an_execution_deadline_from_an_unknown_event_is_refused():
    with pytest.raises(DomainError, match="« delivery »"):
        domain.execution_deadline(
            paid_on=date(2026, 5, 8),
            n=7,
            unit="jours_ouvres",
            start_event="delivery",
            clause_id="execution.deadline",
            terms_label="v1.1",
            calendar=FrenchCalendar(),
        )


def test_the_execution_sentence_cites_article_terms_and_dates():
    assert str(
        domain.execution_sentence(
            deadline_on=date(2026, 5, 26),
            paid_on=date(2026, 5, 13),
            n=7,
            unit="jours_ouvres",
            start_event="payment_receipt",
            article="art. 8",
            terms_label="v1.1",
        )
    ) == (
        "art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (13/05/2026), "
        "soit au plus tard le 26/05/2026"
    )


@pytest.mark.parametrize(
    ("on_failure", "cancels"), [("cancel_order", True), ("none", False), (None, False)]
)
def test_a_failed_payment_cancels_only_when_the_terms_say_so(on_failure, cancels):
    assert domain.payment_failure_cancels(on_failure) is cancels


def test_a_paid_order_says_by_when_its_service_starts():
    facts = domain.ExecutionFacts(
        deadline=date(2026, 5, 20),
        paid_on=date(2026, 5, 8),
        why="art. 8 CGV v1.1 : 7 jours ouvrés après la réception du paiement (08/05/2026), "
        "soit au plus tard le 20/05/2026",
        clause_id="execution.deadline",
        article="art. 8",
        terms_label="v1.1",
    )
    reason = domain.waiting_reason(status=t.PAID, terms_label="v1.1", deposit=None, execution=facts)
    assert reason.as_dict() == {
        "status": "paid",
        "waiting": False,
        "why": f"paiement reçu : service à activer, {facts.why}",
        "clause": "execution.deadline",
        "article": "art. 8",
        "terms": "v1.1",
        "inputs": {"paid_on": "2026-05-08", "deadline": "2026-05-20"},
    }
    # Without a deadline (terms without an execution clause) the plain reason stays.
    plain = domain.waiting_reason(status=t.PAID, terms_label="v1.1", deposit=None)
    assert plain.why == "paiement reçu : service à activer"


def test_the_express_start_text_names_its_law():
    assert domain.EXPRESS_START.source == "C. conso. L221-25, L221-28 1°"
    assert "perdrai mon droit de rétractation" in domain.EXPRESS_START.value
