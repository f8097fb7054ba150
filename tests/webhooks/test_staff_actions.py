"""What staff do to webhooks besides configuring them: delete an endpoint that never sent
anything (one with a delivery log is kept), send a delivery again now ("renvoyer"), and the
reads of the settings screen (endpoints with their counts, the log filtered)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from clausier.audit.models import Event
from clausier.webhooks import domain, selectors, services
from clausier.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookEndpoint
from tests.webhooks.receiver import Receiver, standard_webhooks_valid

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)


def emit_one(seller, event_type="service.activate", subject="order:1"):
    [delivery] = services.emit(
        seller=seller, event_type=event_type, payload={"order_id": 1}, subject=subject, now=AT
    )
    return delivery


def fail_every_attempt(delivery):
    """Attempt the delivery at each retry time until it fails (the receiver answers 500)."""
    at = AT
    for _ in range(domain.MAX_ATTEMPTS):
        result = services.deliver_now(delivery_id=delivery.pk, now=at)
        at = result.next_attempt_at
    delivery.refresh_from_db()
    return delivery


@pytest.fixture
def failing():
    with Receiver(statuses=[500] * domain.MAX_ATTEMPTS) as server:
        yield server


@pytest.fixture
def failing_endpoint(seller, staff, failing):
    return services.create_endpoint(
        seller=seller, url=failing.url, events=["service.activate"], by=staff
    )


# --- delete ----------------------------------------------------------------------------------


def test_an_endpoint_that_never_sent_anything_is_deleted_and_audited_without_its_secret(
    seller, staff, endpoint
):
    secret = endpoint.secret
    services.delete_endpoint(endpoint=endpoint, by=staff)
    assert not WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    event = Event.objects.get(verb="webhook.endpoint_deleted")
    assert event.actor == staff
    assert event.summary["before"]["url"] == endpoint.url
    assert secret not in json.dumps(event.summary)


def test_an_endpoint_with_deliveries_keeps_its_log_and_is_not_deleted(seller, staff, endpoint):
    emit_one(seller)
    emit_one(seller)
    with pytest.raises(services.EndpointInUse) as exc:
        services.delete_endpoint(endpoint=endpoint, by=staff)
    assert "a 2 envois dans le journal" in str(exc.value)
    assert "désactivez cette destination" in str(exc.value)
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert not Event.objects.filter(verb="webhook.endpoint_deleted").exists()


# --- send again ------------------------------------------------------------------------------


def test_given_a_failed_delivery_when_staff_send_it_again_then_it_is_delivered_with_same_id(
    seller, staff, failing_endpoint, failing, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    delivery = fail_every_attempt(emit_one(seller))
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, domain.MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.retry_delivery(delivery=delivery, by=staff, now=AT + timedelta(days=1))

    assert len(callbacks) == 1  # the attempt is queued after the commit
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED  # the receiver answers 200 now
    assert delivery.attempts == domain.MAX_ATTEMPTS + 1
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == domain.MAX_ATTEMPTS + 1
    first, *_, last = failing.requests
    assert last.headers["webhook-id"] == first.headers["webhook-id"] == delivery.msg_id
    assert standard_webhooks_valid(
        secret=failing_endpoint.secret, headers=last.headers, body=last.body
    )
    event = Event.objects.get(verb="webhook.retry_requested")
    assert event.actor == staff
    assert event.summary["before"] == {"status": "failed", "next_attempt_at": None}
    assert event.summary["after"]["status"] == "pending"


def test_a_delivery_waiting_for_its_retry_is_due_at_once_when_sent_again(
    seller, staff, failing_endpoint, django_capture_on_commit_callbacks
):
    delivery = emit_one(seller)
    services.deliver_now(delivery_id=delivery.pk, now=AT)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == AT + timedelta(minutes=1)

    with django_capture_on_commit_callbacks() as callbacks:
        services.retry_delivery(delivery=delivery, by=staff, now=AT + timedelta(seconds=5))

    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at) == (DeliveryStatus.PENDING, None)
    assert selectors.due_delivery_ids(now=AT + timedelta(seconds=5)) == [delivery.pk]


def test_a_delivered_delivery_is_not_sent_again(seller, staff, endpoint, receiver):
    delivery = emit_one(seller)
    services.deliver_now(delivery_id=delivery.pk, now=AT)
    delivery.refresh_from_db()
    with pytest.raises(services.DeliveryNotRetryable) as exc:
        services.retry_delivery(delivery=delivery, by=staff)
    assert "a déjà été livré le 12/05/2026 09:30" in str(exc.value)  # Paris time
    assert len(receiver.requests) == 1
    assert not Event.objects.filter(verb="webhook.retry_requested").exists()


def test_a_delivery_to_a_disabled_endpoint_is_not_sent_again(seller, staff, failing_endpoint):
    delivery = fail_every_attempt(emit_one(seller))
    services.update_endpoint(endpoint=failing_endpoint, fields={"active": False}, by=staff)
    with pytest.raises(services.DeliveryNotRetryable) as exc:
        services.retry_delivery(delivery=delivery, by=staff)
    assert "est désactivée : réactivez-la avant de renvoyer" in str(exc.value)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_delivery_whose_attempt_is_in_flight_is_not_sent_twice(seller, staff, endpoint):
    delivery = emit_one(seller)
    # A worker claimed the attempt and is waiting for the receiver's answer.
    services._claim(delivery.pk, AT)
    with pytest.raises(services.DeliveryNotRetryable) as exc:
        services.retry_delivery(delivery=delivery, by=staff, now=AT + timedelta(seconds=3))
    assert "est en cours" in str(exc.value)
    # Once its lease is over (the worker died), it may be sent again.
    later = AT + domain.LEASE + timedelta(seconds=1)
    services.retry_delivery(delivery=delivery, by=staff, now=later)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is None


# --- reads -----------------------------------------------------------------------------------


def test_endpoints_come_with_their_delivery_counts_in_one_query(
    seller, staff, failing_endpoint, django_assert_num_queries
):
    idle = services.create_endpoint(
        seller=seller, url="https://idle.example.test/", events=["service.suspend"], by=staff
    )
    fail_every_attempt(emit_one(seller))
    emit_one(seller)
    with django_assert_num_queries(1):
        endpoints = {e.pk: e for e in selectors.endpoints_with_stats(seller=seller)}
    busy = endpoints[failing_endpoint.pk]
    assert (busy.sent, busy.pending, busy.failed) == (2, 1, 1)
    assert busy.last_delivery_at is not None
    assert (endpoints[idle.pk].sent, endpoints[idle.pk].last_delivery_at) == (0, None)


def test_the_log_is_filtered_by_endpoint_and_event(seller, staff, endpoint):
    other = services.create_endpoint(
        seller=seller,
        url="https://other.example.test/",
        events=["service.activate", "service.terminate"],
        by=staff,
    )
    services.emit(seller=seller, event_type="service.activate", payload={}, subject="order:1")
    [terminated] = services.emit(
        seller=seller, event_type="service.terminate", payload={}, subject="order:2"
    )
    assert list(selectors.deliveries_for_seller(seller=seller, event_type="service.terminate")) == [
        terminated
    ]
    assert selectors.deliveries_for_seller(seller=seller, endpoint_id=other.pk).count() == 2
    assert selectors.deliveries_for_seller(seller=seller, endpoint_id=endpoint.pk).count() == 1
    assert selectors.subscribed_endpoints(seller=seller, event_type="service.terminate") == [other]
