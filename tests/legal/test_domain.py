"""Naming the periods of the legal-rate table and laying staff rows over the packaged one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.legal.domain import Period, PeriodError, StaffRate, contradiction, gap, overlay
from clausier.rules.errors import MissingRateError
from clausier.rules.interest import LegalRateTable

PACKAGED = LegalRateTable.default()


def staff(period: str, pro="9.99", con="19.99") -> StaffRate:
    return StaffRate(Period.parse(period), Decimal(pro), Decimal(con), "Arrêté fictif (test)")


@pytest.mark.parametrize(
    ("text", "period", "start", "end"),
    [
        ("2026-S2", Period(2026, 2), date(2026, 7, 1), date(2026, 12, 31)),
        ("2027 s1", Period(2027, 1), date(2027, 1, 1), date(2027, 6, 30)),
        ("2011", Period(2011), date(2011, 1, 1), date(2011, 12, 31)),
    ],
)
def test_periods_read_as_staff_write_them(text, period, start, end):
    parsed = Period.parse(text)
    assert (parsed, parsed.start, parsed.end) == (period, start, end)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026", "par semestre"),  # semesters since 2015 (ordonnance 2014-947)
        ("2014-S1", "annuel"),
        ("S2 2026", "illisible"),
        ("2026-S3", "illisible"),
    ],
)
def test_a_period_the_law_of_its_time_did_not_have_is_refused(text, why):
    with pytest.raises(PeriodError, match=why):
        Period.parse(text)


def test_a_staff_semester_fills_the_table_after_the_packaged_one():
    with pytest.raises(MissingRateError, match="2026 S2"):
        PACKAGED.rate(date(2026, 9, 1))
    table = overlay(PACKAGED, [staff("2026-S2")])
    rate = table.rate(date(2026, 9, 1))
    assert rate.value == Decimal("0.0999")
    assert "Arrêté fictif (test)" in str(rate.steps[-1].label)
    assert table.rate(date(2026, 3, 1)).value == Decimal("0.0262")  # the CSV's 2026 S1


def test_a_staff_row_after_a_hole_is_left_out_so_that_nothing_is_guessed():
    table = overlay(PACKAGED, [staff("2027-S1")])
    assert table.periods[-1].label == "2026 S1"
    with pytest.raises(MissingRateError, match="2027 S1"):
        table.rate(date(2027, 2, 1))
    assert "saisissez d'abord" in gap(PACKAGED, Period(2027, 1))
    assert gap(PACKAGED, Period(2026, 2)) == ""


def test_a_staff_row_saying_what_the_csv_says_is_no_contradiction():
    assert contradiction(PACKAGED, staff("2026-S1", "2.62", "6.67")) == ""
    why = contradiction(PACKAGED, staff("2026-S1", "2.63", "6.67"))
    assert "2026 S1 figure déjà dans le tableau livré" in why
    assert "2.62 % (créancier professionnel) / 6.67 %" in why
    assert overlay(PACKAGED, [staff("2026-S1", "2.63", "6.67")]).rate(
        date(2026, 3, 1)
    ).value == Decimal("0.0262")


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("fr", "Le taux d'intérêt légal du 1er semestre 2027 n'est pas encore saisi"),
        ("en", "The legal interest rate for the 1st half of 2027 has not been entered yet"),
    ],
)
def test_a_missing_rate_is_worded_in_the_pages_language(language, says):
    from django.utils import translation

    from clausier.legal.domain import missing_period_of, missing_rate_message
    from clausier.rules.interest import legal_rate

    with pytest.raises(MissingRateError) as caught:
        legal_rate(on=date(2027, 3, 1))
    period = missing_period_of(caught.value)
    assert period == Period(2027, 1)
    with translation.override(language):
        assert missing_rate_message(period).startswith(says)
