"""The catalog screen: prices HT, and TTC with its arithmetic when the seller states TTC."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from clausier.catalog.seeding import install_catalog_seed
from clausier.demo.seeding import install_seed
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def url(name: str, seller, **kwargs) -> str:
    return reverse(f"backoffice:{name}", kwargs={"slug": seller.slug, **kwargs})


def shown(response) -> str:
    return re.sub(r"[\u00a0\u202f]", " ", unescape(response.content.decode()))


def test_catalog_shows_prices_ht_and_ttc_when_the_seller_states_ttc(client, db, media):
    host = install_seed(slug="clever-cloud", by=None)
    install_catalog_seed(seller=host, by=None)
    client.force_login(make_staff(host, "accountant"))
    html = shown(client.get(url("catalog", host)))
    assert "Prix HT" in html
    assert "Prix TTC" in html
    assert "Pourquoi ?" in html  # TTC = HT × (1 + rate), with its arithmetic


def test_catalog_names_units_and_explains_ttc_in_the_pages_language(client, db, media):
    host = install_seed(slug="clever-cloud", by=None)
    install_catalog_seed(seller=host, by=None)
    client.force_login(make_staff(host, "accountant"))
    html = shown(client.get(url("catalog", host)))
    with translation.override("en"):
        english = shown(client.get(url("catalog", host)))

    assert "10,00 € HT × (1 + 20 %) = 12,00 € TTC (arrondi au centime, demi supérieur)" in html
    assert "<td>mois</td>" in html
    assert (
        "€10.00 excl. VAT × (1 + 20%) = €12.00 incl. VAT (rounded to the cent, half up)" in english
    )
    assert "<td>month</td>" in english
    assert "<td>mois</td>" not in english
    # A metered price is counted in the product's own unit, in any language.
    assert "heure d'instance" in english


def test_catalog_of_a_seller_under_the_franchise_has_no_ttc_column(client, agency, agency_owner):
    install_catalog_seed(seller=agency, by=None)
    client.force_login(agency_owner)
    html = shown(client.get(url("catalog", agency)))
    assert "site-vitrine" in html
    assert "Prix HT" in html
    assert "Prix TTC" not in html
    searched = shown(client.get(url("catalog", agency) + "?q=zzzz"))
    assert "Aucun produit ne correspond à cette recherche." in searched


def test_catalog_query_count_does_not_grow_with_products(
    client, agency, agency_owner, django_assert_num_queries
):
    client.force_login(agency_owner)
    client.get(url("catalog", agency))
    # session, user, staff scope, shows_ttc clause, count (none: the page stops there)
    with django_assert_num_queries(5):
        client.get(url("catalog", agency))
    install_catalog_seed(seller=agency, by=None)
    # ... and the page of products with their current price (subqueries, one query)
    with django_assert_num_queries(6):
        client.get(url("catalog", agency))
