"""A contract's notice deadline, Chatel window, breach and force majeure clocks, and the
pro rata share of a prepaid period not yet served."""

import json
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.contracts import (
    CHATEL_EARLIEST_MONTHS,
    CHATEL_LATEST_MONTHS,
    SEED_BREACH_CURE_DAYS,
    SEED_FORCE_MAJEURE_NOTIFY_DAYS,
    SEED_FORCE_MAJEURE_TERMINATION_DAYS,
    SEED_NOTICE_MONTHS,
    breach_end,
    chatel_in_time,
    chatel_window,
    force_majeure_notice_deadline,
    force_majeure_termination_from,
    insolvency_termination_from,
    notice_deadline,
    unused_share,
)
from clausier.rules.deadlines import deadline
from clausier.rules.errors import RuleError
from clausier.rules.wording import render

NATIONAL = FrenchCalendar()
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


def labels(explained):
    return [str(step.label) for step in explained.steps]


# --- notice deadline ---------------------------------------------------------------------------


def test_one_month_before_a_term_on_the_30th():
    # Term ends Thu 30/07/2026; 30/07 - 1 month = Tue 30/06/2026, a working day: no advice.
    found = notice_deadline(term_end=date(2026, 7, 30), months=1, calendar=NATIONAL)

    assert found.value == date(2026, 6, 30)
    assert found.rule == "notice_deadline"
    assert "17-11.312" in found.law
    assert labels(found) == [
        "dernier jour de la période en cours",
        "30/07/2026 - 1 mois",
        "dernier jour de réception du préavis",
    ]
    assert SEED_NOTICE_MONTHS.value == 1
    assert SEED_NOTICE_MONTHS.source == "CGV 002 art. 7"


def test_a_term_on_the_31st_falls_back_to_the_shorter_month_end():
    # 31/05/2026 - 1 month: April has no 31st -> Thu 30/04/2026.
    assert notice_deadline(term_end=date(2026, 5, 31), months=1, calendar=NATIONAL).value == date(
        2026, 4, 30
    )
    # 31/12/2026 - 3 months: September has no 31st -> Wed 30/09/2026.
    three = notice_deadline(term_end=date(2026, 12, 31), months=3, calendar=NATIONAL)
    assert three.value == date(2026, 9, 30)
    assert "pas de 31 ce mois-là" in labels(three)[1]


def test_february_in_a_leap_year_and_in_a_common_year():
    # 31/03/2024 - 1 month = Thu 29/02/2024 (2024 is a leap year), a working day.
    leap = notice_deadline(term_end=date(2024, 3, 31), months=1, calendar=NATIONAL)
    assert leap.value == date(2024, 2, 29)
    assert len(leap.steps) == 3
    # 31/03/2026 - 1 month = Sat 28/02/2026: kept, with the advice to send for Fri 27/02.
    common = notice_deadline(term_end=date(2026, 3, 31), months=1, calendar=NATIONAL)
    assert common.value == date(2026, 2, 28)
    assert common.steps[3].value == date(2026, 2, 27)
    assert "vendredi 27/02/2026" in labels(common)[3]


def test_a_deadline_on_a_sunday_is_not_carried_to_the_monday():
    # Term Tue 14/07/2026 - 1 month = Sun 14/06/2026. CPC 642 would carry a period to act to
    # Mon 15/06; a notice period stays on the Sunday (Cass. 3e civ., 8 mars 2018), and the
    # explanation advises a receipt by Fri 12/06/2026.
    found = notice_deadline(term_end=date(2026, 7, 14), months=1, calendar=NATIONAL)

    assert found.value == date(2026, 6, 14)
    assert deadline(start=date(2026, 5, 14), n=1, unit="mois", calendar=NATIONAL).value == date(
        2026, 6, 15
    )  # what CPC 642 would have given for a period to act
    assert labels(found)[2] == (
        "dimanche 14/06/2026 n'est pas un jour ouvré : le préavis n'est pas reporté au jour "
        "ouvrable suivant (CPC 642 inapplicable, Cass. 3e civ., 8 mars 2018, n° 17-11.312)"
    )
    assert labels(found)[3] == (
        "recommandé : envoyer pour une réception au plus tard le vendredi 12/06/2026, "
        "jour ouvré précédent"
    )
    assert found.steps[-1].value == date(2026, 6, 14)


