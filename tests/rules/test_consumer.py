"""The consumer's withdrawal period for a service and the first day it may start."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.consumer import WITHDRAWAL_PERIOD, earliest_start, withdrawal_end

NATIONAL = FrenchCalendar()


def test_fourteen_days_from_the_conclusion_the_conclusion_day_not_counted():
    end = withdrawal_end(concluded_on=date(2026, 5, 4), calendar=NATIONAL)

    assert end.value == date(2026, 5, 18)
    assert "L221-18" in end.law
    assert WITHDRAWAL_PERIOD.value == 14


def test_a_period_ending_on_a_sunday_runs_to_the_monday():
    # Sun 01/11/2026 + 14 = Sun 15/11/2026 -> Mon 16/11/2026 (CPC 642).
    assert withdrawal_end(concluded_on=date(2026, 11, 1), calendar=NATIONAL).value == date(
        2026, 11, 16
    )


def test_a_period_ending_on_a_holiday_runs_to_the_next_working_day():
    # Thu 30/04/2026 + 14 = Thu 14/05/2026, Ascension: carried to Fri 15/05/2026.
    assert withdrawal_end(concluded_on=date(2026, 4, 30), calendar=NATIONAL).value == date(
        2026, 5, 15
    )


def test_without_an_express_request_the_service_starts_the_day_after_the_period():
    start = earliest_start(concluded_on=date(2026, 5, 4), express_request=False, calendar=NATIONAL)

    assert start.value == date(2026, 5, 19)
    assert "L221-25" in start.law
    assert start.steps[-1].value == date(2026, 5, 19)


def test_an_express_request_lets_the_service_start_at_once():
    start = earliest_start(concluded_on=date(2026, 5, 4), express_request=True, calendar=NATIONAL)

    assert start.value == date(2026, 5, 4)
    assert start.law == "C. conso. L221-25"


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
def test_the_period_is_never_shorter_than_fourteen_days_nor_ends_on_a_rest_day(concluded):
    end = withdrawal_end(concluded_on=concluded, calendar=NATIONAL).value

    assert end >= concluded + timedelta(days=14)
    assert end <= concluded + timedelta(days=14 + 4)  # at most a long weekend carried
    assert end.weekday() < 5
    assert not NATIONAL.is_holiday(end)
    start = earliest_start(concluded_on=concluded, express_request=False, calendar=NATIONAL)
    assert start.value == end + timedelta(days=1)
