"""The admin writes through the services: price versions are read-only, a new price is a
new version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.catalog import services
from clausier.catalog.models import PriceVersion, Product
from tests.factories import make_seller, make_user
from tests.factories.catalog import make_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def form(product: Product, **changes) -> dict:
    data = {
        "name": product.name,
        "description": product.description,
        "kind": product.kind,
        "metered_unit": product.metered_unit,
        "vat_rate": str(product.vat_rate),
        "active": "on" if product.active else "",
        "guarantees": "[]",
        "options": "[]",
        "new_price_ht": "",
        "new_price_from": "",
        "price_versions-TOTAL_FORMS": "0",
        "price_versions-INITIAL_FORMS": str(product.price_versions.count()),
        "price_versions-MIN_NUM_FORMS": "0",
        "price_versions-MAX_NUM_FORMS": "1000",
    }
    return {k: v for k, v in (data | changes).items() if v != "" or k.startswith("new_")}


def url(product: Product) -> str:
    return f"/admin/catalog/product/{product.pk}/change/"


def test_the_change_page_shows_prices_read_only(admin_client):
    product = make_product(make_seller(), price_ht="79.00")
    page = admin_client.get(url(product)).content.decode()
    assert "79,0000" in page or "79.0000" in page
    assert 'name="price_versions-0-unit_price_ht"' not in page
    assert 'name="new_price_ht"' in page


def test_a_new_price_in_the_admin_adds_a_version_through_the_service(admin_client):
    product = make_product(make_seller(), price_ht="79.00", effective_from=date(2026, 1, 1))
    response = admin_client.post(
        url(product), form(product, new_price_ht="89.00", new_price_from="2026-06-01")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(product.price_versions.values_list("unit_price_ht", flat=True)) == [
        Decimal("79"),
        Decimal("89"),
    ]
    assert Event.objects.filter(verb="product.price_changed").count() == 1


def test_a_back_dated_price_in_the_admin_is_a_form_error(admin_client):
    product = make_product(make_seller(), effective_from=date(2026, 1, 1))
    response = admin_client.post(
        url(product), form(product, new_price_ht="89.00", new_price_from="2026-01-01")
    )
    assert response.status_code == 200
    assert "prend déjà effet" in response.content.decode()
    assert product.price_versions.count() == 1


def test_the_293b_rule_is_a_form_error_in_the_admin(admin_client):
    product = make_product(make_seller(vat_regime="franchise_293b"))
    response = admin_client.post(url(product), form(product, vat_rate="0.20"))
    assert response.status_code == 200
    assert "art. 293 B du CGI" in response.content.decode()
    product.refresh_from_db()
    assert product.vat_rate == 0


def test_adding_a_product_in_the_admin_needs_its_first_price(admin_client):
    seller = make_seller()
    data = {
        "seller": seller.pk,
        "code": "site-vitrine",
        "name": "Création de site vitrine",
        "kind": "service",
        "unit": "flat",
        "vat_rate": "0.20",
        "active": "on",
        "guarantees": "[]",
        "options": "[]",
        "price_versions-TOTAL_FORMS": "0",
        "price_versions-INITIAL_FORMS": "0",
        "price_versions-MIN_NUM_FORMS": "0",
        "price_versions-MAX_NUM_FORMS": "1000",
    }
    missing = admin_client.post("/admin/catalog/product/add/", data)
    assert missing.status_code == 200
    assert not Product.objects.exists()
    response = admin_client.post(
        "/admin/catalog/product/add/",
        data | {"new_price_ht": "1500.00", "new_price_from": "2026-01-01"},
    )
    assert response.status_code == 302
    product = Product.objects.get()
    assert product.price_versions.get().unit_price_ht == Decimal("1500")
    assert Event.objects.filter(verb="product.created").count() == 1


def test_the_admin_deletes_no_product(admin_client):
    product = make_product(make_seller())
    response = admin_client.post(f"/admin/catalog/product/{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()
    assert PriceVersion.objects.filter(product=product).exists()
