"""FrenchCalendar: the jours fériés of C. trav. L3133-1 (and L3134-13) and day counting."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import KINDS, FrenchCalendar
from clausier.rules.errors import RuleError

NATIONAL = FrenchCalendar()
ALSACE_MOSELLE = FrenchCalendar("Alsace-Moselle")
# Load the holidays package's data now, before Hypothesis times any example.
NATIONAL.is_holiday(date(2026, 1, 1))

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=0, max_value=300)
kinds = st.sampled_from(KINDS)


def easter_sunday(year: int) -> date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher), independent of `holidays`."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def legal_holidays(year: int) -> set[date]:
    """The list of C. trav. L3133-1, written out from the article."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1),
        easter + timedelta(days=1),  # lundi de Pâques
        date(year, 5, 1),
        date(year, 5, 8),
        easter + timedelta(days=39),  # Ascension: the 40th day counting Easter Sunday
        easter + timedelta(days=50),  # lundi de Pentecôte: the day after the 50th day
        date(year, 7, 14),
        date(year, 8, 15),
        date(year, 11, 1),
        date(year, 11, 11),
        date(year, 12, 25),
    }


def in_year(calendar: FrenchCalendar, year: int) -> set[date]:
    return {d for d, _ in calendar.holidays_between(date(year, 1, 1), date(year, 12, 31))}


def test_national_holidays_of_2026_are_the_eleven_of_l3133_1():
    assert NATIONAL.holidays_between(date(2026, 1, 1), date(2026, 12, 31)) == [
        (date(2026, 1, 1), "Jour de l'an"),
        (date(2026, 4, 6), "Lundi de Pâques"),
        (date(2026, 5, 1), "Fête du Travail"),
        (date(2026, 5, 8), "Fête de la Victoire"),
        (date(2026, 5, 14), "Ascension"),
        (date(2026, 5, 25), "Lundi de Pentecôte"),
        (date(2026, 7, 14), "Fête nationale"),
        (date(2026, 8, 15), "Assomption"),
        (date(2026, 11, 1), "Toussaint"),
        (date(2026, 11, 11), "Armistice"),
        (date(2026, 12, 25), "Noël"),
    ]


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    # Easter 2026 is Sunday 5 April, so Good Friday is 3 April (L3134-13).
    extra = in_year(ALSACE_MOSELLE, 2026) - in_year(NATIONAL, 2026)
    assert extra == {date(2026, 4, 3), date(2026, 12, 26)}
    assert ALSACE_MOSELLE.holiday_name(date(2026, 4, 3)) == "Vendredi saint"
    assert ALSACE_MOSELLE.holiday_name(date(2026, 12, 26)) == "Saint-Étienne"
    assert not NATIONAL.is_holiday(date(2026, 4, 3))
    assert ALSACE_MOSELLE.law == "C. trav. L3133-1, L3134-13"


@pytest.mark.parametrize(
    ("year", "ascension", "whit_monday"),
    [
        (2005, date(2005, 5, 5), date(2005, 5, 16)),  # Easter 27 March
        (2006, date(2006, 5, 25), date(2006, 6, 5)),  # Easter 16 April
        (2007, date(2007, 5, 17), date(2007, 5, 28)),  # Easter 8 April
        (2008, date(2008, 5, 1), date(2008, 5, 12)),  # Easter 23 March: Ascension on 1 May
        (2024, date(2024, 5, 9), date(2024, 5, 20)),  # Easter 31 March
        (2025, date(2025, 5, 29), date(2025, 6, 9)),  # Easter 20 April
        (2026, date(2026, 5, 14), date(2026, 5, 25)),  # Easter 5 April
        (2027, date(2027, 5, 6), date(2027, 5, 17)),  # Easter 28 March
    ],
)
def test_ascension_and_whit_monday_follow_easter(year, ascension, whit_monday):
    assert NATIONAL.holiday_name(ascension) is not None
    assert "Ascension" in NATIONAL.holiday_name(ascension)
    assert NATIONAL.holiday_name(whit_monday) == "Lundi de Pentecôte"


