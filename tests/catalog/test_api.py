"""The catalog through the API: products, price history, HT and TTC, 422s, 404 scoping."""

from __future__ import annotations

from datetime import date

import pytest

from clausier.api.services import create_token
from clausier.audit.models import Event
from clausier.catalog import api as catalog_router
from clausier.catalog import services
from clausier.catalog.models import PriceVersion, Product
from tests.api_client import Api
from tests.factories import make_seller
from tests.factories.catalog import make_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 1)

MCO = {
    "code": "hebergement-mco",
    "name": "Hébergement et maintenance (MCO)",
    "unit": "month",
    "unit_price_ht": "30.00",
    "effective_from": "2026-01-01",
    "options": [{"code": "sauvegarde-recurrente", "label": "Sauvegarde récurrente"}],
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)
    monkeypatch.setattr(catalog_router, "today_in_paris", lambda: TODAY)


@pytest.fixture
def franchise_api(client) -> Api:
    seller = make_seller("agence-293b", vat_regime="franchise_293b")
    return Api(client, create_token(seller=seller, name="ERP", by=None)[1])


# --- create -----------------------------------------------------------------------------------


def test_create_answers_201_with_the_product_and_its_price(api, seller, token_and_secret):
    response = api.post("/catalog/products", MCO)
    assert response.status_code == 201, response.content
    body = response.json()
    product = Product.objects.get(pk=body["id"])
    assert product.seller == seller
    assert body["code"] == "hebergement-mco"
    assert body["unit"] == "month"
    assert body["unit_label"] == "mois"
    assert body["kind"] == "service"
    assert body["is_fee"] is False
    assert body["vat_rate"] == "0.20"  # the default of a seller charging VAT
    assert body["active"] is True
    assert body["options"] == MCO["options"]
    assert body["guarantees"] == []
    version = product.price_versions.get()
    assert body["current_price"] == {
        "version_id": version.pk,
        "unit_price_ht": "30.00",
        "unit_price_ttc": "36.00",
        "effective_from": "2026-01-01",
    }
    assert [p["unit_price_ht"] for p in body["prices"]] == ["30.00"]
    assert body["prices"][0]["created_by"] == str(token_and_secret[0])
    assert body["shows_ttc"] is True
    assert body["vat_mention"] == ""
    event = Event.objects.get(verb="product.created")
    assert event.actor_label == str(token_and_secret[0])


def test_the_first_price_takes_effect_today_by_default(api):
    body = api.post("/catalog/products", MCO | {"effective_from": None}).json()
    assert body["current_price"]["effective_from"] == "2026-05-01"


def test_a_metered_offer_with_a_sub_cent_price(api):
    response = api.post(
        "/catalog/products",
        {
            "code": "instance-app",
            "name": "Instance d'application (heure)",
            "unit": "metered",
            "metered_unit": "heure d'instance",
            "unit_price_ht": "0.0035",
            "effective_from": "2026-01-01",
            "guarantees": ["Datacenters conformes APSAD R81 et R82"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_label"] == "heure d'instance"
    assert body["current_price"]["unit_price_ht"] == "0.0035"
    assert body["current_price"]["unit_price_ttc"] == "0.0042"
    assert body["guarantees"] == ["Datacenters conformes APSAD R81 et R82"]


def test_a_franchise_seller_sells_without_vat_and_says_so(franchise_api):
    body = franchise_api.post("/catalog/products", MCO).json()
    assert body["vat_rate"] == "0.00"
    assert body["current_price"]["unit_price_ttc"] == body["current_price"]["unit_price_ht"]
    assert body["shows_ttc"] is False
    assert body["vat_mention"] == "TVA non applicable, art. 293 B du CGI"


def test_a_vat_rate_under_the_franchise_is_422_naming_vat_rate(franchise_api):
    response = franchise_api.post("/catalog/products", MCO | {"vat_rate": "0.20"})
    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"vat_rate"}
    assert "TVA non applicable, art. 293 B du CGI" in body["errors"]["vat_rate"]
    assert not Product.objects.exists()
    assert not PriceVersion.objects.exists()


def test_missing_fields_are_each_named(api):
    response = api.post("/catalog/products", {"name": "Sans code"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"code", "unit", "unit_price_ht"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "week"}, "unit"),
        ({"kind": "software"}, "kind"),
        ({"unit_price_ht": "douze"}, "unit_price_ht"),
        ({"unit_price_ht": "-1"}, "unit_price_ht"),
        ({"unit_price_ht": "0.00001"}, "unit_price_ht"),
        ({"effective_from": "2026-02-30"}, "effective_from"),
        ({"code": "pas un code"}, "code"),
        ({"vat_rate": "1.2"}, "vat_rate"),
        ({"options": [{"code": "x"}]}, "options[0].label"),
        ({"guarantees": [""]}, "guarantees"),
        ({"unit": "metered"}, "metered_unit"),
        ({"metered_unit": "Go·mois"}, "metered_unit"),
        ({"prix": "12"}, "prix"),
    ],
)
def test_invalid_input_is_422_naming_the_field_and_nothing_is_written(api, change, field):
    response = api.post("/catalog/products", MCO | change)
    assert response.status_code == 422, response.content
    assert set(response.json()["errors"]) == {field}
    assert not Product.objects.exists()
    assert not Event.objects.filter(verb__startswith="product.").exists()


