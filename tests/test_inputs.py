"""Numbers typed by a person or a client program, read exactly."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clausier.kernel.addresses import postal_code_error, validate_country, validate_phone
from clausier.kernel.inputs import (
    check_date_window,
    date_window,
    exact_decimal,
    vat_rate_error,
)
from clausier.rules.identifiers import compact_identifier


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


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", [date(9999, 12, 31), date(1, 1, 1), date(1999, 12, 31), date(2100, 1, 1)]
)
def test_a_date_outside_the_plausible_window_is_refused_on_its_field(typed):
    with pytest.raises(ValidationError) as refused:
        check_date_window(typed, "valid_until")
    assert list(refused.value.message_dict) == ["valid_until"]
    assert "date invraisemblable" in refused.value.message_dict["valid_until"][0]


def test_the_window_runs_from_2000_to_ten_years_ahead():
    first, last = date_window()
    today = timezone.localdate()
    assert first == date(2000, 1, 1)
    assert last.year == today.year + 10
    assert check_date_window(first, "d") == first
    assert check_date_window(last, "d") == last
    assert check_date_window(None, "d") is None
    with pytest.raises(ValidationError):
        check_date_window(last + timedelta(days=1), "d")


def test_the_29th_of_february_has_a_window_too():
    assert date_window(date(2028, 2, 29))[1] == date(2038, 2, 28)


# --- identifiers and VAT rates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("732 829 320", "732829320"),
        ("732\u00a0829\u202f320", "732829320"),
        ("fr76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        ("362.521.879-00034", "36252187900034"),
    ],
)
def test_registration_numbers_typed_with_spaces_are_stored_compact(typed, stored):
    assert compact_identifier(typed) == stored


@pytest.mark.parametrize("rate", ["0", "0.20", "0.10", "0.055", "0.021"])
def test_the_mainland_vat_rates_are_accepted(rate):
    assert vat_rate_error(Decimal(rate), postal_code="75011") is None


@pytest.mark.parametrize("rate", ["0.196", "0.085", "0.07", "0.5"])
def test_another_rate_is_refused_with_the_rates_in_force_and_their_law(rate):
    problem = vat_rate_error(Decimal(rate), postal_code="75011")
    assert "20 %, 10 %, 5,5 %, 2,1 %" in problem
    assert "CGI art. 278" in problem


def test_the_dom_rates_apply_to_a_seller_in_martinique_only():
    assert vat_rate_error(Decimal("0.085"), postal_code="97200") is None
    assert vat_rate_error(Decimal("0.0175"), postal_code="97400") is None
    assert "CGI art. 294, 296" in vat_rate_error(Decimal("0.20"), postal_code="97200")
    assert vat_rate_error(Decimal("0.085"), postal_code="44000") is not None


# --- countries, postal codes, phones ------------------------------------------------------------


@pytest.mark.parametrize("code", ["XX", "fr", "FRA", "ZZ"])
def test_a_country_is_an_iso_3166_alpha_2_code(code):
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        validate_country(code)


def test_known_countries_pass():
    for code in ("FR", "BE", "CH", "DE", "MQ", "US"):
        validate_country(code)


@pytest.mark.parametrize(
    ("country", "code", "ok"),
    [
        ("FR", "75011", True),
        ("FR", "97200", True),
        ("FR", "7501", False),
        ("FR", "750111", False),
        ("MQ", "97200", True),
        ("MQ", "97100", False),
        ("BE", "1000", True),
        ("BE", "10000", False),
        ("JP", "100-0001", True),  # no known format: any code
    ],
)
def test_postal_codes_follow_their_country(country, code, ok):
    assert (postal_code_error(country, code) is None) is ok


@pytest.mark.parametrize("typed", ["01 23 45 67 89", "+33 6 12 34 56 78", "+32 12 34 56 78"])
def test_a_phone_number_that_can_be_dialled_passes(typed):
    validate_phone(typed)


@pytest.mark.parametrize("typed", ["12", "00 00", "téléphone", "+33 1 23"])
def test_a_phone_number_that_cannot_be_dialled_is_refused(typed):
    with pytest.raises(ValidationError, match="téléphone invalide"):
        validate_phone(typed)


@pytest.mark.django_db
def test_a_terms_version_dated_in_the_far_future_is_refused_and_not_written():
    from clausier.terms import services
    from clausier.terms.models import TermsVersion
    from tests.factories import make_seller

    seller = make_seller()
    with pytest.raises(ValidationError) as refused:
        services.create_draft(
            seller=seller, label="v9", effective_date=date(9999, 12, 31), text="CGV", by=None
        )
    assert "effective_date" in refused.value.message_dict
    assert not TermsVersion.objects.filter(seller=seller).exists()
