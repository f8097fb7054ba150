"""Domain names' registration term and syntax (seed 002 art. 11)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.domains import (
    InvalidDomainName,
    normalise_name,
    registration_expiry,
    renewal_due_on,
    term_months,
)
from clausier.rules.errors import RuleError


@pytest.mark.parametrize(
    ("registered_on", "expires_on"),
    [
        (date(2025, 2, 28), date(2026, 2, 28)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_registration_for_a_year_expires_the_same_day_a_year_later(registered_on, expires_on):
    explained = registration_expiry(registered_on=registered_on, term="P1Y")
    assert explained.value == expires_on
    assert explained.law == "CGV 002 art. 11"


@pytest.mark.parametrize(("term", "months"), [("P1Y", 12), ("P2Y", 24), ("P6M", 6), ("P1Y6M", 18)])
def test_a_term_reads_in_months(term, months):
    assert term_months(term) == months


@pytest.mark.parametrize("term", ["", "P", "P0Y", "P365D", "1Y", None])
def test_a_term_not_in_years_or_months_is_refused(term):
    with pytest.raises(RuleError):
        term_months(term)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 10))
def test_an_expiry_is_within_the_years_of_its_term(registered_on, years):
    expires_on = registration_expiry(registered_on=registered_on, term=f"P{years}Y").value
    assert expires_on.month == registered_on.month
    assert registered_on.day - expires_on.day in (0, 1)
    assert expires_on.year == registered_on.year + years


@given(st.dates(), st.integers(0, 365))
def test_the_renewal_day_comes_the_given_days_before_the_expiry(expires_on, days):
    if expires_on - date.min < timedelta(days=days):
        return
    assert expires_on - renewal_due_on(expires_on=expires_on, days_before=days) == timedelta(
        days=days
    )


@given(st.from_regex(r"[a-z][a-z0-9]{0,20}\.[a-z]{2,6}", fullmatch=True))
def test_a_lower_case_ascii_name_is_kept_as_it_is(name):
    assert normalise_name(name) == name
    assert normalise_name(name.upper()) == name


@pytest.mark.parametrize(
    "name", ["", "fr", "-a.fr", "a-.fr", "a..fr", "a b.fr", "a.42", "é" * 70 + ".fr"]
)
def test_what_is_no_domain_name_is_refused(name):
    with pytest.raises(InvalidDomainName):
        normalise_name(name)