def test_a_code_already_used_is_422_naming_code(api, seller):
    make_product(seller, code="hebergement-mco")
    response = api.post("/catalog/products", MCO)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"code"}
    assert Product.objects.count() == 1


def test_another_seller_may_use_the_same_code(api, other_api):
    assert api.post("/catalog/products", MCO).status_code == 201
    assert other_api.post("/catalog/products", MCO).status_code == 201


# --- read -------------------------------------------------------------------------------------


def test_get_a_product_with_its_price_history(api, seller):
    product = make_product(seller, price_ht="79.00", effective_from=date(2026, 1, 1))
    services.change_price(
        product=product, unit_price_ht="85.00", effective_from=date(2026, 5, 1), by=None
    )
    services.change_price(
        product=product, unit_price_ht="89.00", effective_from=date(2026, 9, 1), by=None
    )
    response = api.get(f"/catalog/products/{product.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [
        (p["effective_from"], p["unit_price_ht"], p["unit_price_ttc"]) for p in body["prices"]
    ] == [
        ("2026-01-01", "79.00", "94.80"),
        ("2026-05-01", "85.00", "102.00"),
        ("2026-09-01", "89.00", "106.80"),
    ]
    assert body["current_price"]["unit_price_ht"] == "85.00"  # in force today
    assert body["current_price"]["effective_from"] == "2026-05-01"


def test_a_product_whose_first_price_is_to_come_has_no_current_price(api, seller):
    product = make_product(seller, effective_from=date(2026, 6, 1))
    body = api.get(f"/catalog/products/{product.pk}").json()
    assert body["current_price"] is None
    assert len(body["prices"]) == 1


def test_an_unknown_product_is_404_and_a_bad_id_422(api, seller):
    assert api.get("/catalog/products/999999").json() == {"detail": "Not found."}
    assert api.get("/catalog/products/999999").status_code == 404
    response = api.get("/catalog/products/abc")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"product_id"}


def test_another_sellers_product_is_404_for_every_method(other_api, seller):
    product = make_product(seller, name="Avant", price_ht="10.00")
    path = f"/catalog/products/{product.pk}"
    assert other_api.get(path).status_code == 404
    assert other_api.patch(path, {"name": "Pirate"}).status_code == 404
    prices = other_api.post(
        f"{path}/prices", {"unit_price_ht": "0.01", "effective_from": "2026-06-01"}
    )
    assert prices.status_code == 404
    product.refresh_from_db()
    assert product.name == "Avant"
    assert product.price_versions.count() == 1


# --- list -------------------------------------------------------------------------------------


