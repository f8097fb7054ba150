import pytest
from django.db import transaction

from clausier.numbering.services import format_number, next_number
from tests.factories import make_seller

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_other_per_seller_series_and_year():
    a, b = make_seller(), make_seller()
    with transaction.atomic():
        taken = [
            next_number(seller=a, series="quote", year=2026, prefix="D").label for _ in range(3)
        ]
        other_seller = next_number(seller=b, series="quote", year=2026, prefix="D").label
        other_series = next_number(seller=a, series="invoice", year=2026, prefix="F").label
        next_year = next_number(seller=a, series="quote", year=2027, prefix="D").label
    assert taken == ["D2026-000001", "D2026-000002", "D2026-000003"]
    assert (other_seller, other_series, next_year) == (
        "D2026-000001",
        "F2026-000001",
        "D2027-000001",
    )


def test_a_rolled_back_issue_gives_its_number_back():
    seller = make_seller()

    def issue_then_fail():
        with transaction.atomic():
            next_number(seller=seller, series="quote", year=2026, prefix="D")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        issue_then_fail()
    with transaction.atomic():
        assert next_number(seller=seller, series="quote", year=2026, prefix="D").sequence == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        next_number(seller=make_seller(), series="quote", year=2026, prefix="D")


def test_format_pads_the_sequence_to_six_digits():
    assert format_number(prefix="AV", year=2026, sequence=7) == "AV2026-000007"