def test_a_deadline_on_a_holiday_names_it_and_the_working_day_before_the_weekend():
    # Term Wed 06/05/2026 - 1 month = Mon 06/04/2026, Easter Monday (Easter: Sun 05/04/2026).
    # The previous working day is Fri 03/04/2026 (Sat 04 and Sun 05 are not).
    found = notice_deadline(term_end=date(2026, 5, 6), months=1, calendar=NATIONAL)

    assert found.value == date(2026, 4, 6)
    assert "lundi 06/04/2026, Lundi de Pâques n'est pas un jour ouvré" in labels(found)[2]
    assert found.steps[3].value == date(2026, 4, 3)
    assert "L3133-1" in found.law
    # Labour day, Fri 01/05/2026: send for Thu 30/04/2026.
    may = notice_deadline(term_end=date(2026, 6, 1), months=1, calendar=NATIONAL)
    assert may.value == date(2026, 5, 1)
    assert may.steps[3].value == date(2026, 4, 30)


def test_the_explanation_reads_in_english_through_the_catalogue_words():
    found = notice_deadline(term_end=date(2026, 7, 14), months=1, calendar=NATIONAL)

    data = json.loads(json.dumps(found.as_dict()))
    assert data["value"] == "2026-06-14"
    assert data["steps"][2]["words"]["message"].startswith("{day} n'est pas un jour ouvré")


def test_zero_months_is_the_term_itself_and_bad_input_is_named():
    assert notice_deadline(term_end=date(2026, 7, 30), months=0, calendar=NATIONAL).value == date(
        2026, 7, 30
    )
    with pytest.raises(RuleError) as months:
        notice_deadline(term_end=date(2026, 7, 30), months=-1, calendar=NATIONAL)
    assert months.value.argument == "months"
    with pytest.raises(RuleError) as term:
        notice_deadline(term_end="2026-07-30", months=1, calendar=NATIONAL)
    assert term.value.argument == "term_end"
    with pytest.raises(RuleError) as cal:
        notice_deadline(term_end=date(2026, 7, 30), months=1, calendar=None)
    assert cal.value.argument == "calendar"


@given(term_end=dates, months=st.integers(min_value=0, max_value=24))
def test_the_notice_deadline_is_the_same_day_number_or_a_month_end_never_moved(term_end, months):
    found = notice_deadline(term_end=term_end, months=months, calendar=NATIONAL)
    value = found.value

    assert value <= term_end
    assert (term_end.year * 12 + term_end.month) - (value.year * 12 + value.month) == months
    assert value.day == term_end.day or (
        value.day < term_end.day and value.day == monthrange(value.year, value.month)[1]
    )
    if NATIONAL.is_working_day(value):
        assert len(found.steps) == 3
    else:
        earlier = found.steps[3].value
        assert earlier < value
        assert NATIONAL.is_working_day(earlier)
        between = [earlier + timedelta(days=i) for i in range(1, (value - earlier).days + 1)]
        assert not any(NATIONAL.is_working_day(d) for d in between)


# --- Chatel window -------------------------------------------------------------------------------


def test_the_chatel_window_runs_from_three_months_to_one_month_before_the_deadline():
    # Deadline 30/11/2024: earliest 30/08/2024, latest 30/10/2024.
    window = chatel_window(notice_deadline=date(2024, 11, 30))

    assert window.value == (date(2024, 8, 30), date(2024, 10, 30))
    assert window.law == "C. conso. L215-1"
    assert (CHATEL_EARLIEST_MONTHS.value, CHATEL_LATEST_MONTHS.value) == (3, 1)
    assert labels(window)[-1] == (
        "information du consommateur au plus tôt le 30/08/2024, au plus tard le 30/10/2024 "
        "(C. conso. L215-1)"
    )


