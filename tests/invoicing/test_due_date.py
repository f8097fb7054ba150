"""The due date when the terms set no payment term (C. com. L441-10 I, al. 1: the 30th day
after the execution of the service), and a payment term counted from the execution."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.invoicing import domain
from clausier.rules.deadlines import day_after
from clausier.rules.errors import RuleError
from clausier.rules.payment import LEGAL_PAYMENT_TERM
from tests.invoicing.test_domain import AGENCY_DUE, AGENCY_TERMS, agency_facts, paas_facts

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 6, 1))


def test_the_legal_term_is_data_with_its_article():
    assert (LEGAL_PAYMENT_TERM.value, LEGAL_PAYMENT_TERM.source) == (30, "C. com. L441-10 I, al. 1")


def test_without_a_payment_clause_the_invoice_is_due_30_days_after_the_service():
    facts = agency_facts(payment_due=None, service_date=date(2026, 5, 12))
    prepared = domain.prepare(facts)
    assert prepared.due.value == date(2026, 6, 11)
    assert prepared.due.sentence == (
        "30 jours après l'exécution de la prestation, délai légal à défaut de clause "
        "(C. com. L441-10 I, al. 1) : 11/06/2026"
    )
    condition = prepared.due.condition
    assert (condition.label, condition.value, condition.source) == (
        "Échéance",
        "11/06/2026",
        "C. com. L441-10 I, al. 1",
    )
    assert condition.explanation == (
        f"les CGV {AGENCY_TERMS} ne fixent pas de délai de paiement : 30 jours après "
        "l'exécution de la prestation (12/05/2026), délai légal"
    )
    document = prepared.document(number="F2026-000001")
    assert document.due_date == date(2026, 6, 11)
    assert "délai légal à défaut de clause" in document.due_date_explanation
    assert condition in document.conditions
    assert document.payment_terms.startswith("Payable au plus tard le 11/06/2026 (30 jours")
    explained = prepared.explanations()["due_date"]
    assert explained["law"] == "C. com. L441-10 I, al. 1"
    assert explained["inputs"]["start"] == "2026-05-12"


def test_without_a_service_date_the_legal_term_counts_from_the_invoice_date():
    prepared = domain.prepare(agency_facts(payment_due=None, service_date=None))
    assert prepared.due.value == date(2026, 6, 21)  # 22/05/2026 + 30, a Sunday: not carried
    assert "l'exécution de la prestation, à la date de facture" in prepared.due.sentence


def test_goods_are_due_30_days_after_their_receipt():
    goods = tuple(replace(line, goods=True) for line in agency_facts().lines)
    prepared = domain.prepare(
        agency_facts(payment_due=None, lines=goods, service_date=date(2026, 5, 2))
    )
    assert prepared.due.value == date(2026, 6, 1)
    assert "30 jours après la réception des marchandises" in prepared.due.sentence


@given(service=days, issued_after=st.integers(min_value=0, max_value=60))
def test_without_a_clause_the_due_date_is_always_the_service_date_plus_30_days(
    service, issued_after
):
    facts = agency_facts(
        payment_due=None,
        service_date=service,
        issue_date=service + timedelta(days=issued_after),
        late_penalty=None,
    )
    due = domain.prepare(facts).due
    assert due.value == service + timedelta(days=30)
    assert due.explained.law == "C. com. L441-10 I, al. 1"
    assert "L441-10" in due.sentence
    assert "L441-10" in due.condition.source
    assert f"({service:%d/%m/%Y})" in due.condition.explanation


def test_a_prepaid_invoice_without_a_clause_stays_due_on_its_payment_day():
    prepared = domain.prepare(paas_facts(payment_due=None))
    assert prepared.due.value == date(2026, 5, 8)


@pytest.mark.parametrize("start", ["service_date", "execution"])
def test_a_clause_may_count_its_term_from_the_execution_of_the_service(start):
    clause = replace(AGENCY_DUE, start=start)
    prepared = domain.prepare(agency_facts(payment_due=clause, service_date=date(2026, 5, 4)))
    # 14 jours ouvrés from Monday 04/05/2026: 8 May, Ascension (14/05) and Whit Monday (25/05)
    # skipped.
    assert prepared.due.value == date(2026, 5, 27)
    assert prepared.due.sentence == (
        "14 jours ouvrés après l'exécution de la prestation, art. 5 CGV v3.0 : 27/05/2026"
    )
    assert prepared.due.explained.clause == "payment.due"


def test_a_clause_counted_from_an_unknown_event_is_refused_with_its_name():
    clause = replace(AGENCY_DUE, start="invoice_receipt")
    with pytest.raises(domain.InvoiceRuleError, match="invoice_receipt"):
        domain.prepare(agency_facts(payment_due=clause))


@given(start=days, n=st.integers(min_value=0, max_value=400))
def test_day_after_is_the_nth_calendar_day_never_carried(start, n):
    explained = day_after(start=start, n=n, law="C. com. L441-10 I, al. 1")
    assert explained.value == start + timedelta(days=n)
    assert explained.law == "C. com. L441-10 I, al. 1"


def test_day_after_refuses_a_negative_count_naming_the_argument():
    with pytest.raises(RuleError, match=r"^n: must be >= 0"):
        day_after(start=date(2026, 5, 1), n=-1, law="C. com. L441-10 I")
