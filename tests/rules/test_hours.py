"""BusinessHours: a clock that runs only inside opening windows, in real (absolute) time."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.errors import RuleError
from clausier.rules.hours import BusinessHours

PARIS = ZoneInfo("Europe/Paris")
OFFICE = BusinessHours.weekdays()  # Monday-Friday 09:00-18:00, Europe/Paris
# Load the holidays package's data now, before Hypothesis times any example.
FrenchCalendar().is_holiday(date(2026, 1, 1))

HOUR = timedelta(hours=1)

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(PARIS)
) | st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(), max_value=timedelta(days=20))
schedules = st.sampled_from(
    [
        OFFICE,
        BusinessHours({0: [("09:00", "12:00"), ("14:00", "18:00")], 5: [("10:00", "12:30")]}),
        BusinessHours({day: [("00:00", "24:00")] for day in range(7)}),
        BusinessHours.weekdays("08:30", "17:00", tz="America/New_York"),
    ]
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_two_hours_from_friday_evening_end_monday_morning_across_spring_dst():
    # Friday 27 March 17:00 (+01:00): 1 h until 18:00; clocks go forward on Sunday 29 March;
    # Monday 30 March 09:00 (+02:00) + the remaining 1 h = 10:00.
    start = paris(2026, 3, 27, 17, 0)
    end = OFFICE.add(start, 2 * HOUR)
    assert end == paris(2026, 3, 30, 10, 0)
    assert end.utcoffset() == 2 * HOUR
    assert OFFICE.elapsed(start, end) == 2 * HOUR


def test_two_hours_from_friday_evening_end_monday_morning_across_autumn_dst():
    # Clocks go back on Sunday 25 October 2026; Monday 26 October is at +01:00.
    start = paris(2026, 10, 23, 17, 0)
    end = OFFICE.add(start, 2 * HOUR)
    assert end == paris(2026, 10, 26, 10, 0)
    assert end.utcoffset() == HOUR
    assert OFFICE.elapsed(start, end) == 2 * HOUR


def test_a_window_on_the_dst_day_lasts_its_real_duration():
    always = BusinessHours({day: [("00:00", "24:00")] for day in range(7)})
    # Sunday 29 March 2026 has 23 real hours, Sunday 25 October 2026 has 25.
    assert always.elapsed(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)) == 23 * HOUR
    assert always.elapsed(paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0)) == 25 * HOUR
    # A 09:00-18:00 window is 9 h on those days too: the jump happens at 02:00/03:00.
    sundays = BusinessHours({6: [("09:00", "18:00")]})
    assert sundays.elapsed(paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0)) == 9 * HOUR


def test_a_start_on_a_holiday_begins_at_the_next_opening():
    # Friday 1 May 2026 (Fête du Travail), then the weekend: the clock starts Monday 4 May.
    holiday = paris(2026, 5, 1, 10, 0)
    assert not OFFICE.is_open(holiday)
    assert OFFICE.next_opening(holiday) == paris(2026, 5, 4, 9, 0)
    assert OFFICE.add(holiday, HOUR) == paris(2026, 5, 4, 10, 0)


def test_a_start_on_saturday_night_begins_on_monday():
    assert OFFICE.add(paris(2026, 6, 6, 23, 30), timedelta(minutes=30)) == paris(2026, 6, 8, 9, 30)


def test_a_start_in_the_evening_carries_to_the_next_morning():
    # Tuesday 2 June 19:00 + 1 h -> Wednesday 3 June 10:00.
    assert OFFICE.add(paris(2026, 6, 2, 19, 0), HOUR) == paris(2026, 6, 3, 10, 0)
    # Before opening: Tuesday 07:00 + 1 h -> Tuesday 10:00.
    assert OFFICE.add(paris(2026, 6, 2, 7, 0), HOUR) == paris(2026, 6, 2, 10, 0)


def test_a_duration_that_fills_the_window_ends_at_closing_time():
    # Tuesday 17:00 + 1 h is Tuesday 18:00, not Wednesday 09:00.
    assert OFFICE.add(paris(2026, 6, 2, 17, 0), HOUR) == paris(2026, 6, 2, 18, 0)


def test_zero_duration_returns_the_start_unchanged_even_when_closed():
    sunday = paris(2026, 6, 7, 12, 0)
    assert OFFICE.add(sunday, timedelta()) is sunday


def test_a_lunch_break_is_skipped():
    lunch = BusinessHours({0: [("09:00", "12:00"), ("14:00", "18:00")]})
    # Monday 1 June 11:00: 1 h until 12:00, then 14:00 + 1 h = 15:00.
    assert lunch.add(paris(2026, 6, 1, 11, 0), 2 * HOUR) == paris(2026, 6, 1, 15, 0)
    assert lunch.elapsed(paris(2026, 6, 1, 0, 0), paris(2026, 6, 2, 0, 0)) == 7 * HOUR


def test_the_result_keeps_the_time_zone_of_the_start():
    # 16:00 UTC is 17:00 in Paris on Friday 27 March: same as the Paris example.
    start = datetime(2026, 3, 27, 16, 0, tzinfo=UTC)
    end = OFFICE.add(start, 2 * HOUR)
    assert end.tzinfo is UTC
    assert end == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_holidays_and_weekends_have_no_business_hours_over_a_week():
    # Monday 1 June to Monday 8 June 2026: 5 days of 9 h.
    assert OFFICE.elapsed(paris(2026, 6, 1, 9, 0), paris(2026, 6, 8, 9, 0)) == 45 * HOUR
    # Monday 11 May to Monday 18 May: Thursday 14 May is Ascension, 4 days of 9 h.
    assert OFFICE.elapsed(paris(2026, 5, 11, 9, 0), paris(2026, 5, 18, 9, 0)) == 36 * HOUR
    assert OFFICE.elapsed(paris(2026, 6, 1, 12, 0), paris(2026, 6, 1, 12, 0)) == timedelta()


def test_good_friday_is_closed_only_with_the_alsace_moselle_calendar():
    local = BusinessHours.weekdays(calendar=FrenchCalendar("Alsace-Moselle"))
    good_friday = paris(2026, 4, 3, 10, 0)
    assert OFFICE.is_open(good_friday)
    assert not local.is_open(good_friday)
    # Thursday 2 April 17:00 + 2 h: 1 h on Thursday, Friday (Good Friday), weekend and
    # Easter Monday 6 April closed -> Tuesday 7 April 10:00.
    assert local.add(paris(2026, 4, 2, 17, 0), 2 * HOUR) == paris(2026, 4, 7, 10, 0)


def test_is_open_includes_the_opening_and_excludes_the_closing():
    assert OFFICE.is_open(paris(2026, 6, 1, 9, 0))
    assert OFFICE.is_open(paris(2026, 6, 1, 17, 59))
    assert not OFFICE.is_open(paris(2026, 6, 1, 18, 0))
    assert not OFFICE.is_open(paris(2026, 6, 1, 8, 59))
    assert OFFICE.next_opening(paris(2026, 6, 1, 12, 0)) == paris(2026, 6, 1, 12, 0)
    assert OFFICE.next_opening(paris(2026, 6, 1, 18, 0)) == paris(2026, 6, 2, 9, 0)


def test_explain_add_lists_the_windows_and_the_holidays():
    # Thursday 30 April 17:00 + 3 h: 1 h on Thursday, Friday 1 May closed, 2 h on Monday 4 May.
    start = paris(2026, 4, 30, 17, 0)
    explained = OFFICE.explain_add(start, 3 * HOUR)
    assert explained.value == OFFICE.add(start, 3 * HOUR) == paris(2026, 5, 4, 11, 0)
    assert explained.rule == "business_hours"
    assert [(str(step.label), step.value) for step in explained.steps] == [
        ("départ", start),
        ("ouvert 30/04/2026 à 17:00 -> 18:00 (Europe/Paris)", HOUR),
        ("jour férié sans heures ouvrées : 01/05/2026 Fête du Travail", date(2026, 5, 1)),
        ("ouvert 04/05/2026 à 09:00 -> 11:00 (Europe/Paris)", 2 * HOUR),
        ("échéance", paris(2026, 5, 4, 11, 0)),
    ]
    assert explained.as_dict()["inputs"]["duration"] == "PT3H"


def test_weekdays_factory_builds_the_monday_to_friday_schedule():
    assert dict(OFFICE.schedule) == {day: (("09:00", "18:00"),) for day in range(5)}
    assert OFFICE.tz == "Europe/Paris"
    assert OFFICE.calendar.region is None


def test_a_window_may_end_at_midnight():
    late = BusinessHours({4: [("20:00", "24:00")]})
    # Friday 5 June 23:00 + 2 h: 1 h until midnight, then Friday 12 June 21:00.
    assert late.add(paris(2026, 6, 5, 23, 0), 2 * HOUR) == paris(2026, 6, 12, 21, 0)


def test_a_closed_schedule_never_ends_a_duration():
    closed = BusinessHours({})
    with pytest.raises(RuleError, match=r"^schedule: ") as caught:
        closed.add(paris(2026, 6, 1, 9, 0), HOUR)
    assert isinstance(caught.value, ValueError)
    assert closed.add(paris(2026, 6, 1, 9, 0), timedelta()) == paris(2026, 6, 1, 9, 0)
    assert closed.elapsed(paris(2026, 1, 1, 0, 0), paris(2027, 1, 1, 0, 0)) == timedelta()
    assert not closed.is_open(paris(2026, 6, 1, 9, 0))


@given(clock=schedules, start=instants, duration=durations)
def test_elapsed_measures_back_what_add_added(clock, start, duration):
    assert clock.elapsed(start, clock.add(start, duration)) == duration


@given(clock=schedules, start=instants, shorter=durations, extra=durations)
def test_add_is_monotone_in_duration(clock, start, shorter, extra):
    # Compare in UTC: aware datetimes sharing a tzinfo compare by wall clock.
    first = clock.add(start, shorter).astimezone(UTC)
    assert first <= clock.add(start, shorter + extra).astimezone(UTC)
    assert first >= start.astimezone(UTC)


@given(clock=schedules, start=instants, duration=durations)
def test_a_positive_duration_ends_inside_a_window_or_at_its_close(clock, start, duration):
    end = clock.add(start, duration + timedelta(microseconds=1))
    assert end.tzinfo is start.tzinfo
    # end lies in (opening, closing] of some window, so the microsecond before it is open.
    assert clock.is_open(end - timedelta(microseconds=1))


@given(clock=schedules, a=instants, gaps=st.tuples(durations, durations))
def test_elapsed_is_additive(clock, a, gaps):
    # Add in UTC: aware arithmetic in Europe/Paris is wall-clock and drops `fold`, so
    # 02:00 (fold=1) + 0 would land an hour earlier, on 02:00 (fold=0).
    b = (a.astimezone(UTC) + gaps[0]).astimezone(a.tzinfo)
    c = (b.astimezone(UTC) + gaps[1]).astimezone(a.tzinfo)
    assert clock.elapsed(a, b) + clock.elapsed(b, c) == clock.elapsed(a, c)
    assert clock.elapsed(a, c) <= c.astimezone(UTC) - a.astimezone(UTC)


def test_a_naive_start_is_refused():
    with pytest.raises(RuleError, match=r"^start: naive datetime") as caught:
        OFFICE.add(datetime(2026, 6, 1, 9, 0), HOUR)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(RuleError, match=r"^a: "):
        OFFICE.elapsed(datetime(2026, 6, 1, 9, 0), paris(2026, 6, 1, 10, 0))
    with pytest.raises(RuleError, match=r"^at: "):
        OFFICE.is_open(datetime(2026, 6, 1, 9, 0))
    with pytest.raises(RuleError, match=r"^start: expected a datetime"):
        OFFICE.add(date(2026, 6, 1), HOUR)


@pytest.mark.parametrize("duration", [-HOUR, 3600, None, timedelta.max])
def test_a_bad_duration_is_refused(duration):
    with pytest.raises(RuleError, match=r"^duration: "):
        OFFICE.add(paris(2026, 6, 1, 9, 0), duration)


def test_elapsed_refuses_an_end_before_the_start():
    with pytest.raises(RuleError, match=r"^b: "):
        OFFICE.elapsed(paris(2026, 6, 2, 9, 0), paris(2026, 6, 1, 9, 0))


@pytest.mark.parametrize(
    "schedule",
    [
        {7: [("09:00", "18:00")]},
        {-1: [("09:00", "18:00")]},
        {True: [("09:00", "18:00")]},
        {"0": [("09:00", "18:00")]},
        {0: [("9:00", "18:00")]},
        {0: [("09:00", "25:00")]},
        {0: [("09:60", "18:00")]},
        {0: [("24:00", "24:00")]},
        {0: [("18:00", "09:00")]},
        {0: [("09:00", "09:00")]},
        {0: [("09:00", "13:00"), ("12:00", "18:00")]},
        {0: [("14:00", "18:00"), ("09:00", "12:00")]},
        {0: [("09:00",)]},
        {0: [(9, 18)]},
        {0: "09:00-18:00"},
        {0: None},
        [("09:00", "18:00")],
    ],
)
def test_a_bad_schedule_is_refused(schedule):
    with pytest.raises(RuleError, match=r"^schedule: ") as caught:
        BusinessHours(schedule)
    assert isinstance(caught.value, ValueError)


def test_windows_may_touch():
    split = BusinessHours({0: [("09:00", "12:00"), ("12:00", "18:00")]})
    assert split.elapsed(paris(2026, 6, 1, 0, 0), paris(2026, 6, 2, 0, 0)) == 9 * HOUR


@pytest.mark.parametrize("tz", ["Europe/Atlantis", "", 1, "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(tz):
    with pytest.raises(RuleError, match=r"^tz: "):
        BusinessHours.weekdays(tz=tz)


def test_calendar_must_be_a_french_calendar():
    with pytest.raises(RuleError, match=r"^calendar: "):
        BusinessHours.weekdays(calendar="Alsace-Moselle")