def test_the_chatel_window_at_month_ends_and_in_a_leap_year():
    # 31/05/2026: 3 months back, no 31/02 -> 28/02/2026; 1 month back, no 31/04 -> 30/04/2026.
    assert chatel_window(notice_deadline=date(2026, 5, 31)).value == (
        date(2026, 2, 28),
        date(2026, 4, 30),
    )
    # 31/05/2024: February 2024 has 29 days.
    assert chatel_window(notice_deadline=date(2024, 5, 31)).value == (
        date(2024, 2, 29),
        date(2024, 4, 30),
    )


def test_the_chatel_window_is_not_carried_over_weekends():
    # Deadline Sat 28/03/2026: earliest Sun 28/12/2025, latest Sat 28/02/2026, both kept.
    assert chatel_window(notice_deadline=date(2026, 3, 28)).value == (
        date(2025, 12, 28),
        date(2026, 2, 28),
    )


def test_a_chatel_window_needs_a_date():
    with pytest.raises(RuleError) as error:
        chatel_window(notice_deadline=None)
    assert error.value.argument == "notice_deadline"
    assert "L215-1" in str(error.value)


@given(dates)
def test_the_chatel_window_always_opens_before_it_closes_before_the_deadline(deadline_day):
    earliest, latest = chatel_window(notice_deadline=deadline_day).value

    assert earliest < latest < deadline_day
    assert 28 <= (deadline_day - latest).days <= 31
    assert 89 <= (deadline_day - earliest).days <= 92


def test_the_information_sent_inside_the_window_on_either_edge_is_in_time():
    # Deadline 31/05/2026: window 28/02/2026 - 30/04/2026, both days included.
    for sent in (date(2026, 2, 28), date(2026, 3, 15), date(2026, 4, 30)):
        found = chatel_in_time(notice_deadline=date(2026, 5, 31), sent_on=sent)
        assert found.value is True
        assert found.law == "C. conso. L215-1"


def test_information_sent_late_early_or_never_lets_the_consumer_terminate_at_any_time():
    # Sent Fri 01/05/2026, a day after the window closed; or Fri 27/02/2026, a day before it
    # opened; or never: the consumer may terminate free of charge from the renewal date.
    for sent, said in (
        (date(2026, 5, 1), "information envoyée le 01/05/2026, après la fin de la fenêtre"),
        (date(2026, 2, 27), "information envoyée le 27/02/2026, avant l'ouverture de la fenêtre"),
        (None, "information jamais envoyée"),
    ):
        found = chatel_in_time(notice_deadline=date(2026, 5, 31), sent_on=sent)
        assert found.value is False
        assert labels(found)[-2:] == [
            said,
            "le consommateur peut résilier gratuitement à tout moment à compter de la date de "
            "reconduction (C. conso. L215-1 al. 2)",
        ]
        assert found.law.endswith("L215-1 al. 2")


@given(deadline_day=dates, offset=st.integers(min_value=0, max_value=120))
def test_in_time_means_inside_the_window(deadline_day, offset):
    sent = deadline_day - timedelta(days=offset)
    earliest, latest = chatel_window(notice_deadline=deadline_day).value

    found = chatel_in_time(notice_deadline=deadline_day, sent_on=sent).value
    assert found is (earliest <= sent <= latest)


# --- breach, insolvency and force majeure ---------------------------------------------------


def test_breach_ends_ten_working_days_after_the_letter_over_the_armistice():
    # Sent Mon 02/11/2026. Jours ouvrés: 03, 04, 05, 06 (4), 09, 10 (6), 11 Armistice skipped,
    # 12, 13 (8), 16 (9), 17 (10): remedied by Tue 17/11 the contract stays; on day 11
    # (Wed 18/11) it has ended.
    end = breach_end(sent_on=date(2026, 11, 2), calendar=NATIONAL)

    assert end.value == date(2026, 11, 17)
    assert NATIONAL.add_working_days(date(2026, 11, 2), 11) == date(2026, 11, 18)
    assert end.rule == "breach_end"
    assert end.law.startswith("CGV 002 art. 7; CPC art. 640-642")
    assert "jour férié sauté : 11/11/2026 Armistice" in labels(end)
    assert SEED_BREACH_CURE_DAYS.value == 10


