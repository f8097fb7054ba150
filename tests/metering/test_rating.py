"""A subscription's period rated from the database: each priced meter's quantity (sum, max and
count by one grouped query, unique_count and time_weighted through the domain), rated under its
dated price versions; events outside the period, filtered out or of another seller ignored."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clausier.metering import services
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from clausier.metering.rating import rate_subscription, rate_subscriptions
from tests.factories.metering import active_subscription, meter

pytestmark = pytest.mark.django_db

OCT = datetime(2026, 10, 1, tzinfo=PARIS)
NOV = datetime(2026, 11, 1, tzinfo=PARIS)
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=PARIS)


def at(day, hour=12, month=10):
    return datetime(2026, month, day, hour, 0, tzinfo=PARIS)


def store(sub, meter_, rows, *, seller=None, prefix=None):
    """Events written as ingestion writes them (one bulk insert)."""
    prefix = prefix or f"{sub.pk}-{meter_.code}"
    UsageEvent.objects.bulk_create(
        UsageEvent(
            seller_id=(seller or sub.seller).pk,
            event_id=f"{prefix}-{n}",
            subscription=sub,
            meter=meter_,
            timestamp=when,
            value=D(str(value)),
            properties=props,
            received_at=NOW,
        )
        for n, (when, value, props) in enumerate(rows)
    )


def per_unit(meter_, unit_price, day=date(2026, 1, 1), **more):
    return services.add_meter_price(
        meter=meter_,
        effective_from=day,
        scheme="per_unit",
        tiers=[(None, D(unit_price))],
        by=None,
        **more,
    )


def line_of(rated, code):
    (line,) = [line for line in rated.lines if line.meter.code == code]
    return line


def test_a_sum_meter_is_the_sum_of_the_periods_events(paas, subscription, requests_meter):
    per_unit(requests_meter, "0.10")
    store(
        subscription,
        requests_meter,
        [
            (at(1, 0), 100, {}),
            (at(15), 50, {}),
            (at(31, 23), 7, {}),
            # outside [October, November): before, and exactly at the end
            (at(30, 23, month=9), 1000, {}),
            (NOV, 1000, {}),
        ],
    )

    rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    line = line_of(rated, "requests")
    assert line.quantity == D(157)
    assert line.amount == D("15.70")
    assert rated.total == D("15.70")
    assert (rated.subscription, rated.start, rated.end) == (subscription, OCT, NOV)
    labels = [str(step.label) for step in line.quantity_explained.steps]
    assert "3 événements dans la période" in labels
    assert "somme des valeurs = 157" in labels
    assert line.rated.value.total == D("15.70")


def test_max_and_count_meters(paas, subscription):
    storage = meter(paas, "storage", unit="Go", aggregation="max")
    calls = meter(paas, "calls", unit="appel", aggregation="count")
    per_unit(storage, "0.50")
    per_unit(calls, "0.01")
    store(subscription, storage, [(at(2), 10, {}), (at(9), 40, {}), (at(20), 25, {})])
    store(subscription, calls, [(at(d), 1, {}) for d in range(1, 31)])

    rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    assert line_of(rated, "storage").quantity == D(40)
    assert line_of(rated, "storage").amount == D("20.00")
    assert line_of(rated, "calls").quantity == D(30)
    assert line_of(rated, "calls").amount == D("0.30")
    assert rated.total == D("20.30")


def test_unique_count_and_time_weighted_meters(paas, subscription, users_meter):
    instances = meter(
        paas, "instances", unit="heure", aggregation="time_weighted", unique_property="instance"
    )
    per_unit(users_meter, "2")
    per_unit(instances, "0.04")
    store(
        subscription,
        users_meter,
        [(at(1), 1, {"user": "a"}), (at(2), 1, {"user": "b"}), (at(3), 1, {"user": "a"})],
    )
    store(
        subscription,
        instances,
        [
            # started in September: runs from the start of October until 11 October 12:00
            (at(20, month=9), 1, {"instance": "i-1"}),
            (at(11), 0, {"instance": "i-1"}),
            # a second instance for 10 hours
            (at(20, 8), 1, {"instance": "i-2"}),
            (at(20, 18), 0, {"instance": "i-2"}),
        ],
    )

    rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    assert line_of(rated, "users").quantity == D(2)
    assert line_of(rated, "users").amount == D("4.00")
    hours = D(10 * 24 + 12 + 10)
    assert line_of(rated, "instances").quantity == hours
    assert line_of(rated, "instances").amount == (hours * D("0.04")).quantize(D("0.01"))


def test_a_revision_inside_the_period_rates_it_in_two_parts(paas, subscription, requests_meter):
    per_unit(requests_meter, "0.10")
    per_unit(requests_meter, "0.20", day=date(2026, 10, 15))
    store(subscription, requests_meter, [(at(3), 100, {}), (at(14, 23), 10, {}), (at(20), 50, {})])

    with CaptureQueriesContext(connection) as queries:
        rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    line = line_of(rated, "requests")
    parts = line.rated.value.parts
    assert [(p.start, p.end, p.quantity, p.amount) for p in parts] == [
        (OCT, datetime(2026, 10, 15, tzinfo=PARIS), D(110), D("11.00")),
        (datetime(2026, 10, 15, tzinfo=PARIS), NOV, D(50), D("10.00")),
    ]
    assert line.quantity == D(160)
    assert line.amount == D("21.00")
    # meters, prices, one grouped query for the events (no rows read for sum meters)
    assert len(queries) == 3


def test_a_max_meter_split_by_a_revision_is_weighted_by_duration(paas, subscription):
    storage = meter(paas, "storage", unit="Go", aggregation="max")
    per_unit(storage, "1")
    per_unit(storage, "2", day=date(2026, 10, 16))
    store(subscription, storage, [(at(2), 31, {}), (at(20), 10, {})])

    line = line_of(rate_subscription(subscription=subscription, start=OCT, end=NOV), "storage")

    # 31 GB is the peak of the month, not 31 + 10, weighted by the parts' hours: 360 h at 1 €
    # and 385 h at 2 € (October lasts 745 h: the clocks go back on the 25th)
    assert line.quantity == D(31)
    assert [p.quantity for p in line.rated.value.parts] == [
        D(31) * 360 / 745,
        D(31) * 385 / 745,
    ]
    assert [p.amount for p in line.rated.value.parts] == [D("14.98"), D("32.04")]


def test_property_filters_keep_only_matching_events(paas, subscription):
    paris_requests = meter(paas, "requests-par", aggregation="sum", filters={"region": "par"})
    per_unit(paris_requests, "1")
    store(
        subscription,
        paris_requests,
        [(at(1), 5, {"region": "par"}), (at(2), 7, {"region": "ams"}), (at(3), 9, {})],
    )

    line = line_of(rate_subscription(subscription=subscription, start=OCT, end=NOV), "requests-par")

    assert line.quantity == D(5)
    assert "filtres : region = par" in [str(s.label) for s in line.quantity_explained.steps]


def test_meters_without_a_price_in_force_and_other_sellers_events_are_left_out(
    paas, subscription, requests_meter, other_seller
):
    later = meter(paas, "later")
    per_unit(later, "1", day=date(2026, 12, 1))  # takes effect after the period
    per_unit(requests_meter, "1")
    store(subscription, requests_meter, [(at(5), 3, {})])
    # a row of another seller naming this subscription is not its consumption
    store(subscription, requests_meter, [(at(6), 500, {})], seller=other_seller, prefix="x")
    store(subscription, later, [(at(5), 8, {})])

    rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    assert [line.meter.code for line in rated.lines] == ["requests"]
    assert rated.total == D("3.00")


def test_a_price_of_the_offer_wins_over_the_seller_wide_one(paas, subscription, requests_meter):
    per_unit(requests_meter, "1")
    per_unit(requests_meter, "0.50", offer=subscription.offer)
    store(subscription, requests_meter, [(at(5), 10, {})])

    rated = rate_subscription(subscription=subscription, start=OCT, end=NOV)

    assert rated.total == D("5.00")


def test_many_subscriptions_are_rated_in_one_grouped_query(paas, paas_company, requests_meter):
    per_unit(requests_meter, "1")
    subs = [active_subscription(paas, paas_company, reference=f"ch_{n}") for n in range(3)]
    for n, sub in enumerate(subs):
        store(sub, requests_meter, [(at(4), n + 1, {})])

    with CaptureQueriesContext(connection) as queries:
        rated = rate_subscriptions(subscriptions=subs, start=OCT, end=NOV)

    assert [r.total for r in rated] == [D("1.00"), D("2.00"), D("3.00")]
    assert [r.subscription for r in rated] == subs
    assert len(queries) == 3
