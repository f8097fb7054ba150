"""GTI/GTR deadlines from a support clause, their pauses and warnings, and the penalty of a
breached service level."""

import json
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.errors import RuleError
from clausier.rules.hours import BusinessHours
from clausier.rules.sla import (
    SEED_PENALTY_RATES,
    SEED_POLICY,
    deadlines,
    elapsed_share,
    penalty,
)

PARIS = ZoneInfo("Europe/Paris")
HOURS = BusinessHours.weekdays()  # Monday-Friday 9:00-18:00 Paris, French holidays closed
SEED = SEED_POLICY.value
BUSINESS = {**SEED, "clock": "business"}
RATES = SEED_PENALTY_RATES.value


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def due(opened_at, severity="standard", policy=SEED, pauses=()):
    found = deadlines(
        opened_at=opened_at, severity=severity, policy=policy, hours=HOURS, pauses=pauses
    )
    return {k: v.astimezone(PARIS) for k, v in found.value.items()}


def labels(explained):
    return [str(step.label) for step in explained.steps]


# --- the seed's clocks (continuous, art. 10) ---------------------------------------------------


def test_the_seed_policy_is_the_clause_numbers():
    assert SEED["clock"] == "continuous"
    assert SEED["standard"]["intervention"] == {"in_hours": 120, "out_of_hours": 180}
    assert SEED["standard"]["repair"] == {"in_hours": 240, "out_of_hours": 240}
    assert SEED["critical"]["intervention"]["in_hours"] == 30
    assert SEED["critical"]["repair"]["out_of_hours"] == 60
    assert "10.1.2" in SEED_POLICY.source
    assert dict(RATES) == {"standard": Decimal("0.50"), "critical": Decimal("0.75")}
    assert SEED_PENALTY_RATES.source == "CGV 000 art. 10.1.4"


def test_a_standard_ticket_at_17_45_on_the_friday_before_whit_monday():
    # Fri 22/05/2026 17:45 is within 9:00-18:00: GTI 2 h -> 19:45, GTR 4 h -> 21:45, the same
    # evening (continuous clock: on-call covers the night and the holiday Mon 25/05).
    found = deadlines(
        opened_at=paris(2026, 5, 22, 17, 45), severity="standard", policy=SEED, hours=HOURS
    )

    assert found.value == {
        "intervention": datetime(2026, 5, 22, 17, 45, tzinfo=UTC),  # 19:45 CEST
        "repair": datetime(2026, 5, 22, 19, 45, tzinfo=UTC),  # 21:45 CEST
    }
    assert labels(found) == [
        "ticket ouvert",
        "gravité standard, ouvert pendant les heures ouvrées",
        "délais comptés en temps écoulé, jour et nuit (astreinte)",
        "intervention (GTI) : 120 minutes",
        "réparation (GTR) : 240 minutes",
    ]
    assert json.loads(json.dumps(found.as_dict()))["value"]["repair"] == "2026-05-22T19:45:00+00:00"


def test_18_00_is_outside_business_hours_so_the_gti_is_three_hours():
    # Fri 22/05/2026 18:00: the window closes at 18:00 -> out of hours: GTI 3 h -> 21:00.
    assert due(paris(2026, 5, 22, 18, 0)) == {
        "intervention": paris(2026, 5, 22, 21, 0),
        "repair": paris(2026, 5, 22, 22, 0),
    }
    # Mon 25/05/2026 10:00 is Whit Monday, closed: out of hours too.
    assert due(paris(2026, 5, 25, 10, 0))["intervention"] == paris(2026, 5, 25, 13, 0)
    # Sat 23/05/2026 08:59: out of hours.
    assert due(paris(2026, 5, 23, 8, 59))["intervention"] == paris(2026, 5, 23, 11, 59)
    # Tue 26/05/2026 9:00 opens the window: in hours.
    assert due(paris(2026, 5, 26, 9, 0))["intervention"] == paris(2026, 5, 26, 11, 0)


def test_a_critical_ticket_runs_thirty_minutes_and_one_hour():
    assert due(paris(2026, 12, 24, 23, 50), "critical") == {
        "intervention": paris(2026, 12, 25, 0, 20),
        "repair": paris(2026, 12, 25, 0, 50),
    }


