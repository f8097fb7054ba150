"""The liability cap (seed 002 art. 10): the clause's ratio of the HT actually paid, rounded
once down to the cent: "n'excédant pas la moitié"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.contracts import LIABILITY_CAP_ROUNDING, liability_cap
from clausier.rules.errors import RuleError

DAY = date(2026, 7, 1)
paid = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2)
ratios = st.fractions(min_value=0, max_value=1, max_denominator=100)


def test_half_of_what_was_paid():
    cap = liability_cap(paid_ht=Decimal("1200.00"), ratio=Fraction(1, 2), claim_date=DAY)
    assert cap.value == Decimal("600.00")
    assert cap.inputs["rounding"] == LIABILITY_CAP_ROUNDING
    assert str(cap.steps[-1].label) == "arrondi au centime inférieur : 600,00\xa0€"


def test_rounded_once_down_never_above_the_share():
    assert liability_cap(
        paid_ht=Decimal("0.01"), ratio=Fraction(1, 2), claim_date=DAY
    ).value == Decimal("0.00")
    assert liability_cap(
        paid_ht=Decimal("100.01"), ratio=Fraction(1, 2), claim_date=DAY
    ).value == Decimal("50.00")
    assert liability_cap(
        paid_ht=Decimal("1000.00"), ratio=Fraction(1, 3), claim_date=DAY
    ).value == Decimal("333.33")


def test_nothing_paid_nothing_owed():
    assert liability_cap(paid_ht=Decimal("0"), ratio=Decimal("0.5"), claim_date=DAY).value == 0


@pytest.mark.parametrize("ratio", [Decimal("1.5"), Decimal("-0.1"), Fraction(3, 2)])
def test_a_ratio_is_a_fraction_of_one(ratio):
    with pytest.raises(RuleError):
        liability_cap(paid_ht=Decimal("10"), ratio=ratio, claim_date=DAY)


def test_a_negative_payment_is_refused():
    with pytest.raises(RuleError):
        liability_cap(paid_ht=Decimal("-1"), ratio=Fraction(1, 2), claim_date=DAY)


@given(paid, ratios)
def test_never_above_paid_times_ratio_and_less_than_a_cent_below(amount, ratio):
    cap = liability_cap(paid_ht=amount, ratio=ratio, claim_date=DAY).value
    exact = amount * Decimal(ratio.numerator) / Decimal(ratio.denominator)
    assert exact - Decimal("0.01") < cap <= exact
    assert 0 <= cap <= amount
    assert cap == cap.quantize(Decimal("0.01"))


@given(paid, paid, ratios)
def test_monotone_in_what_was_paid(a, b, ratio):
    low, high = sorted((a, b))
    assert (
        liability_cap(paid_ht=low, ratio=ratio, claim_date=DAY).value
        <= liability_cap(paid_ht=high, ratio=ratio, claim_date=DAY).value
    )