def test_list_is_paginated_scoped_and_priced(api, seller, other_seller):
    for n in range(5):
        make_product(seller, name=f"Produit {n:02d}", price_ht=f"{n}.00")
    make_product(other_seller, name="Produit d'un autre vendeur")
    response = api.get("/catalog/products?limit=2&offset=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    assert [p["name"] for p in body["items"]] == ["Produit 01", "Produit 02"]
    assert [p["current_price"]["unit_price_ttc"] for p in body["items"]] == ["1.20", "2.40"]
    assert "prices" not in body["items"][0]


def test_list_filters_by_query_and_status(api, seller):
    make_product(seller, code="site-vitrine", name="Création de site vitrine")
    make_product(seller, code="formation", name="Journée de formation")
    services.archive_product(product=make_product(seller, code="ancien", name="Ancien"), by=None)

    def codes(query: str) -> list[str]:
        return [p["code"] for p in api.get(f"/catalog/products{query}").json()["items"]]

    assert codes("") == ["ancien", "site-vitrine", "formation"]
    assert codes("?active=true") == ["site-vitrine", "formation"]
    assert codes("?active=false") == ["ancien"]
    assert codes("?q=vitrine") == ["site-vitrine"]
    assert codes("?q=ancien&active=true") == []


@pytest.mark.parametrize("query", ["limit=101", "limit=0", "offset=-1", "active=peut-etre"])
def test_list_refuses_a_bad_parameter(api, seller, query):
    response = api.get(f"/catalog/products?{query}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {query.split("=")[0]}


def test_list_query_count_does_not_grow_with_the_page(api, seller, django_assert_num_queries):
    for n in range(30):
        product = make_product(seller, price_ht=f"{n}.00", effective_from=date(2026, 1, 1))
        services.change_price(
            product=product, unit_price_ht=f"{n}.50", effective_from=TODAY, by=None
        )
    api.get("/catalog/products")  # records the token's last use once (then at most once a minute)
    # token lookup, count, page with its current prices
    with django_assert_num_queries(3):
        response = api.get("/catalog/products?limit=100")
    items = response.json()["items"]
    assert len(items) == 30
    assert all(item["current_price"]["unit_price_ht"].endswith(".50") for item in items)


# --- update -----------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(api, seller):
    product = make_product(seller, name="Avant", description="Détail")
    response = api.patch(
        f"/catalog/products/{product.pk}",
        {"name": "Après", "guarantees": ["Datacenters conformes APSAD R81 et R82"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["description"]) == ("Après", "Détail")
    assert body["guarantees"] == ["Datacenters conformes APSAD R81 et R82"]
    assert Event.objects.get(verb="product.updated").summary["after"] == {
        "name": "Après",
        "guarantees": ["Datacenters conformes APSAD R81 et R82"],
    }


@pytest.mark.parametrize(("field", "value"), [("code", "nouveau-code"), ("unit", "day")])
def test_patch_cannot_change_the_code_or_the_unit(api, seller, field, value):
    product = make_product(seller, code="site-vitrine", unit="flat")
    response = api.patch(f"/catalog/products/{product.pk}", {field: value})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {field}


def test_patch_does_not_change_prices(api, seller):
    product = make_product(seller)
    response = api.patch(f"/catalog/products/{product.pk}", {"unit_price_ht": "1.00"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"unit_price_ht"}


def test_patch_refuses_null(api, seller):
    product = make_product(seller)
    response = api.patch(f"/catalog/products/{product.pk}", {"name": None})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name"}


def test_patch_active_false_archives_the_product(api, seller):
    product = make_product(seller)
    body = api.patch(f"/catalog/products/{product.pk}", {"active": False}).json()
    assert body["active"] is False
    assert Event.objects.filter(verb="product.archived").count() == 1
    assert api.get(f"/catalog/products/{product.pk}").status_code == 200  # still readable


def test_patch_a_vat_rate_under_the_franchise_is_422(franchise_api):
    product_id = franchise_api.post("/catalog/products", MCO).json()["id"]
    response = franchise_api.patch(f"/catalog/products/{product_id}", {"vat_rate": "0.055"})
    assert response.status_code == 422
    assert "art. 293 B" in response.json()["errors"]["vat_rate"]


# --- prices -----------------------------------------------------------------------------------


def test_a_new_price_is_201_and_a_new_version(api, seller):
    product = make_product(seller, price_ht="30.00", effective_from=date(2026, 1, 1))
    response = api.post(
        f"/catalog/products/{product.pk}/prices",
        {"unit_price_ht": "35.00", "effective_from": "2026-07-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["unit_price_ht"], body["unit_price_ttc"], body["effective_from"]) == (
        "35.00",
        "42.00",
        "2026-07-01",
    )
    assert product.price_versions.count() == 2
    detail = api.get(f"/catalog/products/{product.pk}").json()
    assert detail["current_price"]["unit_price_ht"] == "30.00"  # until 1 July
    assert Event.objects.filter(verb="product.price_changed").count() == 1


@pytest.mark.parametrize(
    ("effective_from", "fragment"),
    [
        ("2026-01-01", "prend déjà effet"),
        ("2026-04-30", "dans le passé"),
    ],
)
def test_a_price_on_an_existing_or_past_date_is_422_naming_effective_from(
    api, seller, effective_from, fragment
):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    response = api.post(
        f"/catalog/products/{product.pk}/prices",
        {"unit_price_ht": "35.00", "effective_from": effective_from},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"effective_from"}
    assert fragment in errors["effective_from"]
    assert product.price_versions.count() == 1


def test_a_price_before_the_latest_version_is_422(api, seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    url = f"/catalog/products/{product.pk}/prices"
    assert api.post(url, {"unit_price_ht": "2", "effective_from": "2026-09-01"}).status_code == 201
    response = api.post(url, {"unit_price_ht": "3", "effective_from": "2026-06-01"})
    assert response.status_code == 422
    assert (
        "Le dernier prix prend effet le 01/09/2026" in response.json()["errors"]["effective_from"]
    )


def test_a_bad_price_body_names_its_fields(api, seller):
    product = make_product(seller)
    url = f"/catalog/products/{product.pk}/prices"
    response = api.post(url, {"unit_price_ht": "-3"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"effective_from"}  # the schema speaks first
    response = api.post(url, {"unit_price_ht": "-3", "effective_from": "2026-06-01"})
    assert set(response.json()["errors"]) == {"unit_price_ht"}
    assert product.price_versions.count() == 1
