"""Numbers typed by a person or a client program, read exactly."""

from decimal import Decimal

import pytest

from clausier.kernel.inputs import exact_decimal


@pytest.mark.parametrize(
    ("typed", "read"),
    [("119,40", Decimal("119.40")), (" 2 ", Decimal("2")), (3, Decimal("3"))],
)
def test_a_french_comma_a_dot_or_an_integer_is_read_exactly(typed, read):
    assert exact_decimal(typed, what="montant") == read


@pytest.mark.parametrize("typed", [0.1, True, None, "douze", "NaN", "Infinity"])
def test_anything_else_is_refused_naming_what_was_read(typed):
    with pytest.raises(ValueError, match="montant"):
        exact_decimal(typed, what="montant")
