"""Usage events ingested: each event checked on its own (the valid ones kept, each refusal
naming its index, id and reason), stored once per (seller, id) whatever the retries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clausier.audit.models import Event
from clausier.metering import limits, services
from clausier.metering.models import UsageEvent
from tests.factories.quotes import paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 6, 1, 12, 0)


def event(sub, n: int, **over):
    return {
        "id": f"evt-{n}",
        "subscription": sub.pk,
        "meter": "requests",
        "timestamp": "2026-06-01T09:00:00Z",
        "value": "3",
        "properties": {"region": "par"},
    } | over


def ingest(seller, events):
    return services.ingest(seller=seller, events=events, by=None, now=NOW)


def test_valid_events_are_stored_with_their_values(paas, subscription, requests_meter):
    result = ingest(paas, [event(subscription, 1), event(subscription, 2, value=2.5)])

    assert (result.accepted, result.duplicates, result.rejected) == (2, 0, [])
    stored = UsageEvent.objects.order_by("event_id")
    assert [(e.event_id, e.value) for e in stored] == [
        ("evt-1", Decimal("3")),
        ("evt-2", Decimal("2.5")),
    ]
    first = stored[0]
    assert (first.seller_id, first.subscription_id, first.meter_id) == (
        paas.pk,
        subscription.pk,
        requests_meter.pk,
    )
    assert first.timestamp == paris(2026, 6, 1, 11, 0)
    assert first.properties == {"region": "par"}
    assert first.received_at == NOW
    audit = Event.objects.get(verb="usage.ingested")
    assert audit.summary["after"] == {"accepted": 2, "duplicates": 0, "rejected": 0}


def test_a_subscription_is_named_by_its_external_id_or_its_clients_id(
    paas, paas_company, subscription, requests_meter
):
    result = ingest(
        paas,
        [
            event(subscription, 1, subscription=subscription.external_id),
            event(subscription, 2, subscription=None, client=paas_company.pk),
        ],
    )

    assert (result.accepted, result.rejected) == (2, [])
    assert set(UsageEvent.objects.values_list("subscription_id", flat=True)) == {subscription.pk}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "id : obligatoire"),
        ({"id": ""}, "id : obligatoire"),
        ({"id": "x" * 201}, "id : au plus 200 caractères"),
        ({"meter": "nope"}, "meter : compteur « nope » inconnu"),
        ({"meter": None}, "meter : obligatoire"),
        ({"subscription": 999_999}, "subscription : abonnement « 999999 » inconnu"),
        ({"subscription": "ORD-unknown"}, "subscription : abonnement « ORD-unknown » inconnu"),
        ({"subscription": None}, "subscription : obligatoire"),
        ({"subscription": None, "client": 999_999}, "client : aucun abonnement actif"),
        ({"subscription": None, "client": True}, "client : aucun abonnement actif"),
        ({"timestamp": "2026-06-01T09:00:00"}, "timestamp : une date et heure ISO 8601"),
        ({"timestamp": 1780000000}, "timestamp : une date et heure ISO 8601"),
        ({"timestamp": "2026-06-01T10:06:00Z"}, "timestamp : dans le futur"),
        ({"value": "-1"}, "value : négative, refusée par le compteur « requests »"),
        ({"value": "abc"}, "value : un nombre"),
        ({"value": True}, "value : un nombre"),
        ({"value": "NaN"}, "value : un nombre"),
        ({"value": "0.0000001"}, "value : un nombre"),
        ({"value": None}, "value : un nombre"),
        ({"properties": ["a"]}, "properties : un objet"),
        # Well formed, impossible: refused like the others, never an error for the batch.
        ({"timestamp": "2026-02-30T09:00:00Z"}, "timestamp : une date et heure ISO 8601"),
        ({"timestamp": "2026-06-01T25:00:00Z"}, "timestamp : une date et heure ISO 8601"),
        # Text the database cannot store (a lone surrogate, NUL) and ids no row can have.
        ({"id": "\ud800x"}, "id : au plus 200 caractères, en UTF-8 valide"),
        ({"meter": "\ud800"}, "meter : obligatoire"),
        ({"subscription": "\ud800"}, "subscription : abonnement « ? » inconnu"),
        ({"subscription": 10**20}, "subscription : abonnement « 100000000000000000000 » inconnu"),
        ({"subscription": None, "client": 10**20}, "client : aucun abonnement actif"),
        ({"properties": {"region": "p\x00r"}}, "properties : un objet"),
        ({"properties": {"nested": ["\ud800"]}}, "properties : un objet"),
        ({"properties": {"load": float("nan")}}, "properties : un objet"),
    ],
)
def test_each_rule_rejects_the_event_and_keeps_the_others(
    paas, subscription, requests_meter, change, reason
):
    result = ingest(paas, [event(subscription, 1), event(subscription, 2, **change)])

    assert result.accepted == 1
    [rejected] = result.rejected
    assert rejected.index == 1
    assert reason in rejected.reason
    assert list(UsageEvent.objects.values_list("event_id", flat=True)) == ["evt-1"]


def test_the_future_margin_is_a_setting(paas, subscription, requests_meter, settings):
    # 12:00 Paris is 10:00 UTC: an event at 10:04 UTC is within the 5 minutes' margin.
    assert ingest(paas, [event(subscription, 1, timestamp="2026-06-01T10:04:00Z")]).accepted == 1
    settings.METERING_FUTURE_MARGIN = timedelta(minutes=1)
    result = ingest(paas, [event(subscription, 2, timestamp="2026-06-01T10:04:00Z")])
    assert (result.accepted, len(result.rejected)) == (0, 1)


def test_a_non_object_an_unique_count_without_its_property_and_a_negative_allowed(
    paas, subscription, gauge_meter, users_meter
):
    result = ingest(
        paas,
        [
            "not an event",
            event(subscription, 1, meter="users", value=None, properties={}),
            event(subscription, 2, meter="users", value=None, properties={"user": "u1"}),
            event(subscription, 3, meter="credit", value="-2.5"),
        ],
    )

    assert result.accepted == 2
    assert [(r.index, r.id) for r in result.rejected] == [(0, None), (1, "evt-1")]
    assert "un événement est un objet JSON" in result.rejected[0].reason
    assert "« user » obligatoire" in result.rejected[1].reason
    values = dict(UsageEvent.objects.values_list("event_id", "value"))
    assert values == {"evt-2": Decimal("1"), "evt-3": Decimal("-2.5")}


def test_an_id_repeated_in_a_batch_counts_once(paas, subscription, requests_meter):
    result = ingest(paas, [event(subscription, 1), event(subscription, 1, value="9")])

    assert (result.accepted, result.duplicates) == (1, 1)
    assert UsageEvent.objects.get().value == Decimal("3")


def test_a_retried_batch_never_counts_twice(paas, subscription, requests_meter):
    batch = [event(subscription, n) for n in range(50)]
    assert (ingest(paas, batch).accepted, ingest(paas, batch).accepted) == (50, 0)

    again = ingest(paas, [*batch[:10], event(subscription, 50)])

    assert (again.accepted, again.duplicates) == (1, 10)
    assert UsageEvent.objects.count() == 51


def test_ids_are_per_seller(paas, subscription, requests_meter, seller, other_seller):
    from tests.factories.metering import meter

    meter(seller, "requests")
    ingest(paas, [event(subscription, 1)])

    result = ingest(seller, [event(subscription, 1)])

    # The other seller's subscription is unknown to this seller: refused, not a duplicate.
    assert (result.accepted, result.duplicates) == (0, 0)
    assert "inconnu" in result.rejected[0].reason


def test_a_batch_over_the_limit_is_refused_whole(paas, subscription, requests_meter):
    batch = [event(subscription, n) for n in range(limits.MAX_BATCH_EVENTS + 1)]

    with pytest.raises(ValidationError) as refused:
        ingest(paas, batch)

    assert "au plus 10000 événements par lot" in str(refused.value.message_dict["events"])
    assert not UsageEvent.objects.exists()


def test_a_full_batch_is_written_in_bulk(
    paas, subscription, requests_meter, django_assert_max_num_queries
):
    batch = [event(subscription, n) for n in range(limits.MAX_BATCH_EVENTS)]

    with django_assert_max_num_queries(30):
        result = ingest(paas, batch)

    assert result.accepted == limits.MAX_BATCH_EVENTS
    assert UsageEvent.objects.count() == limits.MAX_BATCH_EVENTS


def test_a_terminated_subscription_receives_no_more_usage(paas, subscription, requests_meter):
    services.change_status(subscription=subscription, status="suspended", by=None)
    # A suspended service may still report the tail of its last minutes.
    assert ingest(paas, [event(subscription, 1)]).accepted == 1

    services.change_status(subscription=subscription, status="terminated", by=None)
    result = ingest(paas, [event(subscription, 2)])

    assert result.accepted == 0
    assert "est résilié" in result.rejected[0].reason
    assert list(UsageEvent.objects.values_list("event_id", flat=True)) == ["evt-1"]


def test_a_batch_naming_many_subscriptions_finds_each_and_refuses_the_unknown(
    paas, subscription, requests_meter
):
    """Past a few dozen names the lookup goes as one array on PostgreSQL: same answers."""
    unknown_names = [f"sub-inconnu-{n}" for n in range(40)]
    unknown_ids = [subscription.pk + 1000 + n for n in range(40)]
    events = [
        event(subscription, 1, subscription=subscription.external_id),
        event(subscription, 2),
        *(event(subscription, 10 + n, subscription=name) for n, name in enumerate(unknown_names)),
        *(event(subscription, 100 + n, subscription=pk) for n, pk in enumerate(unknown_ids)),
    ]

    result = ingest(paas, events)

    assert result.accepted == 2
    assert [r.index for r in result.rejected] == list(range(2, 82))
    assert set(UsageEvent.objects.values_list("event_id", "subscription_id")) == {
        ("evt-1", subscription.pk),
        ("evt-2", subscription.pk),
    }
