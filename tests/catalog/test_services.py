"""Catalog writes: price history by versions, the 293 B VAT rule, audit, all-or-nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from clausier.audit.models import Event
from clausier.catalog import services
from clausier.catalog.models import PriceVersion, Product
from tests.factories import make_seller, make_staff
from tests.factories.catalog import make_product

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 1)

DEV = {"code": "developpement-heure", "name": "Développement (heure)", "unit": "hour"}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def seller():
    return make_seller("hebergeur", vat_regime="normal")


@pytest.fixture
def franchise_seller():
    return make_seller("agence-293b", vat_regime="franchise_293b")


def nothing_written():
    return (
        not Product.objects.exists()
        and not PriceVersion.objects.exists()
        and not Event.objects.filter(verb__startswith="product.").exists()
    )


# --- create -----------------------------------------------------------------------------------


def test_create_writes_the_product_its_first_price_and_one_event(seller):
    staff = make_staff(seller, "owner")
    product = services.create_product(
        seller=seller,
        fields=DEV | {"guarantees": ["Datacenters conformes APSAD R81 et R82"]},
        price_ht=Decimal("90.00"),
        effective_from=date(2026, 1, 1),
        by=staff,
    )
    product.refresh_from_db()
    assert product.seller == seller
    assert product.vat_rate == Decimal("0.20")  # the normal regime's default
    assert product.guarantees == ["Datacenters conformes APSAD R81 et R82"]
    (version,) = product.price_versions.all()
    assert (version.unit_price_ht, version.effective_from) == (Decimal("90"), date(2026, 1, 1))
    assert version.created_by == staff
    assert version.created_by_label == staff.get_username()
    event = Event.objects.get(verb="product.created")
    assert event.actor == staff
    assert event.seller == seller
    assert event.object_id == str(product.pk)
    assert event.summary["after"]["code"] == "developpement-heure"
    assert event.summary["after"]["unit_price_ht"] == "90.00"
    assert event.summary["after"]["vat_rate"] == "0.20"
    assert event.summary["after"]["effective_from"] == "2026-01-01"
    assert event.summary["after"]["price_version_id"] == version.pk


def test_the_first_price_may_take_effect_in_the_past(seller):
    product = make_product(seller, effective_from=date(2012, 7, 16))
    assert product.price_versions.get().effective_from == date(2012, 7, 16)


def test_a_franchise_seller_gets_a_zero_rate_by_default(franchise_seller):
    product = services.create_product(
        seller=franchise_seller, fields=DEV, price_ht=Decimal(45), effective_from=TODAY, by=None
    )
    product.refresh_from_db()
    assert product.vat_rate == 0


def test_a_vat_rate_under_the_293b_franchise_is_refused_and_nothing_is_written(
    franchise_seller,
):
    with pytest.raises(ValidationError) as exc:
        services.create_product(
            seller=franchise_seller,
            fields=DEV | {"vat_rate": Decimal("0.20")},
            price_ht=Decimal(45),
            effective_from=TODAY,
            by=None,
        )
    assert set(exc.value.message_dict) == {"vat_rate"}
    assert "TVA non applicable, art. 293 B du CGI" in exc.value.message_dict["vat_rate"][0]
    assert nothing_written()


def test_a_seller_charging_vat_may_use_a_reduced_rate(seller):
    product = make_product(seller, vat_rate=Decimal("0.055"))
    product.refresh_from_db()
    assert product.vat_rate == Decimal("0.055")


def test_errors_of_the_product_and_of_its_price_are_named_together(seller):
    with pytest.raises(ValidationError) as exc:
        services.create_product(
            seller=seller,
            fields=DEV | {"code": "pas un code", "vat_rate": Decimal("1.5")},
            price_ht=Decimal("-1"),
            effective_from=TODAY,
            by=None,
        )
    assert set(exc.value.message_dict) == {"code", "vat_rate", "unit_price_ht"}
    assert nothing_written()


def test_a_price_with_more_than_four_decimals_is_refused(seller):
    with pytest.raises(ValidationError) as exc:
        make_product(seller, price_ht=Decimal("0.00351"))
    assert set(exc.value.message_dict) == {"unit_price_ht"}
    assert nothing_written()


def test_a_code_is_unique_per_seller_only(seller):
    make_product(seller, code="site-vitrine")
    with pytest.raises(ValidationError) as exc:
        make_product(seller, code="site-vitrine")
    assert "déjà utilisé" in exc.value.message_dict["code"][0]
    assert Product.objects.count() == 1
    make_product(make_seller(), code="site-vitrine")  # another seller's catalog
    assert Product.objects.count() == 2


def test_the_database_refuses_a_duplicate_code_too(seller):
    product = make_product(seller, code="site-vitrine")
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(
            seller=seller, code="site-vitrine", name="Double", unit="flat", vat_rate=0
        )
    assert Product.objects.get() == product


def test_a_metered_product_needs_its_consumption_unit(seller):
    with pytest.raises(ValidationError) as exc:
        make_product(seller, unit="metered")
    assert set(exc.value.message_dict) == {"metered_unit"}
    product = make_product(seller, unit="metered", metered_unit="Go·mois", price_ht="0.0150")
    assert product.metered_unit == "Go·mois"


def test_options_and_guarantees_are_checked(seller):
    with pytest.raises(ValidationError) as exc:
        make_product(seller, options=[{"code": "x"}], guarantees=[""])
    assert set(exc.value.message_dict) == {"options", "guarantees"}


def test_unknown_fields_are_refused_by_name(seller):
    with pytest.raises(ValidationError) as exc:
        make_product(seller, unit_price_ht=Decimal(1), seller_id=3)
    assert set(exc.value.message_dict) == {"seller_id", "unit_price_ht"}
    assert nothing_written()


# --- price history ----------------------------------------------------------------------------


def test_a_price_change_adds_a_version_and_leaves_the_old_one_untouched(seller):
    staff = make_staff(seller, "sales")
    product = make_product(seller, price_ht="100.00", effective_from=date(2026, 1, 1))
    first = product.price_versions.get()
    first_values = PriceVersion.objects.filter(pk=first.pk).values().get()

    new = services.change_price(
        product=product, unit_price_ht=Decimal("110.00"), effective_from=date(2026, 6, 1), by=staff
    )

    assert PriceVersion.objects.filter(pk=first.pk).values().get() == first_values
    assert list(product.price_versions.values_list("effective_from", "unit_price_ht")) == [
        (date(2026, 1, 1), Decimal("100")),
        (date(2026, 6, 1), Decimal("110")),
    ]
    assert new.created_by == staff
    event = Event.objects.get(verb="product.price_changed")
    assert event.actor == staff
    assert event.summary == {
        "before": {
            "unit_price_ht": "100.00",
            "effective_from": "2026-01-01",
            "price_version_id": first.pk,
        },
        "after": {
            "unit_price_ht": "110.00",
            "effective_from": "2026-06-01",
            "price_version_id": new.pk,
        },
    }


def test_a_new_price_may_take_effect_today(seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    version = services.change_price(
        product=product, unit_price_ht=Decimal(120), effective_from=TODAY, by=None
    )
    assert version.effective_from == TODAY


@pytest.mark.parametrize(
    ("effective_from", "fragment"),
    [
        (date(2026, 6, 1), "prend déjà effet le 01/06/2026"),  # the date of an existing one
        (date(2026, 5, 15), "Le dernier prix prend effet le 01/06/2026"),  # before the latest
    ],
)
def test_a_price_on_an_existing_date_or_before_the_latest_is_refused(
    seller, effective_from, fragment
):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    services.change_price(
        product=product, unit_price_ht=Decimal(110), effective_from=date(2026, 6, 1), by=None
    )
    before = list(PriceVersion.objects.values())
    events = Event.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.change_price(
            product=product, unit_price_ht=Decimal(120), effective_from=effective_from, by=None
        )
    assert set(exc.value.message_dict) == {"effective_from"}
    assert fragment in exc.value.message_dict["effective_from"][0]
    assert list(PriceVersion.objects.values()) == before
    assert Event.objects.count() == events


def test_a_price_change_in_the_past_is_refused(seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.change_price(
            product=product, unit_price_ht=Decimal(120), effective_from=date(2026, 4, 30), by=None
        )
    assert "dans le passé" in exc.value.message_dict["effective_from"][0]
    assert product.price_versions.count() == 1


def test_a_bad_price_and_a_bad_date_are_both_named(seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.change_price(
            product=product, unit_price_ht=Decimal("-5"), effective_from=date(2025, 1, 1), by=None
        )
    assert set(exc.value.message_dict) == {"unit_price_ht", "effective_from"}
    assert product.price_versions.count() == 1
    assert not Event.objects.filter(verb="product.price_changed").exists()


def test_the_database_refuses_two_versions_on_one_day(seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceVersion.objects.create(
            product=product, unit_price_ht=Decimal(1), effective_from=date(2026, 1, 1)
        )


@pytest.mark.postgresql
def test_a_price_change_locks_the_product_row(seller):
    product = make_product(seller, effective_from=date(2026, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        services.change_price(
            product=product, unit_price_ht=Decimal(1), effective_from=TODAY, by=None
        )
    assert any(
        "FOR UPDATE" in q["sql"] and "catalog_product" in q["sql"] for q in queries.captured_queries
    )


# --- update and archive -----------------------------------------------------------------------


def test_update_records_what_changed(seller):
    product = make_product(seller, name="Avant", description="")
    services.update_product(
        product=product, fields={"name": "Après", "description": "Détail"}, by=None
    )
    product.refresh_from_db()
    assert (product.name, product.description) == ("Après", "Détail")
    event = Event.objects.get(verb="product.updated")
    assert event.summary == {
        "before": {"name": "Avant", "description": ""},
        "after": {"name": "Après", "description": "Détail"},
    }


def test_update_with_nothing_new_writes_nothing(seller):
    product = make_product(seller, name="Même")
    services.update_product(product=product, fields={"name": "Même"}, by=None)
    assert not Event.objects.filter(verb="product.updated").exists()


@pytest.mark.parametrize(("field", "value"), [("code", "autre-code"), ("unit", "day")])
def test_code_and_unit_never_change(seller, field, value):
    product = make_product(seller, code="site-vitrine", unit="flat")
    with pytest.raises(ValidationError) as exc:
        services.update_product(product=product, fields={field: value}, by=None)
    assert set(exc.value.message_dict) == {field}
    product.refresh_from_db()
    assert (product.code, product.unit) == ("site-vitrine", "flat")


def test_update_does_not_take_prices(seller):
    product = make_product(seller)
    with pytest.raises(ValidationError) as exc:
        services.update_product(product=product, fields={"unit_price_ht": Decimal(1)}, by=None)
    assert set(exc.value.message_dict) == {"unit_price_ht"}


def test_update_to_a_vat_rate_under_the_franchise_is_refused(franchise_seller):
    product = make_product(franchise_seller, name="Avant")
    with pytest.raises(ValidationError) as exc:
        services.update_product(
            product=product, fields={"vat_rate": Decimal("0.20"), "name": "Après"}, by=None
        )
    assert "art. 293 B" in exc.value.message_dict["vat_rate"][0]
    product.refresh_from_db()
    assert (product.vat_rate, product.name) == (0, "Avant")
    assert not Event.objects.filter(verb="product.updated").exists()


def test_archive_and_restore_are_audited(seller):
    product = make_product(seller)
    services.archive_product(product=product, by=None)
    product.refresh_from_db()
    assert product.active is False
    assert Event.objects.get(verb="product.archived").summary == {
        "before": {"active": True},
        "after": {"active": False},
    }
    services.archive_product(product=product, by=None)  # already archived: nothing to record
    assert Event.objects.filter(verb="product.archived").count() == 1
    services.restore_product(product=product, by=None)
    product.refresh_from_db()
    assert product.active is True
    assert Event.objects.filter(verb="product.restored").count() == 1
    assert product.price_versions.count() == 1  # prices stay