def test_breach_over_the_may_holidays():
    # Sent Thu 30/04/2026: 01/05 and 08/05 and 14/05 (Ascension) skipped: 04-07 (4), 11-13 (7),
    # 15 (8), 18 (9), 19 (10) -> Tue 19/05/2026.
    assert breach_end(sent_on=date(2026, 4, 30), calendar=NATIONAL).value == date(2026, 5, 19)


def test_insolvency_ends_the_contract_after_a_month_unanswered():
    # Formal notice received Mon 14/09/2026: the month ends Wed 14/10/2026; unanswered beyond
    # it, the contract ends from Thu 15/10/2026 (C. com. L622-13 III 1°).
    found = insolvency_termination_from(
        formal_notice_received_on=date(2026, 9, 14), calendar=NATIONAL
    )
    assert found.value == date(2026, 10, 15)
    assert found.law.startswith("C. com. L622-13 III 1°")
    assert labels(found)[-1] == (
        "attention : la seule ouverture d'une procédure collective ne résilie pas le contrat ; "
        "toute clause contraire est réputée non écrite (C. com. L622-13 I)"
    )
    # Received Sat 31/01/2026: no 31/02, the month ends Sat 28/02, carried to Mon 02/03
    # (CPC 642): the contract ends from Tue 03/03/2026.
    assert insolvency_termination_from(
        formal_notice_received_on=date(2026, 1, 31), calendar=NATIONAL
    ).value == date(2026, 3, 3)


def test_force_majeure_is_notified_within_five_working_days():
    # Event Fri 22/05/2026; Whit Monday 25/05 skipped: 26, 27, 28, 29 (4), Mon 01/06 (5).
    found = force_majeure_notice_deadline(event_on=date(2026, 5, 22), calendar=NATIONAL)

    assert found.value == date(2026, 6, 1)
    assert found.law.startswith("CGV 002 art. 8")
    assert SEED_FORCE_MAJEURE_NOTIFY_DAYS.value == 5


def test_force_majeure_termination_opens_beyond_fifteen_working_days():
    # Notification received Mon 07/09/2026: 08-11 (4), 14-18 (9), 21-25 (14), Mon 28/09 (15).
    # Still within the period on the 15th jour ouvré; beyond it from Tue 29/09/2026 (the 16th).
    found = force_majeure_termination_from(notice_received_on=date(2026, 9, 7), calendar=NATIONAL)

    assert found.value == date(2026, 9, 29)
    assert found.steps[-2].value == date(2026, 9, 28)
    assert NATIONAL.add_working_days(date(2026, 9, 7), 16) == found.value
    assert found.law == "CGV 002 art. 8"
    assert SEED_FORCE_MAJEURE_TERMINATION_DAYS.value == 15


def test_force_majeure_termination_over_the_may_holidays():
    # Received Thu 30/04/2026: 01/05, 08/05, 14/05, 25/05 skipped. 04-07 (4), 11-13 (7), 15 (8),
    # 18-22 (13), 26 (14), 27 (15): termination possible from Thu 28/05/2026.
    found = force_majeure_termination_from(notice_received_on=date(2026, 4, 30), calendar=NATIONAL)

    assert found.value == date(2026, 5, 28)
    assert sum("jour férié sauté" in label for label in labels(found)) == 4
    assert "L3133-1" in found.law


# --- unused share ------------------------------------------------------------------------------


