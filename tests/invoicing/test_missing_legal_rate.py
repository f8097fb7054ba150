"""A legal rate not yet in the table never blocks an invoice: the late-penalty clause is
stated in words, with no figure, and nothing is guessed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.invoicing import domain
from clausier.invoicing.domain.penalties import times_in_words
from clausier.rules.interest import LegalRatePeriod, LegalRateTable
from tests.invoicing.test_domain import AGENCY_PENALTY, CONSUMER, agency_facts

UNPUBLISHED = date(2026, 12, 6)  # 2026 S2: after the packaged table


def test_the_invoice_states_the_clause_formula_in_words_without_a_figure():
    prepared = domain.prepare(agency_facts(issue_date=UNPUBLISHED))
    document = prepared.document(number="F2026-000001")
    assert document.late_penalty_rate is None
    assert document.late_penalty == (
        "Pénalités de retard : trois fois le taux d'intérêt légal en vigueur au 06/12/2026, "
        "calculées prorata temporis sur le montant HT restant dû, exigibles de plein droit dès "
        "le lendemain de l'échéance, sans rappel (art. 6 CGV v3.0 ; C. com. L441-10)."
    )
    [condition] = [c for c in document.conditions if c.label == "Pénalités de retard"]
    assert condition.value == "3 × taux d'intérêt légal au 06/12/2026"
    assert condition.source == "art. 6 CGV v3.0 ; C. com. L441-10"
    assert "late_penalty" not in prepared.explanations()


def test_a_clause_under_the_floor_keeps_the_floor_in_words_for_a_professional():
    weak = replace(AGENCY_PENALTY, multiplier=Decimal("1.5"), plus_points=Decimal("2"))
    professional = domain.prepare(agency_facts(issue_date=UNPUBLISHED, late_penalty=weak))
    assert professional.penalty.sentence.startswith(
        "Pénalités de retard : 1,5 fois le taux d'intérêt légal en vigueur au 06/12/2026 "
        "majoré de 2 points, et au moins trois fois ce taux (C. com. L441-10 II), "
    )
    consumer = domain.prepare(
        agency_facts(issue_date=UNPUBLISHED, late_penalty=weak, buyer=CONSUMER)
    )
    assert "au moins" not in consumer.penalty.sentence


def test_with_the_rate_in_the_table_the_figure_is_printed():
    # The same invoice once staff entered a (fictitious) 2026 S2 rate.
    fictitious = LegalRatePeriod.from_percent(
        start=date(2026, 7, 1),
        end=date(2026, 12, 31),
        professionnel="9.99",
        particulier="19.99",
        source="Arrêté fictif, valeur de test",
    )
    table = LegalRateTable([*LegalRateTable.default().periods, fictitious])
    document = domain.prepare(agency_facts(issue_date=UNPUBLISHED, rate_table=table)).document(
        number="F2026-000001"
    )
    assert document.late_penalty_rate == Decimal("29.97")


@given(day=st.dates(min_value=date(2026, 7, 1), max_value=date(2030, 12, 31)))
def test_no_date_beyond_the_table_refuses_an_invoice(day):
    prepared = domain.prepare(agency_facts(issue_date=day, payment_due=None))
    assert prepared.penalty.rate_percent is None
    assert f"en vigueur au {day:%d/%m/%Y}" in prepared.penalty.sentence


@pytest.mark.parametrize(("multiplier", "words"), [("3", "trois fois"), ("1.5", "1,5 fois")])
def test_a_multiplier_is_said_in_words(multiplier, words):
    assert times_in_words(Decimal(multiplier)) == words
