"""The withdrawal period under a seller's terms, the refund deadline (L221-24) and the amount
owed after an early start (L221-25): worked cases, the arithmetic in comments, and
properties."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.consumer import (
    REFUND_PERIOD,
    early_start_amount,
    refund_deadline,
    withdrawal_end,
    withdrawal_period,
)
from clausier.rules.errors import RuleError

NATIONAL = FrenchCalendar()
DATES = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


# --- the withdrawal period under the terms -------------------------------------------------


def test_seven_jours_francs_in_the_terms_give_way_to_the_fourteen_days_of_the_law():
    # Mon 04/05/2026: CGV 7 jours francs = 04/05 + 7 = 11/05, + 1 (francs) = Tue 12/05;
    # law 14 days = Mon 18/05/2026. The law is longer: it applies.
    end = withdrawal_period(
        concluded_on=date(2026, 5, 4), calendar=NATIONAL, terms_n=7, terms_unit="jours_francs"
    )

    assert end.value == date(2026, 5, 18)
    assert end.rule == "withdrawal_period"
    assert "L221-18" in end.law
    said = [str(step.label) for step in end.steps]
    assert "CGV : 7 jours francs ; loi : 14 jours, L221-18" in said[-1]
    assert "le délai légal remplace celui des CGV" in said[-1]
    assert end.steps[-3].value == date(2026, 5, 12)  # what the terms said


def test_terms_longer_than_the_law_apply():
    # CGV 30 jours calendaires from Mon 04/05/2026 = Wed 03/06/2026 > law Mon 18/05.
    end = withdrawal_period(
        concluded_on=date(2026, 5, 4), calendar=NATIONAL, terms_n=30, terms_unit="jours_calendaires"
    )

    assert end.value == date(2026, 6, 3)
    assert "le délai des CGV, plus long, s'applique" in str(end.steps[-1].label)


def test_terms_silent_on_the_period_give_the_law():
    end = withdrawal_period(concluded_on=date(2026, 5, 4), calendar=NATIONAL)

    assert end.value == date(2026, 5, 18)
    assert str(end.steps[-1].label) == "CGV : aucun délai ; loi : 14 jours, L221-18"


def test_the_last_day_on_a_saturday_is_carried_to_the_monday():
    # Sat 09/05/2026 + 14 = Sat 23/05/2026 -> Sun 24, Mon 25/05 Whit Monday -> Tue 26/05.
    end = withdrawal_period(
        concluded_on=date(2026, 5, 9), calendar=NATIONAL, terms_n=7, terms_unit="jours_francs"
    )

    assert end.value == date(2026, 5, 26)
    assert any("CPC 642" in str(step.label) for step in end.steps)


@given(
    DATES,
    st.integers(min_value=0, max_value=60),
    st.sampled_from(["jours_francs", "jours_calendaires", "jours_ouvres", "jours_ouvrables"]),
)
def test_the_period_is_never_shorter_than_the_law_and_never_ends_on_a_rest_day(concluded, n, unit):
    end = withdrawal_period(concluded_on=concluded, calendar=NATIONAL, terms_n=n, terms_unit=unit)
    law = withdrawal_end(concluded_on=concluded, calendar=NATIONAL)

    assert end.value >= law.value
    assert end.value.weekday() < 5
    assert not NATIONAL.is_holiday(end.value)


# --- the refund deadline (L221-24) ----------------------------------------------------------


def test_the_refund_is_due_fourteen_days_after_the_seller_is_informed():
    # Mon 11/05/2026 + 14 = Mon 25/05/2026, Whit Monday -> Tue 26/05/2026.
    due = refund_deadline(informed_on=date(2026, 5, 11), calendar=NATIONAL)

    assert due.value == date(2026, 5, 26)
    assert due.rule == "refund_deadline"
    assert due.law.startswith("C. conso. L221-24")
    assert REFUND_PERIOD.value == 14
    assert due.steps[0].value == date(2026, 5, 11)


def test_a_refund_deadline_on_a_weekday_stays():
    # Wed 03/06/2026 + 14 = Wed 17/06/2026.
    assert refund_deadline(informed_on=date(2026, 6, 3), calendar=NATIONAL).value == date(
        2026, 6, 17
    )


@given(DATES)
def test_the_refund_deadline_is_never_before_fourteen_days_nor_on_a_rest_day(informed):
    due = refund_deadline(informed_on=informed, calendar=NATIONAL).value

    assert informed + timedelta(days=14) <= due <= informed + timedelta(days=18)
    assert due.weekday() < 5
    assert not NATIONAL.is_holiday(due)


# --- the amount owed after an early start (L221-25) -----------------------------------------


def test_seven_days_of_thirty_provided():
    # Started Tue 05/05/2026, withdrawal Tue 12/05/2026: 05..11/05 = 7 days provided.
    # 42,24 € × 7 / 30 = 9,856 -> 9,86 € (half up).
    owed = early_start_amount(
        price=Decimal("42.24"),
        started_on=date(2026, 5, 5),
        withdrawn_on=date(2026, 5, 12),
        period_days=30,
    )

    assert owed.value == Decimal("9.86")
    assert owed.law == "C. conso. L221-25"
    assert str(owed.steps[2].label) == "7 jours fournis"
    assert str(owed.steps[-1].label) == "arrondi au centime, au demi supérieur : 9,86\u00a0€"


def test_half_a_cent_is_rounded_up_once():
    # 0,15 € × 1 / 30 = 0,005 -> 0,01 € (half up; half even would give 0,00).
    owed = early_start_amount(
        price=Decimal("0.15"),
        started_on=date(2026, 5, 5),
        withdrawn_on=date(2026, 5, 6),
        period_days=30,
    )

    assert owed.value == Decimal("0.01")


def test_a_withdrawal_the_day_the_service_starts_owes_nothing():
    owed = early_start_amount(
        price=Decimal("42.24"),
        started_on=date(2026, 5, 5),
        withdrawn_on=date(2026, 5, 5),
        period_days=30,
    )

    assert owed.value == Decimal("0.00")


def test_a_period_of_zero_days_is_refused_naming_the_argument():
    with pytest.raises(RuleError, match="period_days"):
        early_start_amount(
            price=Decimal("10"),
            started_on=date(2026, 5, 5),
            withdrawn_on=date(2026, 5, 6),
            period_days=0,
        )


PRICES = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2)


@given(PRICES, DATES, st.integers(min_value=-5, max_value=60), st.integers(1, 45))
def test_the_amount_owed_is_between_nothing_and_the_price(price, started, days, period_days):
    owed = early_start_amount(
        price=price,
        started_on=started,
        withdrawn_on=started + timedelta(days=days),
        period_days=period_days,
    ).value

    assert Decimal("0") <= owed <= price
    assert owed == owed.quantize(Decimal("0.01"))
    if days >= period_days:
        assert owed == price


@given(PRICES, DATES, st.integers(min_value=0, max_value=44), st.integers(1, 45))
def test_one_more_day_provided_never_owes_less(price, started, days, period_days):
    def owed(d):
        return early_start_amount(
            price=price,
            started_on=started,
            withdrawn_on=started + timedelta(days=d),
            period_days=period_days,
        ).value

    assert owed(days) <= owed(days + 1)