def test_a_yearly_fee_refunded_for_the_nine_months_left():
    # 1 200,00 € for 01/01/2026-31/12/2026 (365 days), served through 31/03/2026: 275 days left
    # (01/04-31/12). 1200 × 275 / 365 = 904.1095… -> 904.11.
    share = unused_share(
        amount=Decimal("1200.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        last_day_served=date(2026, 3, 31),
    )

    assert share.value == Decimal("904.11")
    assert share.law == "CGV 002 art. 12b"
    assert labels(share) == [
        "période du 01/01/2026 au 31/12/2026 : 365 jours",
        "dernier jour servi",
        "275 jours restants, du 01/04/2026 au 31/12/2026",
        "1\u202f200,00\xa0€ × 275 / 365 jours = 904,1095…",
        "arrondi au centime, au demi supérieur : 904,11\xa0€",
    ]


def test_a_leap_year_counts_366_days():
    # 2024: 366 days; served through Thu 29/02/2024 (day 60): 306 left.
    # 1200 × 306 / 366 = 1003.2786… -> 1003.28.
    assert unused_share(
        amount=Decimal("1200"),
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        last_day_served=date(2024, 2, 29),
    ).value == Decimal("1003.28")


def test_rounded_once_half_up():
    # 1,01 € over 2 days, one left: 0.505 -> 0.51 (half up; half-even would give 0.50).
    assert unused_share(
        amount=Decimal("1.01"),
        period_start=date(2026, 6, 1),
        period_end=date(2026, 6, 2),
        last_day_served=date(2026, 6, 1),
    ).value == Decimal("0.51")


def test_nothing_served_is_everything_and_nothing_left_is_zero():
    whole = unused_share(
        amount=Decimal("99.99"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        last_day_served=date(2025, 12, 31),
    )
    assert whole.value == Decimal("99.99")
    for last in (date(2026, 1, 31), date(2026, 3, 1)):
        none = unused_share(
            amount=Decimal("99.99"),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            last_day_served=last,
        )
        assert none.value == Decimal("0.00")
        assert "rien ne reste à servir" in labels(none)


def test_inverted_periods_and_a_last_day_too_early_are_refused_by_name():
    with pytest.raises(RuleError) as inverted:
        unused_share(
            amount=Decimal("10"),
            period_start=date(2026, 2, 1),
            period_end=date(2026, 1, 31),
            last_day_served=date(2026, 1, 31),
        )
    assert inverted.value.argument == "period_end"
    assert "la période finit le 31/01/2026, avant son début le 01/02/2026" in str(inverted.value)
    with pytest.raises(RuleError) as early:
        unused_share(
            amount=Decimal("10"),
            period_start=date(2026, 2, 1),
            period_end=date(2026, 2, 28),
            last_day_served=date(2026, 1, 30),
        )
    assert early.value.argument == "last_day_served"
    assert "12b" in render(early.value.rule)
    with pytest.raises(RuleError) as negative:
        unused_share(
            amount=Decimal("-1"),
            period_start=date(2026, 2, 1),
            period_end=date(2026, 2, 28),
            last_day_served=date(2026, 2, 1),
        )
    assert negative.value.argument == "amount"


amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False)


@given(
    amount=amounts,
    start=dates,
    length=st.integers(min_value=0, max_value=800),
    a=st.integers(min_value=-1, max_value=820),
    b=st.integers(min_value=-1, max_value=820),
)
def test_the_share_stays_within_the_amount_and_shrinks_as_days_are_served(
    amount, start, length, a, b
):
    end = start + timedelta(days=length)
    first, second = sorted((a, b))

    def share(served):
        return unused_share(
            amount=amount,
            period_start=start,
            period_end=end,
            last_day_served=start + timedelta(days=served),
        ).value

    earlier, later = share(first), share(second)
    assert Decimal(0) <= later <= earlier <= amount
    assert share(-1) == amount
    assert share(length) == 0


def test_the_advice_reads_in_english_from_the_catalogue():
    from django.utils import translation

    from clausier.kernel.wording import worded

    found = notice_deadline(term_end=date(2026, 7, 14), months=1, calendar=NATIONAL)
    with translation.override("en"):
        advice = worded(found.steps[3].label)
        refusal = worded(found.steps[2].label)

    assert advice.startswith("advised: send so that it is received by Friday")
    assert "is not a working day: a notice period is not carried" in refusal