def test_whit_monday_stays_a_holiday_while_it_was_the_journee_de_solidarite():
    # Loi 2004-626 made it a worked day by default in 2005-2007, not a non-holiday.
    for year in (2005, 2006, 2007):
        assert NATIONAL.is_holiday(easter_sunday(year) + timedelta(days=50))


@pytest.mark.parametrize("year", range(1990, 2061))
def test_each_year_has_exactly_the_legal_list(year):
    # No overseas holiday, no school holiday, nothing missing.
    assert in_year(NATIONAL, year) == legal_holidays(year)
    easter = easter_sunday(year)
    assert in_year(ALSACE_MOSELLE, year) == legal_holidays(year) | {
        easter - timedelta(days=2),
        date(year, 12, 26),
    }


def test_holiday_name_is_none_on_an_ordinary_day():
    assert NATIONAL.holiday_name(date(2026, 6, 2)) is None
    assert NATIONAL.holiday_name(date(2026, 7, 14)) == "Fête nationale"


def test_holidays_between_includes_both_ends():
    assert NATIONAL.holidays_between(date(2026, 5, 1), date(2026, 5, 8)) == [
        (date(2026, 5, 1), "Fête du Travail"),
        (date(2026, 5, 8), "Fête de la Victoire"),
    ]
    assert NATIONAL.holidays_between(date(2026, 12, 25), date(2027, 1, 1)) == [
        (date(2026, 12, 25), "Noël"),
        (date(2027, 1, 1), "Jour de l'an"),
    ]
    assert NATIONAL.holidays_between(date(2026, 6, 1), date(2026, 6, 30)) == []


@pytest.mark.parametrize(
    ("day", "ouvre", "ouvrable", "calendaire"),
    [
        (date(2026, 6, 5), True, True, True),  # Friday
        (date(2026, 6, 6), False, True, True),  # Saturday: ouvrable, not ouvré
        (date(2026, 6, 7), False, False, True),  # Sunday
        (date(2026, 5, 14), False, False, True),  # Thursday, Ascension
        (date(2026, 8, 15), False, False, True),  # Saturday, Assomption
    ],
)
def test_kinds_of_day(day, ouvre, ouvrable, calendaire):
    assert NATIONAL.is_working_day(day) is ouvre
    assert NATIONAL.is_working_day(day, "ouvre") is ouvre
    assert NATIONAL.is_working_day(day, "ouvrable") is ouvrable
    assert NATIONAL.is_working_day(day, "calendaire") is calendaire


@pytest.mark.parametrize(
    ("start", "n", "kind", "expected"),
    [
        # Friday 5 June + 1 jour ouvré: Saturday 6 and Sunday 7 skipped -> Monday 8.
        (date(2026, 6, 5), 1, "ouvre", date(2026, 6, 8)),
        # ... + 1 jour ouvrable: Saturday 6 counts.
        (date(2026, 6, 5), 1, "ouvrable", date(2026, 6, 6)),
        # Wednesday 13 May + 1: Thursday 14 is Ascension -> Friday 15.
        (date(2026, 5, 13), 1, "ouvre", date(2026, 5, 15)),
        # Wednesday 13 May + 2: 15 (1), weekend skipped, Monday 18 (2).
        (date(2026, 5, 13), 2, "ouvre", date(2026, 5, 18)),
        # Friday 22 May + 1: weekend, then Monday 25 is Whit Monday -> Tuesday 26.
        (date(2026, 5, 22), 1, "ouvre", date(2026, 5, 26)),
        # ... in jours ouvrables: Saturday 23 (1), Sunday and Whit Monday skipped, Tuesday 26 (2).
        (date(2026, 5, 22), 2, "ouvrable", date(2026, 5, 26)),
        # Calendar days skip nothing.
        (date(2026, 5, 22), 3, "calendaire", date(2026, 5, 25)),
        # n = 0 is the start itself, even on a Sunday.
        (date(2026, 6, 7), 0, "ouvre", date(2026, 6, 7)),
    ],
)
def test_add_working_days(start, n, kind, expected):
    assert NATIONAL.add_working_days(start, n, kind) == expected


