"""Legal rate table, late interest, contractual late rate and recovery indemnity.

Worked examples are computed by hand from the law and the seed 002 clauses; the arithmetic is
in the comments.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.errors import MissingRateError, RuleError
from clausier.rules.interest import (
    B2B_PENALTY_FLOOR_MULTIPLIER,
    RECOVERY_INDEMNITY,
    LegalRatePeriod,
    LegalRateTable,
    b2b_penalty_floor,
    contractual_late_rate,
    late_interest,
    legal_rate,
    legal_rate_explained,
    recovery_indemnity,
)

# --- legal rate table --------------------------------------------------------------------

# SPEC.md section 5, typed again by hand: (period, professionnel %, particulier %).
PUBLISHED_RATES = [
    ("2012", "0.71", "0.71"),
    ("2013", "0.04", "0.04"),
    ("2014", "0.04", "0.04"),
    ("2015 S1", "0.93", "4.06"),
    ("2015 S2", "0.99", "4.29"),
    ("2016 S1", "1.01", "4.54"),
    ("2016 S2", "0.93", "4.35"),
    ("2017 S1", "0.90", "4.16"),
    ("2017 S2", "0.90", "3.94"),
    ("2018 S1", "0.89", "3.73"),
    ("2018 S2", "0.88", "3.60"),
    ("2019 S1", "0.86", "3.40"),
    ("2019 S2", "0.87", "3.26"),
    ("2020 S1", "0.87", "3.15"),
    ("2020 S2", "0.84", "3.11"),
    ("2021 S1", "0.79", "3.14"),
    ("2021 S2", "0.76", "3.12"),
    ("2022 S1", "0.76", "3.13"),
    ("2022 S2", "0.77", "3.15"),
    ("2023 S1", "2.06", "4.47"),
    ("2023 S2", "4.22", "6.82"),
    ("2024 S1", "5.07", "8.01"),
    ("2024 S2", "4.92", "8.16"),
    ("2025 S1", "3.71", "7.21"),
    ("2025 S2", "2.76", "6.65"),
    ("2026 S1", "2.62", "6.67"),
]


def test_packaged_table_holds_every_published_rate_with_a_source():
    periods = LegalRateTable.default().periods
    assert [(p.label, p.professionnel * 100, p.particulier * 100) for p in periods] == [
        (label, D(pro), D(par)) for label, pro, par in PUBLISHED_RATES
    ]
    assert periods[0].start == date(2012, 1, 1)
    assert periods[-1].end == date(2026, 6, 30)
    assert all("L313-2" in p.source for p in periods)


def test_legal_rate_2026_s1_is_exact_decimal_fraction():
    rate = legal_rate(on=date(2026, 3, 1))
    assert rate == D("0.0262")
    assert str(rate) == "0.0262"  # 2.62 % read from the CSV string, no float on the way


def test_legal_rate_particulier_column():
    assert legal_rate(on=date(2015, 7, 1), creditor="particulier") == D("0.0429")
    assert legal_rate(on=date(2015, 7, 1), creditor="professionnel") == D("0.0099")


@given(st.dates(min_value=date(2013, 1, 1), max_value=date(2013, 12, 31)))
def test_legal_rate_2013_is_one_rate_for_the_whole_year_and_both_creditors(day):
    assert legal_rate(on=day) == D("0.0004")
    assert legal_rate(on=day, creditor="particulier") == D("0.0004")


def test_legal_rate_last_day_of_2012():
    assert legal_rate(on=date(2012, 12, 31)) == D("0.0071")


def test_legal_rate_changes_on_the_first_day_of_the_semester():
    assert legal_rate(on=date(2025, 6, 30)) == D("0.0371")
    assert legal_rate(on=date(2025, 7, 1)) == D("0.0276")
    assert legal_rate(on=date(2025, 6, 30), creditor="particulier") == D("0.0721")
    assert legal_rate(on=date(2025, 7, 1), creditor="particulier") == D("0.0665")


def test_unpublished_semester_raises_missing_rate_naming_it():
    with pytest.raises(MissingRateError) as caught:
        legal_rate(on=date(2026, 7, 1))
    message = str(caught.value)
    assert "2026 S2" in message
    assert "staff must enter" in message
    assert caught.value.argument == "on"
    assert isinstance(caught.value, RuleError)
    assert isinstance(caught.value, ValueError)


def test_date_before_the_table_raises_missing_rate():
    with pytest.raises(MissingRateError, match="2011"):
        legal_rate(on=date(2011, 12, 31))


def test_unknown_creditor_is_refused():
    with pytest.raises(RuleError, match="creditor"):
        legal_rate(on=date(2026, 3, 1), creditor="consommateur")


@pytest.mark.parametrize("on", [datetime(2026, 3, 1, 12, 0), "2026-03-01", None])
def test_legal_rate_needs_a_date(on):
    with pytest.raises(RuleError, match="on"):
        legal_rate(on=on)


def test_legal_rate_explained_cites_period_and_source():
    explained = legal_rate_explained(on=date(2026, 3, 1), creditor="particulier")
    assert explained.value == D("0.0667")
    assert explained.rule == "legal_rate"
    assert explained.law == "C. mon. fin. L313-2"
    assert explained.inputs == {"on": date(2026, 3, 1), "creditor": "particulier"}
    labels = " | ".join(str(step.label) for step in explained.steps)
    assert "2026 S1" in labels
    assert "6,67\u202f%" in labels
    assert "Journal officiel" in labels


def _semester(year, half, pro, par, source="saisie par l'équipe"):
    start, end = (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )
    return LegalRatePeriod.from_percent(
        start=start, end=end, professionnel=pro, particulier=par, source=source
    )


def test_table_built_from_staff_rows_extends_the_packaged_one():
    staff_entered = _semester(2026, 2, "2.50", "6.50", "Arrêté publié au JO, saisi le 2026-06-20")
    table = LegalRateTable([*LegalRateTable.default().periods, staff_entered])
    assert legal_rate(on=date(2026, 7, 1), table=table) == D("0.0250")
    assert legal_rate(on=date(2026, 6, 30), table=table) == D("0.0262")


def test_table_rows_may_come_in_any_order():
    table = LegalRateTable([_semester(2024, 2, "4.92", "8.16"), _semester(2024, 1, "5.07", "8.01")])
    assert [p.label for p in table.periods] == ["2024 S1", "2024 S2"]


def test_table_with_a_gap_is_refused():
    with pytest.raises(RuleError, match="gap between 2024 S1 and 2025 S1"):
        LegalRateTable([_semester(2024, 1, "5.07", "8.01"), _semester(2025, 1, "3.71", "7.21")])


def test_table_with_overlapping_periods_is_refused():
    overlapping = LegalRatePeriod.from_percent(
        start=date(2024, 6, 1),
        end=date(2024, 12, 31),
        professionnel="4.92",
        particulier="8.16",
        source="x",
    )
    with pytest.raises(RuleError, match="overlaps"):
        LegalRateTable([_semester(2024, 1, "5.07", "8.01"), overlapping])


def test_period_ending_before_it_starts_is_refused():
    with pytest.raises(RuleError, match="end"):
        LegalRatePeriod(
            start=date(2024, 7, 1),
            end=date(2024, 6, 30),
            professionnel=D("0.01"),
            particulier=D("0.01"),
            source="x",
        )


def test_period_without_source_is_refused():
    with pytest.raises(RuleError, match="source"):
        _semester(2024, 1, "5.07", "8.01", source=" ")


def test_csv_with_a_bad_row_is_refused_with_its_line_number():
    text = (
        "start,end,professionnel,particulier,source\n"
        "2024-01-01,2024-06-30,5.07,8.01,Arrêté\n"
        "2024-07-01,2024-12-31,-4.92,8.16,Arrêté\n"
    )
    with pytest.raises(RuleError, match="line 3"):
        LegalRateTable.from_csv(text)


def test_empty_table_has_no_rate():
    with pytest.raises(MissingRateError, match="2026 S1"):
        legal_rate(on=date(2026, 3, 1), table=LegalRateTable([]))


# --- contractual rate and B2B floor ------------------------------------------------------


def test_contractual_late_rate_is_three_times_legal_rate_on_invoice_date():
    # Seed 002 art. 6: 3 × 2.62 % (2026 S1, professionnel column) = 7.86 %.
    explained = contractual_late_rate(multiplier=D("3"), invoice_date=date(2026, 5, 15))
    assert explained.value == D("0.0786")
    assert explained.inputs == {"multiplier": D("3"), "invoice_date": date(2026, 5, 15)}
    labels = " | ".join(str(step.label) for step in explained.steps)
    assert "professionnel" in labels
    assert "consommateur" in labels  # the seller's column applies even to a consumer client
    assert "3 × 2,62\u202f% = 7,86\u202f%" in labels
    assert "L441-10" in explained.law


def test_contractual_late_rate_uses_the_semester_of_the_invoice():
    # Invoice of 14 Nov 2016 (date of the seed terms): 2016 S2 = 0.93 %, × 3 = 2.79 %.
    assert contractual_late_rate(multiplier=D(3), invoice_date=date(2016, 11, 14)).value == D(
        "0.0279"
    )


def test_contractual_late_rate_without_published_rate_names_the_invoice_date():
    with pytest.raises(MissingRateError) as caught:
        contractual_late_rate(multiplier=D(3), invoice_date=date(2026, 7, 1))
    assert caught.value.argument == "invoice_date"
    assert "2026 S2" in str(caught.value)


def test_contractual_late_rate_refuses_a_negative_multiplier():
    with pytest.raises(RuleError, match="multiplier"):
        contractual_late_rate(multiplier=D(-3), invoice_date=date(2026, 5, 15))


def test_b2b_penalty_floor_is_three_times_the_legal_rate():
    assert B2B_PENALTY_FLOOR_MULTIPLIER.value == D(3)
    assert b2b_penalty_floor(on=date(2026, 3, 1)).value == D("0.0786")  # 3 × 2.62 %
    assert b2b_penalty_floor(on=date(2013, 6, 1)).value == D("0.0012")  # 3 × 0.04 %
    assert "L441-10" in b2b_penalty_floor(on=date(2026, 3, 1)).law


# --- late interest -----------------------------------------------------------------------

DUE = date(2026, 6, 12)
RATE = D("0.0786")  # 3 × 2.62 %


def test_late_interest_worked_example_one_month_late():
    # 1 000,00 € HT due 12 Jun 2026, paid 12 Jul 2026: days 13 Jun .. 12 Jul = 18 + 12 = 30.
    # 30 × 1000 × 0.0786 / 365 = 2358 / 365 = 6.46027... -> 6.46
    explained = late_interest(
        principal=D("1000.00"), due=DUE, until=date(2026, 7, 12), annual_rate=RATE
    )
    assert explained.value == D("6.46")
    assert explained.rule == "late_interest"
    assert explained.law == "C. com. L441-10"
    assert explained.inputs == {
        "principal": D("1000.00"),
        "due": DUE,
        "until": date(2026, 7, 12),
        "annual_rate": RATE,
        "payments": [],
    }
    assert explained.steps[-1].value == D("6.46")
    assert "6,46" in str(explained.steps[-1].label)


def test_late_interest_on_the_balance_after_a_partial_payment():
    # 400 paid on 22 Jun: 22 Jun still bears interest on 1 000, the balance is 600 from 23 Jun.
    # 13..22 Jun: 10 days × 1000 × 0.0786 / 365 = 786 / 365   = 2.15342...
    # 23 Jun..12 Jul: 20 days × 600 × 0.0786 / 365 = 943.2 / 365 = 2.58410...
    # total (786 + 943.2) / 365 = 1729.2 / 365 = 4.73753... -> 4.74
    explained = late_interest(
        principal=D("1000.00"),
        due=DUE,
        until=date(2026, 7, 12),
        annual_rate=RATE,
        payments=[(date(2026, 6, 22), D("400.00"))],
    )
    assert explained.value == D("4.74")
    periods = [str(step.label) for step in explained.steps if str(step.label).startswith("du ")]
    assert [label.split(" = ")[0] for label in periods] == [
        "du 13/06/2026 au 22/06/2026 : 10 j × 1\u202f000,00\u00a0€ × 7,86\u202f% / 365",
        "du 23/06/2026 au 12/07/2026 : 20 j × 600,00\u00a0€ × 7,86\u202f% / 365",
    ]
    assert periods[0].endswith("= 2,1534…")
    assert "arrondi au centime" in str(explained.steps[-1].label)


def test_late_interest_is_zero_when_paid_on_time():
    paid_on_due_day = late_interest(principal=D("1000"), due=DUE, until=DUE, annual_rate=RATE)
    assert paid_on_due_day.value == D("0.00")
    early = late_interest(principal=D("1000"), due=DUE, until=date(2026, 6, 1), annual_rate=RATE)
    assert early.value == D("0.00")


def test_payment_on_the_due_day_reduces_the_principal():
    # 400 paid on the due day: interest runs on 600 from 13 Jun to 12 Jul (30 days).
    # 30 × 600 × 0.0786 / 365 = 1414.8 / 365 = 3.87616... -> 3.88
    explained = late_interest(
        principal=D("1000.00"),
        due=DUE,
        until=date(2026, 7, 12),
        annual_rate=RATE,
        payments=[(DUE, D("400.00"))],
    )
    assert explained.value == D("3.88")
    assert any("principal ramené à 600,00" in str(step.label) for step in explained.steps)


def test_payment_larger_than_the_balance_stops_interest():
    # 1 500 paid on 22 Jun for 1 000 owed: interest for 13..22 Jun only, balance floored at 0.
    # 10 × 1000 × 0.0786 / 365 = 2.15342... -> 2.15
    explained = late_interest(
        principal=D("1000.00"),
        due=DUE,
        until=date(2026, 12, 31),
        annual_rate=RATE,
        payments=[(date(2026, 6, 22), D("1500.00"))],
    )
    assert explained.value == D("2.15")


def test_payments_after_until_do_not_count_and_order_does_not_matter():
    # 300 on 17 Jun and 300 on 27 Jun, given out of order; 500 on 1 Aug is after `until`.
    # 13..17 Jun:  5 d × 1000 = 5000;  18..27 Jun: 10 d × 700 = 7000;
    # 28 Jun..12 Jul: 15 d × 400 = 6000;  Σ = 18000 -> 18000 × 0.0786 / 365 = 3.87616... -> 3.88
    explained = late_interest(
        principal=D("1000.00"),
        due=DUE,
        until=date(2026, 7, 12),
        annual_rate=RATE,
        payments=[
            (date(2026, 8, 1), D("500")),
            (date(2026, 6, 27), D("300")),
            (date(2026, 6, 17), D("300")),
        ],
    )
    assert explained.value == D("3.88")


def test_two_payments_on_the_same_day():
    # 200 + 200 on 22 Jun: same as one payment of 400 -> 4.74 (see the partial-payment example).
    explained = late_interest(
        principal=D("1000.00"),
        due=DUE,
        until=date(2026, 7, 12),
        annual_rate=RATE,
        payments=[(date(2026, 6, 22), D("200")), (date(2026, 6, 22), D("200"))],
    )
    assert explained.value == D("4.74")


def test_day_count_is_365_even_in_a_leap_year():
    # Due 28 Feb 2024, until 1 Mar 2024: days 29 Feb and 1 Mar = 2.
    # 36 500 × 0.10 × 2 / 365 = 20.00 exactly (a 366-day year would give 19.95...).
    explained = late_interest(
        principal=D("36500"), due=date(2024, 2, 28), until=date(2024, 3, 1), annual_rate=D("0.10")
    )
    assert explained.value == D("20.00")


def test_rounding_happens_once_at_the_end_half_up():
    # Rate 3.65 %: 1 € owes 0.0001 € a day. Day 1 on 30 € = 0.003, day 2 on 20 € = 0.002.
    # Rounded per period: 0.00 + 0.00 = 0.00; summed exactly: 0.005 -> half up -> 0.01.
    explained = late_interest(
        principal=D("30"),
        due=DUE,
        until=DUE + timedelta(days=2),
        annual_rate=D("0.0365"),
        payments=[(DUE + timedelta(days=1), D("10"))],
    )
    assert explained.value == D("0.01")


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"principal": 1000.0}, "principal"),
        ({"principal": D("-1")}, "principal"),
        ({"principal": "1000"}, "principal"),
        ({"annual_rate": D("-0.01")}, "annual_rate"),
        ({"annual_rate": 0.0786}, "annual_rate"),
        ({"due": "2026-06-12"}, "due"),
        ({"until": datetime(2026, 7, 12, 9, 30)}, "until"),
        ({"payments": [(date(2026, 6, 22), D("-400"))]}, "payments[0]"),
        ({"payments": [(date(2026, 6, 22), 400.0)]}, "payments[0]"),
        ({"payments": [(date(2026, 6, 22), D("1")), ("2026-06-23", D("1"))]}, "payments[1]"),
        ({"payments": [date(2026, 6, 22)]}, "payments[0]"),
        ({"payments": "400"}, "payments"),
    ],
)
def test_late_interest_bad_input_names_the_argument(arguments, named):
    valid = {
        "principal": D("1000"),
        "due": DUE,
        "until": date(2026, 7, 12),
        "annual_rate": RATE,
    }
    with pytest.raises(RuleError) as caught:
        late_interest(**(valid | arguments))
    assert named in str(caught.value)
    assert caught.value.argument == named


# --- late interest: properties -----------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2)
rates = st.decimals(min_value=0, max_value=D("0.5"), places=4)
due_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
payment_lists = st.lists(st.tuples(st.integers(min_value=-30, max_value=400), amounts), max_size=5)


def _payments(due, offsets):
    return [(due + timedelta(days=offset), amount) for offset, amount in offsets]


@given(amounts, due_dates, st.integers(0, 800), st.integers(0, 800), rates, payment_lists)
def test_interest_never_decreases_when_until_moves_later(principal, due, a, b, rate, offsets):
    first, second = sorted((a, b))
    common = {"principal": principal, "due": due, "annual_rate": rate}
    payments = _payments(due, offsets)
    earlier = late_interest(**common, until=due + timedelta(days=first), payments=payments)
    later = late_interest(**common, until=due + timedelta(days=second), payments=payments)
    assert earlier.value <= later.value


@given(amounts, due_dates, st.integers(0, 800), rates, rates, payment_lists)
def test_interest_never_decreases_when_the_rate_rises(principal, due, days, r1, r2, offsets):
    low, high = sorted((r1, r2))
    common = {
        "principal": principal,
        "due": due,
        "until": due + timedelta(days=days),
        "payments": _payments(due, offsets),
    }
    assert late_interest(**common, annual_rate=low).value <= (
        late_interest(**common, annual_rate=high).value
    )


@given(amounts, due_dates, st.integers(0, 800), rates, payment_lists)
def test_interest_is_zero_until_the_due_date(principal, due, days_before, rate, offsets):
    explained = late_interest(
        principal=principal,
        due=due,
        until=due - timedelta(days=days_before),
        annual_rate=rate,
        payments=_payments(due, offsets),
    )
    assert explained.value == 0


@given(amounts, due_dates, st.integers(0, 800), rates, st.integers(0, 60))
def test_interest_is_zero_when_paid_in_full_by_the_due_date(principal, due, days, rate, days_early):
    explained = late_interest(
        principal=principal,
        due=due,
        until=due + timedelta(days=days),
        annual_rate=rate,
        payments=[(due - timedelta(days=days_early), principal)],
    )
    assert explained.value == 0


@given(
    amounts, due_dates, st.integers(0, 800), rates, payment_lists, st.integers(-30, 400), amounts
)
def test_adding_a_payment_never_increases_interest(
    principal, due, days, rate, offsets, extra_offset, extra_amount
):
    common = {"principal": principal, "due": due, "until": due + timedelta(days=days)}
    payments = _payments(due, offsets)
    without = late_interest(**common, annual_rate=rate, payments=payments)
    extra = (due + timedelta(days=extra_offset), extra_amount)
    with_extra = late_interest(**common, annual_rate=rate, payments=[*payments, extra])
    assert with_extra.value <= without.value


@given(amounts, due_dates, st.integers(0, 800), rates)
def test_interest_without_payments_is_principal_rate_days_over_365(principal, due, days, rate):
    explained = late_interest(
        principal=principal, due=due, until=due + timedelta(days=days), annual_rate=rate
    )
    expected = (principal * rate * days / 365).quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert explained.value == expected


# --- recovery indemnity ------------------------------------------------------------------


def test_recovery_indemnity_is_40_eur_for_a_professional_client():
    explained = recovery_indemnity(client_is_professional=True)
    assert explained.value == D("40.00")
    assert explained.value == RECOVERY_INDEMNITY.value
    assert "D441-5" in explained.law
    assert any("TVA" in str(step.label) for step in explained.steps)


def test_recovery_indemnity_is_zero_for_a_consumer_and_says_why():
    explained = recovery_indemnity(client_is_professional=False)
    assert explained.value == D("0.00")
    assert "consommateur" in str(explained.steps[0].label)
    assert "professionnel" in str(explained.steps[0].label)


@pytest.mark.parametrize("value", [1, "yes", None])
def test_recovery_indemnity_needs_a_boolean(value):
    with pytest.raises(RuleError, match="client_is_professional"):
        recovery_indemnity(client_is_professional=value)


def test_a_missing_semester_names_itself_for_the_screens_that_word_it():
    # Computing an interest amount over a semester not in the table waits for its rate: the
    # error says which semester, and carries it for a message in the page's language.
    with pytest.raises(MissingRateError) as caught:
        contractual_late_rate(multiplier=D(3), invoice_date=date(2027, 2, 1))
    assert (caught.value.period, caught.value.on) == ("2027 S1", date(2027, 2, 1))
    assert str(caught.value).startswith("invoice_date: no legal interest rate for 2027 S1")
