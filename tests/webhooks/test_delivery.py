"""Deliveries to a real HTTP receiver: Standard Webhooks headers verified independently,
2xx delivers, anything else is logged and retried 1 min, 5 min, 30 min, 2 h, 8 h later,
then fails; delivering twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from clausier.audit.models import Event
from clausier.webhooks import services, transport
from clausier.webhooks.models import DeliveryStatus, WebhookAttempt
from clausier.webhooks.tasks import deliver, deliver_due
from tests.smtp import free_port
from tests.webhooks.receiver import standard_webhooks_valid

pytestmark = pytest.mark.django_db

AT = datetime(2026, 5, 12, 7, 30, tzinfo=UTC)
DELIVER_PATH = "clausier.webhooks.tasks.deliver"


def emit_one(seller, **payload):
    [delivery] = services.emit(
        seller=seller,
        event_type="service.activate",
        payload=payload or {"order_id": 1},
        subject="order:1",
        now=AT,
    )
    return delivery


def run(delivery, at):
    return deliver.call(delivery_id=delivery.pk, now=at.isoformat())


def test_given_a_delivery_when_it_runs_then_the_receiver_gets_the_signed_body(
    seller, endpoint, receiver
):
    delivery = emit_one(seller, order_id=42, client="Émilie Durand")

    result = run(delivery, AT)

    [request] = receiver.requests
    assert request.path == "/hooks/clausier"
    assert request.body == delivery.body.encode("utf-8")
    assert request.headers["webhook-id"] == delivery.msg_id
    assert request.headers["webhook-timestamp"] == str(int(AT.timestamp()))
    assert request.headers["content-type"] == "application/json"
    assert standard_webhooks_valid(
        secret=endpoint.secret, headers=request.headers, body=request.body
    )
    assert result == {
        "delivery_id": delivery.pk,
        "status": "succeeded",
        "attempted": True,
        "attempts": 1,
        "next_attempt_at": None,
        "response_code": 200,
    }
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.succeeded_at) == (
        DeliveryStatus.SUCCEEDED,
        1,
        AT,
    )
    assert (delivery.last_response_code, delivery.last_response_body) == (200, '{"ok": true}')
    [attempt] = WebhookAttempt.objects.filter(delivery=delivery)
    assert (attempt.number, attempt.response_code, attempt.next_attempt_at) == (1, 200, None)
    assert Event.objects.filter(verb="webhook.delivered", object_id=str(delivery.pk)).exists()


def test_delivering_an_already_delivered_webhook_does_nothing(seller, endpoint, receiver):
    delivery = emit_one(seller)
    run(delivery, AT)

    again = run(delivery, AT + timedelta(hours=1))

    assert len(receiver.requests) == 1
    assert again["attempted"] is False
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 1


@pytest.mark.tasks
def test_given_a_failing_receiver_when_it_recovers_then_the_retry_delivers(
    seller, endpoint, receiver, task_queue
):
    receiver.statuses[:] = [500]
    delivery = emit_one(seller)

    first = run(delivery, AT)

    # The 500 is logged and the retry is due one minute later, queued (the database and the
    # Redis queues both defer a task) to run after that time.
    assert first["status"] == "pending"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == AT + timedelta(minutes=1)
    assert (delivery.last_response_code, delivery.last_response_body) == (
        500,
        "upstream exploded",
    )
    # (the first attempt was queued too, at the commit of the emitting transaction)
    [queued] = [q for q in task_queue.queued(DELIVER_PATH) if q.run_after is not None]
    assert queued.run_after == AT + timedelta(minutes=1)
    assert queued.kwargs == {"delivery_id": delivery.pk}

    early = run(delivery, AT + timedelta(seconds=30))
    assert early["attempted"] is False
    assert len(receiver.requests) == 1

    second = run(delivery, AT + timedelta(minutes=1))

    assert second["status"] == "succeeded"
    assert second["attempts"] == 2
    first_request, retry = receiver.requests
    assert first_request.headers["webhook-id"] == retry.headers["webhook-id"]  # same message
    assert retry.headers["webhook-timestamp"] == str(int((AT + timedelta(minutes=1)).timestamp()))
    assert all(
        standard_webhooks_valid(secret=endpoint.secret, headers=r.headers, body=r.body)
        for r in receiver.requests
    )
    log = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.response_code, a.next_attempt_at) for a in log] == [
        (1, 500, AT + timedelta(minutes=1)),
        (2, 200, None),
    ]


def test_a_receiver_that_keeps_failing_is_retried_on_schedule_then_given_up(
    seller, endpoint, receiver
):
    receiver.statuses[:] = [500, 503, 500, 502, 500, 500]
    delivery = emit_one(seller)
    at = AT
    scheduled = []
    for _ in range(6):
        result = run(delivery, at)
        assert result["attempted"] is True
        delivery.refresh_from_db()
        scheduled.append(delivery.next_attempt_at and delivery.next_attempt_at - at)
        at = delivery.next_attempt_at or at

    assert scheduled == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=8),
        None,
    ]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 6)
    assert delivery.failed_at == AT + timedelta(hours=10, minutes=36)
    assert Event.objects.get(verb="webhook.failed").summary["after"]["attempts"] == 6
    assert run(delivery, at + timedelta(days=1))["attempted"] is False
    assert len(receiver.requests) == 6


def test_an_unreachable_endpoint_is_logged_and_retried(seller, staff, endpoint):
    services.update_endpoint(
        endpoint=endpoint, fields={"url": f"http://127.0.0.1:{free_port()}/hooks"}, by=staff
    )
    delivery = emit_one(seller)

    result = run(delivery, AT)

    assert (result["status"], result["response_code"]) == ("pending", None)
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert "Connection refused" in attempt.error or "refused" in attempt.error.lower()
    assert attempt.next_attempt_at == AT + timedelta(minutes=1)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(seller, endpoint, receiver):
    receiver.statuses[:] = [302]
    delivery = emit_one(seller)
    result = run(delivery, AT)
    assert (result["status"], result["response_code"]) == ("pending", 302)
    assert len(receiver.requests) == 1


def test_the_request_times_out_after_10_seconds(seller, endpoint, monkeypatch):
    seen = {}

    def fake_post(**kwargs):
        seen.update(kwargs)
        return transport.Response(status=204)

    monkeypatch.setattr(transport, "post", fake_post)
    run(emit_one(seller), AT)
    assert seen["timeout"] == 10


def test_a_rotated_secret_signs_the_next_attempts(seller, staff, endpoint, receiver):
    receiver.statuses[:] = [500]
    delivery = emit_one(seller)
    run(delivery, AT)
    endpoint = services.rotate_secret(endpoint=endpoint, by=staff)
    run(delivery, AT + timedelta(minutes=1))
    retry = receiver.requests[-1]
    assert standard_webhooks_valid(secret=endpoint.secret, headers=retry.headers, body=retry.body)


def test_a_delivery_to_a_deactivated_endpoint_fails_without_a_request(
    seller, staff, endpoint, receiver
):
    delivery = emit_one(seller)
    services.update_endpoint(endpoint=endpoint, fields={"active": False}, by=staff)
    result = run(delivery, AT)
    assert (result["status"], result["attempted"]) == ("failed", False)
    assert receiver.requests == []


def test_the_sweeper_attempts_only_the_due_deliveries(seller, endpoint, receiver):
    receiver.statuses[:] = [500]
    retried = emit_one(seller)
    run(retried, AT)  # fails: due again at AT + 1 min
    fresh = emit_one(seller)  # never attempted: due now

    counts = deliver_due.call(now=(AT + timedelta(seconds=10)).isoformat())

    assert counts == {"due": 1, "succeeded": 1, "failed": 0, "pending": 0}
    fresh.refresh_from_db()
    retried.refresh_from_db()
    assert (fresh.status, retried.status) == (DeliveryStatus.SUCCEEDED, DeliveryStatus.PENDING)

    counts = deliver_due.call(now=(AT + timedelta(minutes=1)).isoformat())
    assert counts == {"due": 1, "succeeded": 1, "failed": 0, "pending": 0}


def test_with_the_immediate_backend_the_delivery_leaves_after_the_commit(
    seller, endpoint, receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    receiver.statuses[:] = [500]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = emit_one(seller)
        assert receiver.requests == []  # nothing leaves before the commit

    # The immediate backend cannot defer a task (no run_after): the retry waits in the
    # delivery row for the sweeper, or for the task called at its time.
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=1)
    assert not DBTaskResult.objects.exists()

    result = deliver.call(delivery_id=delivery.pk, now=delivery.next_attempt_at.isoformat())

    assert result["status"] == "succeeded"
    assert len(receiver.requests) == 2


@pytest.mark.tasks
def test_the_worker_sends_the_delivery_queued_at_the_commit_and_defers_its_retry(
    seller, endpoint, receiver, task_queue, django_capture_on_commit_callbacks
):
    receiver.statuses[:] = [500, 200]
    with django_capture_on_commit_callbacks(execute=True):
        delivery = emit_one(seller)
    [queued] = task_queue.queued(DELIVER_PATH)
    assert (queued.kwargs, queued.run_after) == ({"delivery_id": delivery.pk}, None)
    assert receiver.requests == []  # queued, not sent: the worker sends it

    task_queue.work()

    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    [retry] = task_queue.queued(DELIVER_PATH)
    # On the next whole second (a queue may keep whole seconds only), never before its time.
    assert timedelta(0) <= retry.run_after - delivery.next_attempt_at < timedelta(seconds=1)
    task_queue.work()  # the retry is not due yet: the worker leaves it
    assert len(receiver.requests) == 1
    assert task_queue.queued(DELIVER_PATH) == [retry]
