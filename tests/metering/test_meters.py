"""Meters and their dated prices: the shape of each price scheme checked before it is
written (the arithmetic is ``metering.domain``'s), each refusal naming the field and the
rule; a subscription moves by its state table; the subscriptions' screens."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clausier.kernel.errors import InvalidTransition
from clausier.metering import services
from clausier.metering.models import MeterPrice
from tests.factories.metering import meter

pytestmark = pytest.mark.django_db

JUNE = date(2026, 6, 1)


def price(m, scheme, tiers, **kwargs):
    return services.add_meter_price(
        meter=m,
        effective_from=kwargs.pop("on", JUNE),
        scheme=scheme,
        tiers=tiers,
        by=None,
        **kwargs,
    )


def test_price_versions_are_kept_with_their_tiers_as_exact_text(paas):
    m = meter(paas, "requests")

    first = price(m, "graduated", [(1000, Decimal("0.0035")), (None, Decimal("0.002"))])
    second = price(m, "per_unit", [(None, "0.003")], on=date(2026, 9, 1), free_allowance=100)

    assert first.tiers == [["1000", "0.0035"], [None, "0.002"]]
    assert (second.scheme, second.free_allowance) == ("per_unit", Decimal(100))
    assert list(MeterPrice.objects.filter(meter=m).values_list("effective_from", flat=True)) == [
        JUNE,
        date(2026, 9, 1),
    ]


@pytest.mark.parametrize(
    ("scheme", "tiers", "extra", "field", "message"),
    [
        ("graduated", [], {}, "tiers", "vide"),
        (
            "graduated",
            [(100, "1"), (50, "2"), (None, "3")],
            {},
            "tiers",
            "palier 2 : « jusqu'à » croît",
        ),
        ("graduated", [(None, "1"), (None, "2")], {}, "tiers", "palier 1 : seul le dernier"),
        ("graduated", [(100, "1")], {}, "tiers", "le dernier palier est ouvert"),
        (
            "volume",
            [(None, "-1")],
            {},
            "tiers",
            "palier 1 : le prix unitaire est un nombre positif",
        ),
        ("per_unit", [(10, "1"), (None, "2")], {}, "tiers", "« per_unit » a un seul palier"),
        ("package", [(None, "5")], {}, "package_size", "donne la taille du lot"),
        ("per_unit", [(None, "5")], {"package_size": 10}, "package_size", "seule la tarification"),
    ],
)
def test_a_badly_shaped_price_is_refused_naming_the_field(
    paas, scheme, tiers, extra, field, message
):
    m = meter(paas, "requests")

    with pytest.raises(ValidationError) as refused:
        price(m, scheme, tiers, **extra)

    assert message in " ".join(refused.value.message_dict[field])
    assert not MeterPrice.objects.exists()


def test_a_unique_count_meter_names_its_property(paas):
    with pytest.raises(ValidationError):
        meter(paas, "users", aggregation="unique_count")
    with pytest.raises(ValidationError) as refused:
        meter(paas, "bad", filters=["region"])
    assert "filters" in refused.value.message_dict


def test_a_subscription_moves_by_its_state_table(subscription):
    suspended = services.change_status(subscription=subscription, status="suspended", by=None)
    assert suspended.status == "suspended"
    terminated = services.change_status(subscription=suspended, status="terminated", by=None)
    assert terminated.status == "terminated"
    with pytest.raises(InvalidTransition):
        services.change_status(subscription=terminated, status="active", by=None)


def test_staff_see_the_subscriptions_and_a_subscription(client, paas, paas_staff, subscription):
    client.force_login(paas_staff)

    listed = client.get(reverse("backoffice:subscriptions", args=[paas.slug]))
    page = client.get(reverse("backoffice:subscription", args=[paas.slug, subscription.pk]))

    assert listed.status_code == 200
    assert subscription.external_id in listed.content.decode()
    assert "Studio Graphique Loire SARL" in listed.content.decode()
    assert page.status_code == 200
    assert subscription.order.reference in page.content.decode()
    assert "mois civil (Europe/Paris)" in page.content.decode()
    filtered = client.get(
        reverse("backoffice:subscriptions", args=[paas.slug]), {"status": "terminated"}
    )
    assert subscription.external_id not in filtered.content.decode()
