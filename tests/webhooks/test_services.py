"""Endpoints (created, changed, secret rotated: audited without the secret) and emitted
events (one delivery per active endpoint subscribed, queued after the commit)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from clausier.audit.models import Event
from clausier.webhooks import selectors, services
from clausier.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests.factories import make_seller

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)


def test_given_a_seller_when_it_adds_an_endpoint_then_a_secret_is_generated_and_audited(
    seller, staff
):
    endpoint = services.create_endpoint(
        seller=seller,
        url="https://runtime.example.test/hooks",
        events=["service.terminate", "service.activate"],
        by=staff,
        description="PaaS runtime",
    )
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.events == ["service.activate", "service.terminate"]  # canonical order
    event = Event.objects.get(verb="webhook.endpoint_created")
    assert event.actor == staff
    assert event.summary["after"]["url"] == "https://runtime.example.test/hooks"
    assert endpoint.secret not in json.dumps(event.summary)


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://runtime.example.test/hooks", ["service.activate"], "url"),
        ("https://runtime.example.test/hooks", [], "events"),
        ("https://runtime.example.test/hooks", ["invoice.paid"], "events"),
    ],
)
def test_an_invalid_endpoint_is_refused_naming_the_field(seller, staff, url, events, field):
    with pytest.raises(ValidationError) as exc:
        services.create_endpoint(seller=seller, url=url, events=events, by=staff)
    assert field in exc.value.message_dict
    assert not WebhookEndpoint.objects.exists()
    assert not Event.objects.filter(verb__startswith="webhook.").exists()


def test_rotating_the_secret_changes_it_and_is_audited_without_it(endpoint, staff):
    old = endpoint.secret
    endpoint = services.rotate_secret(endpoint=endpoint, by=staff)
    assert endpoint.secret != old
    assert endpoint.secret.startswith("whsec_")
    event = Event.objects.get(verb="webhook.secret_rotated")
    assert endpoint.secret not in json.dumps(event.summary)


def test_updating_an_endpoint_records_what_changed(endpoint, staff):
    services.update_endpoint(endpoint=endpoint, fields={"active": False}, by=staff)
    event = Event.objects.get(verb="webhook.endpoint_updated")
    assert event.summary == {"before": {"active": True}, "after": {"active": False}}
    with pytest.raises(ValidationError) as exc:
        services.update_endpoint(endpoint=endpoint, fields={"secret": "whsec_x"}, by=staff)
    assert "secret" in exc.value.message_dict


def test_given_endpoints_when_an_event_is_emitted_then_each_active_subscriber_gets_a_delivery(
    seller, staff, endpoint, django_capture_on_commit_callbacks
):
    services.create_endpoint(
        seller=seller, url="https://other.example.test/", events=["service.suspend"], by=staff
    )
    inactive = services.create_endpoint(
        seller=seller, url="https://off.example.test/", events=["service.activate"], by=staff
    )
    services.update_endpoint(endpoint=inactive, fields={"active": False}, by=staff)
    other_seller = make_seller("another-host")
    services.create_endpoint(
        seller=other_seller,
        url="https://theirs.example.test/",
        events=["service.activate"],
        by=None,
    )

    with django_capture_on_commit_callbacks() as callbacks:
        [delivery] = services.emit(
            seller=seller,
            event_type="service.activate",
            payload={"order_id": 7, "name": "Émilie"},
            subject="order:7",
            now=AT,
        )

    assert len(callbacks) == 1  # the first attempt is queued after the commit only
    assert delivery.endpoint == endpoint
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        None,
    )
    assert delivery.msg_id.startswith("msg_")
    assert delivery.payload == {
        "type": "service.activate",
        "timestamp": "2026-05-12T07:30:00Z",
        "data": {"order_id": 7, "name": "Émilie"},
    }
    assert json.loads(delivery.body) == delivery.payload
    assert Event.objects.filter(verb="webhook.queued", object_id=str(delivery.pk)).exists()
    assert list(selectors.deliveries_for_seller(seller=seller, subject="order:7")) == [delivery]


def test_an_unknown_event_type_is_refused(seller, endpoint):
    with pytest.raises(ValidationError) as exc:
        services.emit(seller=seller, event_type="service.explode", payload={})
    assert "event_type" in exc.value.message_dict
    assert not WebhookDelivery.objects.exists()


def test_another_sellers_endpoint_or_delivery_is_a_404(seller, endpoint):
    [delivery] = services.emit(seller=seller, event_type="service.activate", payload={})
    stranger = make_seller("stranger-host")
    with pytest.raises(Http404):
        selectors.endpoint_for_seller(seller=stranger, endpoint_id=endpoint.pk)
    with pytest.raises(Http404):
        selectors.delivery_for_seller(seller=stranger, delivery_id=delivery.pk)
    assert selectors.delivery_for_seller(seller=seller, delivery_id=delivery.pk) == delivery