def test_continuous_clocks_count_real_time_over_both_dst_changes():
    # Sun 29/03/2026 01:30 CET (00:30 UTC); 3 h later is 03:30 UTC = 05:30 CEST: the wall
    # clock jumps from 02:00 to 03:00, so it shows 4 hours.
    spring = due(paris(2026, 3, 29, 1, 30))
    assert spring["intervention"] == datetime(2026, 3, 29, 3, 30, tzinfo=UTC)
    assert spring["intervention"].hour == 5
    # Sun 25/10/2026 01:30 CEST (23:30 UTC on the 24th); 3 h later is 02:30 UTC = 03:30 CET:
    # the wall clock goes back from 03:00 to 02:00, so it shows 2 hours.
    autumn = due(paris(2026, 10, 25, 1, 30))
    assert autumn["intervention"] == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    assert autumn["intervention"].hour == 3


# --- business clocks -----------------------------------------------------------------------------


def test_a_business_clock_at_17_45_on_the_friday_before_whit_monday():
    # 15 minutes on Fri 22/05 (17:45-18:00), Sat, Sun and Whit Monday 25/05 closed, then from
    # Tue 26/05 9:00: GTI 120 - 15 = 105 min -> 10:45; GTR 240 - 15 = 225 min -> 12:45.
    assert due(paris(2026, 5, 22, 17, 45), policy=BUSINESS) == {
        "intervention": paris(2026, 5, 26, 10, 45),
        "repair": paris(2026, 5, 26, 12, 45),
    }


def test_a_business_clock_over_the_spring_dst_weekend():
    # Fri 27/03/2026 17:00 CET: 60 min that day, then Mon 30/03 9:00 CEST + 60 min = 10:00
    # CEST (08:00 UTC), although the night lost an hour.
    found = deadlines(
        opened_at=paris(2026, 3, 27, 17, 0), severity="standard", policy=BUSINESS, hours=HOURS
    )
    assert found.value["intervention"] == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert "délais comptés en heures ouvrées" in labels(found)


def test_a_business_clock_over_the_autumn_dst_weekend():
    # Fri 23/10/2026 17:30 CEST: 30 min, then Mon 26/10 9:00 CET + 210 min = 12:30 CET for
    # the GTR (240), 10:30 CET for the GTI (120).
    assert due(paris(2026, 10, 23, 17, 30), policy=BUSINESS) == {
        "intervention": paris(2026, 10, 26, 10, 30),
        "repair": paris(2026, 10, 26, 12, 30),
    }


# --- pauses --------------------------------------------------------------------------------------


def test_a_pause_moves_both_deadlines_by_its_length():
    # Mon 08/06/2026 10:00, waiting for the client 10:30-11:00: GTI 12:00 + 30 = 12:30,
    # GTR 14:00 + 30 = 14:30.
    found = deadlines(
        opened_at=paris(2026, 6, 8, 10, 0),
        severity="standard",
        policy=SEED,
        hours=HOURS,
        pauses=[(paris(2026, 6, 8, 10, 30), paris(2026, 6, 8, 11, 0))],
    )
    assert {k: v.astimezone(PARIS) for k, v in found.value.items()} == {
        "intervention": paris(2026, 6, 8, 12, 30),
        "repair": paris(2026, 6, 8, 14, 30),
    }
    assert "pause du 08/06/2026 à 10:30 au 08/06/2026 à 11:00 : horloge arrêtée" in labels(found)


def test_a_pause_after_a_deadline_only_moves_the_later_one():
    # GTI due 12:00; a pause 12:00-13:00 starts when it is reached: GTI stays 12:00, the GTR
    # (14:00) moves by one hour to 15:00.
    assert due(
        paris(2026, 6, 8, 10, 0), pauses=[(paris(2026, 6, 8, 12, 0), paris(2026, 6, 8, 13, 0))]
    ) == {"intervention": paris(2026, 6, 8, 12, 0), "repair": paris(2026, 6, 8, 15, 0)}


