"""A price revised at term (seed 002 art. 12b, "revu à la hausse"): totals, increases only,
the explanation citing the clause."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.rules.contracts import revised_price
from clausier.rules.errors import RuleError

LAW = "CGV v3.0 art. 12b, maintenance.price_revision"
amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)


def test_the_totals_and_each_line_are_explained():
    counted = revised_price(
        lines=(
            ("Hébergement", Decimal("360"), Decimal("360")),
            ("Forfait de MCO", Decimal("600"), Decimal("840")),
        ),
        law=LAW,
    )
    assert counted.value == (Decimal("960.00"), Decimal("1200.00"))
    assert counted.law == LAW
    text = json.dumps(counted.as_dict(), ensure_ascii=False)
    assert "Forfait de MCO" in text
    assert "caduque" in text


def test_a_lowered_line_is_refused_even_if_another_rises():
    with pytest.raises(RuleError) as error:
        revised_price(
            lines=(("A", Decimal("100"), Decimal("200")), ("B", Decimal("100"), Decimal("90"))),
            law=LAW,
        )
    assert "hausse" in str(error.value)


def test_nothing_raised_is_no_revision():
    with pytest.raises(RuleError):
        revised_price(lines=(("A", Decimal("100"), Decimal("100")),), law=LAW)
    with pytest.raises(RuleError):
        revised_price(lines=(), law=LAW)


@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=6))
def test_the_new_total_is_the_current_plus_every_increase(pairs):
    lines = tuple(
        (f"ligne {i}", current, current + rise) for i, (current, rise) in enumerate(pairs)
    )
    if not any(rise for _current, rise in pairs):
        with pytest.raises(RuleError):
            revised_price(lines=lines, law=LAW)
        return
    current_total, new_total = revised_price(lines=lines, law=LAW).value
    assert current_total == sum((c for c, _r in pairs), Decimal(0))
    assert new_total - current_total == sum((r for _c, r in pairs), Decimal(0))
    assert new_total > current_total
