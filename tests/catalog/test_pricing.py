"""The one catalog line pricer: products and prices in force, errors keyed by line, and the
amount a document shows for a priced line."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausier.catalog import domain, pricing, selectors
from clausier.rules.money import CENT, Line, document_totals
from tests.factories import make_seller
from tests.factories.catalog import make_product

ON = date(2026, 5, 4)


@dataclass(frozen=True)
class V:
    pk: int
    effective_from: date
    unit_price_ht: Decimal


class Versions(list):
    def all(self):
        return self


@dataclass
class P:
    code: str
    versions: list[V]
    name: str = "Hébergement"
    unit: str = "month"
    metered_unit: str = ""
    is_fee: bool = False
    vat_rate: Decimal = Decimal("0.20")
    kind: str = "service"
    price_versions: Versions = field(init=False)

    def __post_init__(self):
        self.price_versions = Versions(self.versions)


def unknown(code):
    return f"pas de {code}"


def test_each_line_gets_the_price_in_force_on_the_date_and_its_version():
    product = P(
        "hebergement",
        [V(1, date(2026, 1, 1), Decimal("9.9000")), V(2, date(2026, 6, 1), Decimal("12"))],
    )
    errors: dict[str, str] = {}
    priced = pricing.price_lines(
        [pricing.Wanted(position=0, code="hebergement", quantity=Decimal("3"))],
        products={"hebergement": product},
        on=ON,
        unknown_product=unknown,
        errors=errors,
    )
    assert errors == {}
    [line] = priced
    assert (line.key, line.product, line.quantity) == ("lines[0]", product, Decimal("3"))
    assert (line.price.unit_price_ht, line.price.price_version_id) == (Decimal("9.90"), 1)
    assert line.price.unit_label == "mois"
    assert line.line_total().value == Decimal("29.70")


def test_unknown_products_and_products_without_a_price_yet_are_named_under_their_line():
    later = P("plus-tard", [V(1, date(2026, 9, 1), Decimal("5"))])
    errors: dict[str, str] = {}
    priced = pricing.price_lines(
        [
            pricing.Wanted(position=0, code="absent", quantity=Decimal("1")),
            pricing.Wanted(position=1, code="plus-tard", quantity=None),
        ],
        products={"plus-tard": later},
        on=ON,
        unknown_product=unknown,
        errors=errors,
    )
    assert priced == []
    assert errors == {
        "lines[0].product_code": "pas de absent",
        "lines[1].product_code": "« plus-tard » n'a pas de prix en vigueur le 04/05/2026",
    }


def test_the_price_lookup_is_a_parameter_called_once_per_line():
    calls = []

    def price_of(*, product, on):
        calls.append((product.code, on))
        return domain.quote_price(product=product, version=product.versions[0])

    product = P("a", [V(7, date(2026, 1, 1), Decimal("1"))])
    pricing.price_lines(
        [pricing.Wanted(position=i, code="a", quantity=Decimal(1)) for i in range(3)],
        products={"a": product},
        on=ON,
        unknown_product=unknown,
        errors={},
        price_of=price_of,
    )
    assert calls == [("a", ON)] * 3


@pytest.mark.parametrize(
    ("quantity", "error"),
    [
        ("2,5", None),
        (Decimal("0.001"), None),
        (0, "la quantité doit être strictement positive"),
        ("-1", "la quantité doit être strictement positive"),
        (1.5, "quantité : un nombre décimal exact est attendu (« 2 », « 119.40 »)"),
        ("abc", "quantité invalide : 'abc'"),
        (None, "quantité : un nombre décimal exact est attendu (« 2 », « 119.40 »)"),
    ],
)
def test_a_quantity_is_read_exactly_and_strictly_positive(quantity, error):
    errors: dict[str, str] = {}
    read = pricing.read_quantity({"quantity": quantity}, key="lines[3]", errors=errors)
    if error is None:
        assert read == Decimal(str(quantity).replace(",", "."))
        assert errors == {}
    else:
        assert read is None
        assert errors == {"lines[3].quantity": error}


def test_unknown_fields_are_refused_one_by_one_in_name_order():
    errors: dict[str, str] = {}
    pricing.refuse_unknown_fields(
        {"quantity": 1, "zeta": 1, "alpha": 2}, allowed={"quantity"}, key="line", errors=errors
    )
    assert list(errors) == ["line.alpha", "line.zeta"]
    assert set(errors.values()) == {"champ inconnu ou non modifiable"}


def test_errors_read_in_the_order_of_the_lines():
    errors = {
        "lines[10].quantity": "a",
        "lines[2].product_code": "b",
        "lines": "c",
        "lines[2].quantity": "d",
    }
    assert list(pricing.line_order(errors)) == [
        "lines",
        "lines[2].product_code",
        "lines[2].quantity",
        "lines[10].quantity",
    ]


quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("99999"), places=4)


@given(quantity=quantities, price=prices)
def test_a_priced_line_totals_quantity_times_unit_price_rounded_half_up_to_the_cent(
    quantity, price
):
    product = P("p", [V(1, date(2026, 1, 1), price)])
    [line] = pricing.price_lines(
        [pricing.Wanted(position=0, code="p", quantity=quantity)],
        products={"p": product},
        on=ON,
        unknown_product=unknown,
        errors={},
    )
    expected = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
    assert line.price.unit_price_ht == price
    assert line.line_total().value == expected
    # What the document's totals give for the line is the same figure.
    totals = document_totals(
        lines=[Line(description="p", quantity=quantity, unit_price=line.price.unit_price_ht)],
        regime="normal",
    )
    assert totals.value.lines == (expected,)


@pytest.mark.django_db
def test_products_by_code_reads_the_sellers_products_and_their_prices_in_two_queries(
    django_assert_num_queries,
):
    seller = make_seller()
    kept = make_product(seller, code="garde", price_ht="10")
    archived = make_product(seller, code="archive", price_ht="20", active=False)
    make_product(make_seller(), code="ailleurs")
    with django_assert_num_queries(2):
        found = selectors.products_by_code(
            seller=seller, codes=["garde", "archive", "ailleurs", None, 3]
        )
        [version.pk for product in found.values() for version in product.price_versions.all()]
    assert found == {"garde": kept, "archive": archived}
    active = selectors.products_by_code(seller=seller, codes=["garde", "archive"], active_only=True)
    assert active == {"garde": kept}
