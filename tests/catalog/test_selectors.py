"""Catalog reads: the price in force on a date, current prices without N+1, scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from clausier.catalog import domain, selectors, services
from clausier.demo.seeding import install_seed
from tests.factories import make_published_terms, make_seller
from tests.factories.catalog import make_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def seller():
    return make_seller("hebergeur")


def priced(seller, prices: dict[date, str], **fields):
    """A product with one version per (date, price), in date order."""
    (first, price), *rest = sorted(prices.items())
    product = make_product(seller, price_ht=price, effective_from=first, **fields)
    for effective_from, price in rest:
        # Past versions go in as history (a change may not be back-dated through the service).
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(services, "today", lambda d=effective_from: d)
            services.change_price(
                product=product,
                unit_price_ht=Decimal(price),
                effective_from=effective_from,
                by=None,
            )
    return product


def test_price_in_force_follows_the_history(seller):
    product = priced(
        seller,
        {date(2026, 1, 1): "100.00", date(2026, 3, 1): "110.00", date(2026, 9, 1): "125.50"},
        code="mco",
        name="Hébergement et maintenance (MCO)",
        unit="month",
    )
    on_feb = selectors.price_in_force(product=product, on=date(2026, 2, 28))
    on_mar = selectors.price_in_force(product=product, on=date(2026, 3, 1))
    later = selectors.price_in_force(product=product, on=date(2027, 1, 1))
    assert (on_feb.unit_price_ht, on_mar.unit_price_ht, later.unit_price_ht) == (
        Decimal("100.00"),
        Decimal("110.00"),
        Decimal("125.50"),
    )
    assert on_mar == domain.PriceQuote(
        product_code="mco",
        label="Hébergement et maintenance (MCO)",
        unit="month",
        metered_unit="",
        is_fee=False,
        unit_price_ht=Decimal("110.00"),
        vat_rate=Decimal("0.20"),
        price_version_id=product.price_versions.get(effective_from=date(2026, 3, 1)).pk,
        effective_from=date(2026, 3, 1),
    )
    assert on_mar.unit_price_ttc == Decimal("132.00")


def test_price_in_force_before_the_first_version_names_the_date(seller):
    product = make_product(seller, effective_from=date(2026, 3, 1))
    with pytest.raises(domain.NoPriceInForce, match="aucun prix en vigueur le 01/02/2026"):
        selectors.price_in_force(product=product, on=date(2026, 2, 1))


def test_a_frozen_quote_survives_a_price_change(seller):
    product = make_product(seller, price_ht="79.00", effective_from=date(2026, 1, 1))
    frozen = selectors.price_in_force(product=product, on=TODAY)
    services.change_price(
        product=product, unit_price_ht=Decimal("89.00"), effective_from=date(2026, 6, 1), by=None
    )
    again = selectors.price_in_force(product=product, on=TODAY)
    assert again == frozen
    assert selectors.price_in_force(product=product, on=date(2026, 6, 1)).unit_price_ht == 89


def test_the_list_carries_the_price_in_force_today(seller):
    priced(seller, {date(2026, 1, 1): "10.00", date(2026, 4, 1): "12.00"}, name="A")
    make_product(seller, name="B", effective_from=date(2026, 6, 1))  # not in force yet
    a, b = selectors.products_for_seller(seller=seller)
    assert (a.current_price_ht, a.current_price_from) == (Decimal("12"), date(2026, 4, 1))
    assert a.current_price_version_id == a.price_versions.get(effective_from=date(2026, 4, 1)).pk
    assert (b.current_price_ht, b.current_price_version_id) == (None, None)
    (a_in_march,) = selectors.products_for_seller(seller=seller, on=date(2026, 3, 1), q="A")
    assert a_in_march.current_price_ht == Decimal("10")


def test_the_list_costs_one_query_whatever_its_length(seller, django_assert_num_queries):
    for n in range(20):
        priced(seller, {date(2026, 1, 1): "10.00", date(2026, 2, 1): f"{n}.50"})
    with django_assert_num_queries(1):
        products = list(selectors.products_for_seller(seller=seller))
        prices = [p.current_price_ht for p in products]
    assert len(prices) == 20
    assert all(price is not None for price in prices)


def test_the_list_is_scoped_filtered_and_hides_archived_products(seller):
    make_product(seller, code="site-vitrine", name="Création de site vitrine")
    make_product(seller, code="formation", name="Journée de formation", description="sur site")
    archived = make_product(seller, code="ancien", name="Ancienne offre")
    services.archive_product(product=archived, by=None)
    make_product(make_seller(), code="autre", name="Site d'un autre vendeur")

    def codes(**kwargs):
        return [p.code for p in selectors.products_for_seller(seller=seller, **kwargs)]

    assert codes() == ["site-vitrine", "formation"]
    assert codes(active_only=False) == ["ancien", "site-vitrine", "formation"]
    assert codes(archived_only=True) == ["ancien"]
    assert codes(q="site") == ["site-vitrine", "formation"]  # name and description
    assert codes(q="FORMATION") == ["formation"]


def test_a_product_of_another_seller_is_404(seller):
    product = make_product(seller)
    assert selectors.product_for_seller(seller=seller, product_id=product.pk) == product
    with pytest.raises(Http404):
        selectors.product_for_seller(seller=make_seller(), product_id=product.pk)
    with pytest.raises(Http404):
        selectors.product_for_seller(seller=seller, product_id=product.pk + 1000)


def test_the_detail_prefetches_its_history(seller, django_assert_num_queries):
    product = priced(seller, {date(2026, 1, 1): "10.00", date(2026, 2, 1): "11.00"})
    with django_assert_num_queries(2):  # the product with its current price, its versions
        detail = selectors.product_for_seller(seller=seller, product_id=product.pk)
        history = [v.unit_price_ht for v in detail.price_versions.all()]
        quote = selectors.price_in_force(product=detail, on=date(2026, 1, 15))
    assert history == [Decimal("10"), Decimal("11")]
    assert quote.unit_price_ht == Decimal("10.00")


def test_ttc_is_shown_as_the_sellers_terms_say():
    paas = install_seed(slug="clever-cloud", by=None)  # art. 3: "en euros HT et TTC"
    agency = install_seed(slug="neo7-studio-web", by=None)  # HT, art. 293 B
    assert selectors.shows_ttc(seller=paas) is True
    assert selectors.shows_ttc(seller=agency) is False


def test_without_a_pricing_clause_ttc_is_shown_when_vat_is_charged():
    normal = make_seller(vat_regime="normal")
    make_published_terms(normal)  # no pricing clause
    assert selectors.shows_ttc(seller=normal) is True
    assert selectors.shows_ttc(seller=make_seller(vat_regime="franchise_293b")) is False