def test_overlapping_pauses_count_once_and_a_pause_before_the_opening_is_cut():
    # Pauses 09:00-10:20 (cut to 10:00-10:20) and 10:10-10:40: stopped 10:00-10:40, 40 min.
    assert due(
        paris(2026, 6, 8, 10, 0),
        pauses=[
            (paris(2026, 6, 8, 10, 10), paris(2026, 6, 8, 10, 40)),
            (paris(2026, 6, 8, 9, 0), paris(2026, 6, 8, 10, 20)),
        ],
    )["intervention"] == paris(2026, 6, 8, 12, 40)


def test_a_business_clock_pause_counts_only_its_business_time():
    # Mon 08/06/2026 17:00, business clock, GTI 120: paused Mon 17:30 -> Tue 09:30. 30 min run
    # before the pause, 90 left from Tue 09:30 -> 11:00 (the pause took 60 business minutes:
    # 17:30-18:00 and 9:00-9:30; without it the GTI was Tue 10:00).
    assert due(paris(2026, 6, 8, 17, 0), policy=BUSINESS)["intervention"] == paris(
        2026, 6, 9, 10, 0
    )
    assert due(
        paris(2026, 6, 8, 17, 0),
        policy=BUSINESS,
        pauses=[(paris(2026, 6, 8, 17, 30), paris(2026, 6, 9, 9, 30))],
    )["intervention"] == paris(2026, 6, 9, 11, 0)


# --- elapsed share and warnings -------------------------------------------------------------


def share_at(at, **extra):
    return elapsed_share(
        opened_at=paris(2026, 6, 8, 10, 0),
        at=at,
        severity="standard",
        target="intervention",
        policy=SEED,
        hours=HOURS,
        **extra,
    )


def test_warnings_at_half_four_fifths_and_the_whole_time():
    # GTI 120 min from 10:00: 59 min = 49.2 % (none), 60 = 50 %, 96 = 80 %, 120 = 100 %.
    assert share_at(paris(2026, 6, 8, 10, 59)).value["warning"] == 0
    assert share_at(paris(2026, 6, 8, 11, 0)).value == {"share": Decimal("0.5"), "warning": 50}
    assert share_at(paris(2026, 6, 8, 11, 36)).value == {"share": Decimal("0.8"), "warning": 80}
    at_due = share_at(paris(2026, 6, 8, 12, 0))
    assert at_due.value == {"share": Decimal("1"), "warning": 100}
    assert "alerte à 100 %" in labels(at_due)
    assert share_at(paris(2026, 6, 8, 13, 0)).value["share"] == Decimal("1.5")
    assert share_at(paris(2026, 6, 8, 9, 0)).value == {"share": Decimal("0"), "warning": 0}


def test_a_pause_holds_the_share():
    # Paused 10:30-11:00: at 11:00 only 30 of 120 minutes have run.
    found = share_at(
        paris(2026, 6, 8, 11, 0), pauses=[(paris(2026, 6, 8, 10, 30), paris(2026, 6, 8, 11, 0))]
    )
    assert found.value == {"share": Decimal("0.25"), "warning": 0}
    assert "dont en pause (non compté)" in labels(found)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"opened_at": datetime(2026, 6, 8, 10, 0)}, "opened_at"),
        ({"severity": "urgent"}, "severity"),
        ({"policy": {**SEED, "clock": "weekly"}}, "policy"),
        (
            {
                "policy": {
                    **SEED,
                    "standard": {**SEED["standard"], "repair": {"in_hours": -1, "out_of_hours": 1}},
                }
            },
            "policy",
        ),
        ({"hours": None}, "hours"),
        ({"pauses": [(paris(2026, 6, 8, 11, 0), paris(2026, 6, 8, 10, 0))]}, "pauses"),
        ({"pauses": [(paris(2026, 6, 8, 11, 0),)]}, "pauses"),
    ],
)
def test_bad_input_names_its_argument(kwargs, argument):
    arguments = {
        "opened_at": paris(2026, 6, 8, 10, 0),
        "severity": "standard",
        "policy": SEED,
        "hours": HOURS,
    } | kwargs
    with pytest.raises(RuleError) as error:
        deadlines(**arguments)
    assert error.value.argument == argument


