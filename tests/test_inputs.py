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


def test_a_date_in_the_window_passes_and_none_too():
    from datetime import date

    from clausier.kernel.inputs import check_date_window, date_window

    first, last = date_window(today=date(2026, 6, 1))
    assert (first, last) == (date(2000, 1, 1), date(2036, 6, 1))
    check_date_window(date(2026, 6, 1), "paid_on")
    check_date_window(None, "paid_on")


@pytest.mark.parametrize(
    "typed",
    ["9999-12-31", "1899-12-31", "1999-12-31", "9999-12-31T23:00:00-05:00", "1900-01-01T00:00Z"],
)
def test_a_date_outside_the_window_is_refused_naming_the_field(typed):
    from datetime import date, datetime

    from django.core.exceptions import ValidationError

    from clausier.kernel.inputs import check_date_window

    value = datetime.fromisoformat(typed) if "T" in typed else date.fromisoformat(typed)
    with pytest.raises(ValidationError) as refused:
        check_date_window(value, "valid_until")
    assert list(refused.value.message_dict) == ["valid_until"]
