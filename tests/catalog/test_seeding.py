"""The seed sellers' catalogs: consistent with their terms, installed idempotently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausier.audit.models import Event
from clausier.catalog import selectors, services
from clausier.catalog.models import PriceVersion, Product
from clausier.catalog.seeding import SEED_SLUGS, install_catalog_seed, load_catalog_seed
from clausier.demo.seeding import install_seed
from clausier.terms.seeds import load_seed
from tests.factories import make_seller


def clause(slug: str, clause_id: str) -> dict:
    (version,) = load_seed(slug).versions
    return next(c for c in version.clauses if c["clause_id"] == clause_id)


def test_the_seed_slugs_are_the_terms_seeds():
    from clausier.terms.seeds import SEED_SLUGS as TERMS_SLUGS

    assert SEED_SLUGS == TERMS_SLUGS


def test_the_paas_catalog_bills_consumption_with_vat_and_apsad_guarantees():
    products = {p.fields["code"]: p for p in load_catalog_seed("clever-cloud")}
    units = {p.fields["unit"] for p in products.values()}
    assert "metered" in units  # art. 3: "La facturation est faite à la consommation"
    assert {p.fields["vat_rate"] for p in products.values()} == {Decimal("0.20")}
    metered = [p for p in products.values() if p.fields["unit"] == "metered"]
    assert {p.fields["metered_unit"] for p in metered} == {"heure d'instance", "Go·mois"}
    assert products["addon-postgresql"].fields["unit"] == "month"
    # art. 9, as the clause guarantees.datacenter encodes it
    assert set(clause("clever-cloud", "guarantees.datacenter")["parameters"]["items"]) == {
        "APSAD R81",
        "APSAD R82",
    }
    for code in ("instance-app", "stockage", "addon-postgresql"):
        assert products[code].fields["guarantees"] == ["Datacenters conformes APSAD R81 et R82"]
    assert all(p.demo_price for p in products.values())  # the terms state no price


def test_the_agency_catalog_matches_its_terms():
    products = {p.fields["code"]: p for p in load_catalog_seed("neo7-studio-web")}
    pricing = clause("neo7-studio-web", "pricing")["parameters"]
    units = {p.fields["unit"] for p in products.values()}
    assert set(pricing["units"]) <= units  # flat, hour, day (art. 4)
    assert units - set(pricing["units"]) == {"month"}  # recurring hosting and MCO (art. 7, 12)
    assert {p.fields["vat_rate"] for p in products.values()} == {Decimal(0)}  # art. 293 B
    assert any(p.fields["is_fee"] for p in products.values())  # "frais ... mentionnés"
    mco = products["hebergement-mco"]
    assert mco.fields["options"] == [
        {"code": "sauvegarde-recurrente", "label": "Sauvegarde récurrente"}
    ]
    restore = products["restauration-sauvegarde"]
    fee = clause("neo7-studio-web", "hosting.restore_fee")
    assert restore.price_ht == Decimal(fee["parameters"]["amount"]) == Decimal("79.00")
    assert restore.fields["unit"] == "flat"
    assert restore.fields["is_fee"] is False
    assert "hosting.restore_fee" in restore.fields["description"]
    assert restore.demo_price is False
    assert all(p.demo_price for code, p in products.items() if code != restore.fields["code"])


def test_an_unknown_seed_is_refused():
    with pytest.raises(ValueError, match="no catalog seed"):
        load_catalog_seed("inconnu")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_installing_a_seed_twice_gives_the_same_rows(slug):
    seller = install_seed(slug=slug, by=None)
    first = install_catalog_seed(seller=seller, by=None)
    rows = (
        list(Product.objects.order_by("pk").values()),
        list(PriceVersion.objects.order_by("pk").values()),
    )
    events = Event.objects.filter(verb__startswith="product.").count()
    assert events == len(first) == len(load_catalog_seed(slug))

    second = install_catalog_seed(seller=seller, by=None)

    assert [p.pk for p in second] == [p.pk for p in first]
    assert rows == (
        list(Product.objects.order_by("pk").values()),
        list(PriceVersion.objects.order_by("pk").values()),
    )
    assert Event.objects.filter(verb__startswith="product.").count() == events


@pytest.mark.django_db
def test_the_installed_agency_catalog_is_priced_from_the_terms_date():
    seller = install_seed(slug="neo7-studio-web", by=None)
    install_catalog_seed(seller=seller, by=None)
    restore = Product.objects.get(seller=seller, code="restauration-sauvegarde")
    quote = selectors.price_in_force(product=restore, on=date(2026, 11, 23))
    assert (quote.unit_price_ht, quote.vat_rate, quote.unit_price_ttc) == (
        Decimal("79.00"),
        Decimal("0.00"),
        Decimal("79.00"),
    )
    assert quote.effective_from == date(2016, 11, 14)


@pytest.mark.django_db
def test_a_seed_product_edited_by_staff_is_left_alone():
    seller = install_seed(slug="clever-cloud", by=None)
    install_catalog_seed(seller=seller, by=None)
    storage = Product.objects.get(seller=seller, code="stockage")
    services.update_product(product=storage, fields={"name": "Stockage objet"}, by=None)
    install_catalog_seed(seller=seller, by=None)
    assert Product.objects.get(seller=seller, code="stockage").name == "Stockage objet"


@pytest.mark.django_db
def test_a_seller_without_a_seed_catalog_is_refused():
    with pytest.raises(ValueError, match="no catalog seed"):
        install_catalog_seed(seller=make_seller("sans-catalogue"), by=None)