# --- properties ----------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
severities = st.sampled_from(["standard", "critical"])


@given(opened=instants, severity=severities)
def test_continuous_deadlines_are_the_opening_plus_the_minutes_exactly(opened, severity):
    column = "in_hours" if HOURS.is_open(opened) else "out_of_hours"
    found = deadlines(opened_at=opened, severity=severity, policy=SEED, hours=HOURS).value

    for target in ("intervention", "repair"):
        assert found[target] == opened + timedelta(minutes=SEED[severity][target][column])
        assert found[target].tzinfo is UTC


@given(opened=instants, severity=severities)
def test_business_deadlines_fall_within_business_hours(opened, severity):
    column = "in_hours" if HOURS.is_open(opened) else "out_of_hours"
    found = deadlines(opened_at=opened, severity=severity, policy=BUSINESS, hours=HOURS).value

    for target in ("intervention", "repair"):
        minutes = BUSINESS[severity][target][column]
        # The last second before the deadline was business time, and exactly the minutes ran.
        assert HOURS.is_open(found[target] - timedelta(seconds=1))
        assert HOURS.elapsed(opened, found[target]) == timedelta(minutes=minutes)


@given(
    opened=instants,
    clock=st.sampled_from(["continuous", "business"]),
    pause_offsets=st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 3000)), max_size=3),
)
def test_pauses_never_bring_a_deadline_forward_and_the_share_is_whole_at_the_deadline(
    opened, clock, pause_offsets
):
    policy = {**SEED, "clock": clock}
    pauses = [
        (opened + timedelta(minutes=start), opened + timedelta(minutes=start + length))
        for start, length in pause_offsets
    ]
    plain = deadlines(opened_at=opened, severity="standard", policy=policy, hours=HOURS).value
    paused = deadlines(
        opened_at=opened, severity="standard", policy=policy, hours=HOURS, pauses=pauses
    ).value

    for target in ("intervention", "repair"):
        assert paused[target] >= plain[target]
        share = elapsed_share(
            opened_at=opened,
            at=paused[target],
            severity="standard",
            target=target,
            policy=policy,
            hours=HOURS,
            pauses=pauses,
        ).value
        assert share == {"share": Decimal(1), "warning": 100}


# --- penalties -----------------------------------------------------------------------------------


def test_a_standard_penalty_is_half_the_mean_consumption():
    # (300 + 450 + 600) / 3 = 450.00; 50 % -> 225.00.
    found = penalty(
        severity="standard",
        monthly_consumption_ht=[Decimal("300"), Decimal("450"), Decimal("600")],
        rates=RATES,
    )
    assert found.value == Decimal("225.00")
    assert labels(found) == [
        "taux standard",
        "3 mois, total 1\u202f350,00\xa0€",
        "moyenne : 1\u202f350,00\xa0€ / 3 = 450",
        "50\u202f% × 450 = 225",
        "arrondi au centime, au demi supérieur : 225,00\xa0€",
    ]


def test_a_critical_penalty_is_three_quarters_of_the_mean_rounded_once():
    # (100 + 200 + 150.01) / 3 = 150.0033…; × 0.75 = 112.5025 -> 112.50.
    assert penalty(
        severity="critical",
        monthly_consumption_ht=[Decimal("100"), Decimal("200"), Decimal("150.01")],
        rates=RATES,
    ).value == Decimal("112.50")
    # (0.01 + 0.02 + 0.02) / 3 = 0.01666…; × 0.75 = 0.0125 -> 0.01. Rounding the mean first
    # (0.02 × 0.75 = 0.015 -> 0.02) would credit one cent too many.
    assert penalty(
        severity="critical",
        monthly_consumption_ht=[Decimal("0.01"), Decimal("0.02"), Decimal("0.02")],
        rates=RATES,
    ).value == Decimal("0.01")


def test_half_a_cent_rounds_up():
    # 0.01 × 50 % = 0.005 -> 0.01 (half-even would give 0.00).
    assert penalty(
        severity="standard", monthly_consumption_ht=[Decimal("0.01")], rates=RATES
    ).value == Decimal("0.01")


