"""deadline(): periods counted as CPC 640-642 counts them."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import UNITS, deadline, unit_label
from clausier.rules.errors import RuleError

NATIONAL = FrenchCalendar()
ALSACE_MOSELLE = FrenchCalendar("Alsace-Moselle")
# Load the holidays package's data now, before Hypothesis times any example.
NATIONAL.is_holiday(date(2026, 1, 1))

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
units = st.sampled_from(UNITS)


def counts_for(unit: str) -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=36 if unit == "mois" else 200)


def is_business_day(d: date, calendar: FrenchCalendar = NATIONAL) -> bool:
    """Neither a Saturday, a Sunday nor a jour férié: where CPC 642 lets a period end."""
    return d.weekday() < 5 and not calendar.is_holiday(d)


def labels(explained) -> list[str]:
    return [str(step.label) for step in explained.steps]


def test_seven_jours_francs_from_a_monday_end_on_the_tuesday_after_next():
    # Monday 1 June: not counted. 2 + ... + 8 June are the 7 days; 8 June does not count
    # either (jours francs), so the act may still be done on Tuesday 9 June.
    result = deadline(start=date(2026, 6, 1), n=7, unit="jours_francs", calendar=NATIONAL)
    assert result.value == date(2026, 6, 9)
    assert result.rule == "deadline"
    assert result.law == "CPC art. 640-642"
    assert result.inputs == {
        "start": date(2026, 6, 1),
        "n": 7,
        "unit": "jours_francs",
        "region": None,
    }
    assert (labels(result)[0], result.steps[0].value) == (
        "jour de départ non compté",
        date(2026, 6, 1),
    )
    assert ("dernier jour brut : 08/06/2026 + 1 (jours francs)", date(2026, 6, 9)) in [
        (str(step.label), step.value) for step in result.steps
    ]


def test_jours_francs_ending_on_a_saturday_are_carried_to_monday():
    # Wednesday 3 June + 9 = Friday 12 June, + 1 (jours francs) = Saturday 13 June,
    # carried over Sunday 14 to Monday 15 June.
    result = deadline(start=date(2026, 6, 3), n=9, unit="jours_francs", calendar=NATIONAL)
    assert result.value == date(2026, 6, 15)
    assert "report : samedi 13/06/2026 -> lundi 15/06/2026 (CPC 642)" in labels(result)
    assert result.law == "CPC art. 640-642"


def test_jours_calendaires_ending_on_bastille_day_are_carried_to_the_next_day():
    # Saturday 4 July + 10 = Tuesday 14 July (Fête nationale) -> Wednesday 15 July.
    result = deadline(start=date(2026, 7, 4), n=10, unit="jours_calendaires", calendar=NATIONAL)
    assert result.value == date(2026, 7, 15)
    assert labels(result) == [
        "jour de départ non compté",
        "dernier jour brut : 04/07/2026 + 10 jours calendaires",
        "jour férié sauté : 14/07/2026 Fête nationale",
        "report : mardi 14/07/2026 -> mercredi 15/07/2026 (CPC 642)",
        "dernier jour pour agir, jusqu'à 24 h",
    ]
    assert result.law == "CPC art. 640-642; C. trav. L3133-1"


def test_a_carry_over_skips_a_weekend_and_the_holiday_after_it():
    # Friday 22 May + 1 = Saturday 23 May; Sunday 24, Whit Monday 25 -> Tuesday 26 May.
    result = deadline(start=date(2026, 5, 22), n=1, unit="jours_calendaires", calendar=NATIONAL)
    assert result.value == date(2026, 5, 26)
    assert "jour férié sauté : 25/05/2026 Lundi de Pentecôte" in labels(result)
    assert "report : samedi 23/05/2026 -> mardi 26/05/2026 (CPC 642)" in labels(result)


def test_fourteen_jours_ouvres_from_an_invoice_skip_whit_monday():
    # Invoice of Wednesday 20 May 2026 (not counted):
    #  1 Thu 21, 2 Fri 22, (Sat 23, Sun 24, Whit Monday 25 skipped), 3 Tue 26, 4 Wed 27,
    #  5 Thu 28, 6 Fri 29, 7 Mon 1 June, 8 Tue 2, 9 Wed 3, 10 Thu 4, 11 Fri 5,
    #  12 Mon 8, 13 Tue 9, 14 Wed 10 June.
    result = deadline(start=date(2026, 5, 20), n=14, unit="jours_ouvres", calendar=NATIONAL)
    assert result.value == date(2026, 6, 10)
    assert labels(result) == [
        "jour de départ non compté",
        "jour férié sauté : 25/05/2026 Lundi de Pentecôte",
        "dernier jour brut : 20/05/2026 + 14 jours ouvrés",
        "dernier jour pour agir, jusqu'à 24 h",
    ]
    assert result.law == "CPC art. 640-642; C. trav. L3133-1"


def test_jours_ouvres_do_not_list_a_holiday_that_falls_on_a_weekend():
    # Friday 14 August + 2 jours ouvrés: Saturday 15 (Assomption) would not count anyway;
    # Monday 17 (1), Tuesday 18 (2).
    result = deadline(start=date(2026, 8, 14), n=2, unit="jours_ouvres", calendar=NATIONAL)
    assert result.value == date(2026, 8, 18)
    assert not any("férié" in label for label in labels(result))
    assert result.law == "CPC art. 640-642"


def test_jours_ouvrables_count_saturdays_but_a_period_ending_on_one_is_carried():
    # Thursday 4 June + 2 jours ouvrables: Friday 5 (1), Saturday 6 (2); CPC 642 carries a
    # period ending on a Saturday to Monday 8 June.
    result = deadline(start=date(2026, 6, 4), n=2, unit="jours_ouvrables", calendar=NATIONAL)
    assert result.value == date(2026, 6, 8)
    assert "report : samedi 06/06/2026 -> lundi 08/06/2026 (CPC 642)" in labels(result)
    # Friday 5 June + 2: Saturday 6 (1), Monday 8 (2): no carry-over.
    result = deadline(start=date(2026, 6, 5), n=2, unit="jours_ouvrables", calendar=NATIONAL)
    assert result.value == date(2026, 6, 8)
    assert not any(label.startswith("report") for label in labels(result))


def test_one_month_from_31_january_ends_on_the_last_day_of_february_then_carried():
    # 2026 is not a leap year: no 31 February, so 28 February (Saturday) -> Monday 2 March.
    result = deadline(start=date(2026, 1, 31), n=1, unit="mois", calendar=NATIONAL)
    assert result.value == date(2026, 3, 2)
    assert labels(result)[1] == (
        "dernier jour brut : 31/01/2026 + 1 mois "
        "(pas de 31 ce mois-là : dernier jour du mois, CPC 641)"
    )
    assert result.steps[1].value == date(2026, 2, 28)
    assert "report : samedi 28/02/2026 -> lundi 02/03/2026 (CPC 642)" in labels(result)


def test_one_month_from_31_january_of_a_leap_year_ends_on_29_february():
    # 29 February 2024 is a Thursday: nothing to carry.
    result = deadline(start=date(2024, 1, 31), n=1, unit="mois", calendar=NATIONAL)
    assert result.value == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 16), 2, date(2026, 5, 18)),  # Saturday 16 May -> Monday 18 May
        (date(2025, 11, 30), 3, date(2026, 3, 2)),  # 28 Feb 2026 (Saturday) -> Monday 2 March
        (date(2026, 6, 10), 12, date(2027, 6, 10)),  # Thursday 10 June 2027
        (date(2026, 6, 10), 0, date(2026, 6, 10)),  # 0 mois: the day itself, a Wednesday
    ],
)
def test_months_run_to_the_same_day_number(start, n, expected):
    assert deadline(start=start, n=n, unit="mois", calendar=NATIONAL).value == expected


def test_consumer_withdrawal_of_fourteen_days_ending_on_8_may_runs_to_monday():
    # C. conso. L221-18: contract concluded Friday 24 April 2026; + 14 = Friday 8 May
    # (Victoire 1945) -> Saturday, Sunday -> Monday 11 May.
    result = deadline(start=date(2026, 4, 24), n=14, unit="jours_calendaires", calendar=NATIONAL)
    assert result.value == date(2026, 5, 11)
    # Concluded Wednesday 3 June: + 14 = Wednesday 17 June, an ordinary day.
    result = deadline(start=date(2026, 6, 3), n=14, unit="jours_calendaires", calendar=NATIONAL)
    assert result.value == date(2026, 6, 17)


def test_good_friday_carries_a_period_only_in_alsace_moselle():
    # Tuesday 24 March + 10 = Friday 3 April 2026 (Good Friday).
    national = deadline(start=date(2026, 3, 24), n=10, unit="jours_calendaires", calendar=NATIONAL)
    assert national.value == date(2026, 4, 3)
    # Alsace-Moselle: Good Friday, Saturday, Sunday, Easter Monday 6 April -> Tuesday 7 April.
    local = deadline(
        start=date(2026, 3, 24), n=10, unit="jours_calendaires", calendar=ALSACE_MOSELLE
    )
    assert local.value == date(2026, 4, 7)
    assert local.inputs["region"] == "Alsace-Moselle"
    assert local.law == "CPC art. 640-642; C. trav. L3133-1, L3134-13"


def test_a_zero_day_period_ending_on_a_sunday_is_carried():
    # The period ends on the starting day itself, Sunday 7 June -> Monday 8 June.
    result = deadline(start=date(2026, 6, 7), n=0, unit="jours_ouvres", calendar=NATIONAL)
    assert result.value == date(2026, 6, 8)


def test_explanation_is_json_ready():
    result = deadline(start=date(2026, 6, 1), n=7, unit="jours_francs", calendar=NATIONAL)
    plain = result.as_dict()
    assert plain["value"] == "2026-06-09"
    assert plain["inputs"]["start"] == "2026-06-01"
    # Each step keeps its French label and the sentence to word it in another language.
    assert plain["steps"][0]["label"] == "jour de départ non compté"
    assert plain["steps"][0]["words"] == {"message": "jour de départ non compté", "params": {}}


@pytest.mark.parametrize(
    ("n", "unit", "expected"),
    [
        (14, "jours_ouvres", "14 jours ouvrés"),
        (1, "jours_ouvres", "1 jour ouvré"),
        (0, "jours_ouvres", "0 jour ouvré"),
        (7, "jours_francs", "7 jours francs"),
        (1, "jours_francs", "1 jour franc"),
        (30, "jours_calendaires", "30 jours calendaires"),
        (2, "jours_ouvrables", "2 jours ouvrables"),
        (1, "mois", "1 mois"),
        (2, "mois", "2 mois"),
    ],
)
def test_unit_label(n, unit, expected):
    assert unit_label(n, unit) == expected


@given(start=dates, n=st.integers(min_value=1, max_value=200))
def test_jours_ouvres_end_on_a_jour_ouvre_after_the_start(start, n):
    result = deadline(start=start, n=n, unit="jours_ouvres", calendar=NATIONAL).value
    assert NATIONAL.is_working_day(result, "ouvre")
    assert result > start


@given(data=st.data(), start=dates, unit=units)
def test_no_period_ends_on_a_saturday_sunday_or_holiday(data, start, unit):
    n = data.draw(counts_for(unit))
    assert is_business_day(deadline(start=start, n=n, unit=unit, calendar=NATIONAL).value)
    local = deadline(start=start, n=n, unit=unit, calendar=ALSACE_MOSELLE).value
    assert is_business_day(local, ALSACE_MOSELLE)


@given(data=st.data(), start=dates, unit=units)
def test_deadlines_are_monotone_in_n(data, start, unit):
    n = data.draw(counts_for(unit))
    shorter = deadline(start=start, n=n, unit=unit, calendar=NATIONAL).value
    longer = deadline(start=start, n=n + 1, unit=unit, calendar=NATIONAL).value
    assert start <= shorter <= longer


@given(data=st.data(), start=dates, unit=units)
def test_more_holidays_never_shorten_a_period(data, start, unit):
    n = data.draw(counts_for(unit))
    national = deadline(start=start, n=n, unit=unit, calendar=NATIONAL).value
    assert national <= deadline(start=start, n=n, unit=unit, calendar=ALSACE_MOSELLE).value


@given(start=dates, n=st.integers(min_value=0, max_value=200))
def test_day_periods_end_no_earlier_than_their_raw_last_day(start, n):
    calendaires = deadline(start=start, n=n, unit="jours_calendaires", calendar=NATIONAL)
    francs = deadline(start=start, n=n, unit="jours_francs", calendar=NATIONAL)
    assert (calendaires.value - start).days >= n
    assert (francs.value - start).days >= n + 1
    # The carry-over never passes a business day.
    assert NATIONAL.next_working_day(calendaires.steps[1].value) == calendaires.value


@pytest.mark.parametrize("n", [-1, True, 2.0, "7", None])
def test_n_must_be_a_natural_int(n):
    with pytest.raises(RuleError, match=r"^n: ") as caught:
        deadline(start=date(2026, 6, 1), n=n, unit="jours_francs", calendar=NATIONAL)
    assert isinstance(caught.value, ValueError)
    assert "CPC art. 640-642" in str(caught.value)


def test_unknown_unit_is_refused_with_the_allowed_units():
    with pytest.raises(RuleError, match=r"^unit: unknown unit 'jours'") as caught:
        deadline(start=date(2026, 6, 1), n=7, unit="jours", calendar=NATIONAL)
    for unit in UNITS:
        assert unit in str(caught.value)
    with pytest.raises(RuleError, match=r"^unit: "):
        unit_label(1, "semaines")


def test_start_must_be_a_date_not_a_datetime():
    with pytest.raises(RuleError, match=r"^start: expected a date, got datetime"):
        deadline(start=datetime(2026, 6, 1, 9, 0), n=7, unit="jours_francs", calendar=NATIONAL)
    with pytest.raises(RuleError, match=r"^start: "):
        deadline(start="01/06/2026", n=7, unit="jours_francs", calendar=NATIONAL)


def test_calendar_must_be_a_french_calendar():
    with pytest.raises(RuleError, match=r"^calendar: "):
        deadline(start=date(2026, 6, 1), n=7, unit="jours_francs", calendar="Alsace-Moselle")


def test_a_period_running_past_year_9999_is_refused():
    with pytest.raises(RuleError, match=r"^n: "):
        deadline(start=date(9999, 12, 1), n=2, unit="mois", calendar=NATIONAL)
    with pytest.raises(RuleError, match=r"^n: "):
        deadline(start=date(9999, 12, 1), n=40, unit="jours_calendaires", calendar=NATIONAL)


def test_a_step_is_worded_again_in_english_from_its_json():
    from clausier.rules.wording import Language, render, revive

    english = {
        "jour férié sauté : {day} {holiday}": "holiday skipped: {day} {holiday}",
        "Lundi de Pentecôte": "Whit Monday",
    }
    language = Language(
        locale="en",
        gettext=lambda message: english.get(message, message),
        ngettext=lambda singular, plural, count: singular if count == 1 else plural,
        date=lambda day: f"{day:%m/%d/%Y}",
        datetime=lambda moment: f"{moment:%m/%d/%Y %H:%M}",
    )
    result = deadline(start=date(2026, 5, 15), n=14, unit="jours_ouvres", calendar=NATIONAL)
    holiday = next(s for s in result.as_dict()["steps"] if "férié" in s["label"])
    assert holiday["label"] == "jour férié sauté : 25/05/2026 Lundi de Pentecôte"
    assert render(revive(holiday["words"]), language) == "holiday skipped: 05/25/2026 Whit Monday"