def test_next_working_day():
    assert NATIONAL.next_working_day(date(2026, 6, 3)) == date(2026, 6, 3)
    # Saturday 23 May -> Sunday -> Whit Monday -> Tuesday 26.
    assert NATIONAL.next_working_day(date(2026, 5, 23)) == date(2026, 5, 26)
    assert NATIONAL.next_working_day(date(2026, 5, 23), "ouvrable") == date(2026, 5, 23)
    assert NATIONAL.next_working_day(date(2026, 5, 24), "calendaire") == date(2026, 5, 24)


@given(start=dates, n=counts, kind=kinds)
def test_add_working_days_counts_exactly_n_days_after_start(start, n, kind):
    result = NATIONAL.add_working_days(start, n, kind)
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(NATIONAL.is_working_day(d, kind) for d in days) == n
    if n:
        assert NATIONAL.is_working_day(result, kind)


@given(start=dates, n=counts, kind=kinds)
def test_add_working_days_is_monotone_and_later_in_alsace_moselle(start, n, kind):
    assert NATIONAL.add_working_days(start, n, kind) <= NATIONAL.add_working_days(
        start, n + 1, kind
    )
    # More holidays can only push the day later.
    assert NATIONAL.add_working_days(start, n, kind) <= ALSACE_MOSELLE.add_working_days(
        start, n, kind
    )


@given(day=dates, kind=kinds)
def test_next_working_day_is_the_first_working_day_from_day(day, kind):
    result = NATIONAL.next_working_day(day, kind)
    assert NATIONAL.is_working_day(result, kind)
    assert all(
        not NATIONAL.is_working_day(day + timedelta(days=i), kind)
        for i in range((result - day).days)
    )


@pytest.mark.parametrize("region", ["Guadeloupe", "57", "Alsace", "alsace-moselle", ""])
def test_unknown_region_is_refused(region):
    with pytest.raises(RuleError, match="region") as caught:
        FrenchCalendar(region)
    assert isinstance(caught.value, ValueError)
    assert "L3133-1" in str(caught.value)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind") as caught:
        NATIONAL.add_working_days(date(2026, 6, 1), 1, "ouvrés")
    assert isinstance(caught.value, RuleError)
    assert "ouvrable" in str(caught.value)
    with pytest.raises(RuleError, match="kind"):
        NATIONAL.is_working_day(date(2026, 6, 1), "business")


@pytest.mark.parametrize("n", [-1, True, 1.0, "3", None])
def test_n_must_be_a_natural_int(n):
    with pytest.raises(RuleError, match=r"^n: "):
        NATIONAL.add_working_days(date(2026, 6, 1), n)


def test_datetime_passed_as_date_is_refused():
    moment = datetime(2026, 6, 1, 12, 0)
    with pytest.raises(RuleError, match=r"^start: expected a date, got datetime"):
        NATIONAL.add_working_days(moment, 1)
    with pytest.raises(RuleError, match=r"^d: "):
        NATIONAL.is_holiday(moment)
    with pytest.raises(RuleError, match=r"^d: "):
        NATIONAL.is_working_day("2026-06-01")


def test_holidays_between_refuses_a_reversed_range():
    with pytest.raises(RuleError, match=r"^b: "):
        NATIONAL.holidays_between(date(2026, 6, 2), date(2026, 6, 1))


def test_a_count_running_past_year_9999_is_refused():
    with pytest.raises(RuleError, match=r"^n: "):
        NATIONAL.add_working_days(date(9999, 12, 20), 30)