def test_no_month_gives_no_penalty_and_says_why():
    found = penalty(severity="critical", monthly_consumption_ht=[], rates=RATES)

    assert found.value == Decimal("0.00")
    assert labels(found)[-1] == "aucun mois de consommation : pas de base, pénalité nulle"


def test_a_cap_limits_the_penalty():
    # (1000 × 3) / 3 × 75 % = 750.00, capped at 500.00.
    found = penalty(
        severity="critical",
        monthly_consumption_ht=[Decimal("1000")] * 3,
        rates=RATES,
        cap=Decimal("500"),
    )
    assert found.value == Decimal("500.00")
    assert labels(found)[-1] == "plafond de la clause : 500,00\xa0€"
    assert penalty(
        severity="critical",
        monthly_consumption_ht=[Decimal("100")],
        rates=RATES,
        cap=Decimal("500"),
    ).value == Decimal("75.00")


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"severity": "minor"}, "severity"),
        ({"rates": {"standard": Decimal("0.5")}}, "rates"),
        ({"rates": {"critical": Decimal("1.5")}}, "rates"),
        ({"monthly_consumption_ht": [Decimal("-1")]}, "monthly_consumption_ht"),
        ({"monthly_consumption_ht": "100"}, "monthly_consumption_ht"),
        ({"cap": Decimal("-1")}, "cap"),
    ],
)
def test_bad_penalty_input_names_its_argument(kwargs, argument):
    arguments = {
        "severity": "critical",
        "monthly_consumption_ht": [Decimal("10")],
        "rates": RATES,
    } | kwargs
    with pytest.raises(RuleError) as error:
        penalty(**arguments)
    assert error.value.argument == argument


@given(
    severity=severities,
    months=st.lists(
        st.decimals(min_value=0, max_value=1000000, places=2, allow_nan=False), max_size=12
    ),
)
def test_the_penalty_is_the_rate_of_the_mean_rounded_once(severity, months):
    found = penalty(severity=severity, monthly_consumption_ht=months, rates=RATES).value

    if not months:
        assert found == 0
        return
    exact = RATES[severity] * sum(months) / len(months)
    assert found == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert 0 <= found <= max(months)


def test_the_clock_explanation_reads_in_english_from_the_catalogue():
    from django.utils import translation

    from clausier.kernel.wording import worded

    found = deadlines(
        opened_at=paris(2026, 5, 22, 17, 45), severity="critical", policy=SEED, hours=HOURS
    )
    with translation.override("en"):
        said = [worded(step.label) for step in found.steps]

    assert said[1] == "critical severity, opened within business hours"
    assert said[3] == "response (guaranteed response time): 30 minutes"


def test_only_a_business_clock_cites_law_the_holidays_it_skips():
    opened = paris(2026, 5, 22, 17, 45)
    continuous = deadlines(opened_at=opened, severity="standard", policy=SEED, hours=HOURS)
    business = deadlines(opened_at=opened, severity="standard", policy=BUSINESS, hours=HOURS)

    assert continuous.law == ""
    assert business.law == "C. trav. L3133-1"
    assert continuous.citing(clause="sla.level", terms="1.1").clause == "sla.level"


def test_named_months_are_each_shown_in_the_explanation():
    # (120.00 + 80.00 + 100.00) / 3 = 100.00; 75 % -> 75.00.
    found = penalty(
        severity="critical",
        monthly_consumption_ht={
            "2026-03": Decimal("120.00"),
            "2026-04": Decimal("80.00"),
            "2026-05": Decimal("100.00"),
        },
        rates=RATES,
    )
    assert found.value == Decimal("75.00")
    assert labels(found)[1:4] == [
        "consommation HT de 2026-03",
        "consommation HT de 2026-04",
        "consommation HT de 2026-05",
    ]
    assert found.as_dict()["inputs"]["monthly_consumption_ht"] == {
        "2026-03": "120.00",
        "2026-04": "80.00",
        "2026-05": "100.00",
    }
