"""Activation of a paid online order (art. 8): the service starts and the PaaS runtime is
told by a signed ``service.activate`` webhook, sent after the commit by a task."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clausier.audit.models import Event
from clausier.kernel.errors import DomainError, InvalidTransition
from clausier.orders import services
from clausier.orders.models import OrderStatus
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.factories.orders import paid, recap
from tests.factories.quotes import paris
from tests.webhooks.receiver import Receiver, standard_webhooks_valid

pytestmark = pytest.mark.django_db

ACTIVATED_AT = paris(2026, 5, 12, 9, 0)  # 07:00 UTC


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def endpoint(paas, paas_staff, receiver):
    return webhook_services.create_endpoint(
        seller=paas,
        url=receiver.url,
        events=["service.activate", "service.terminate"],
        by=paas_staff,
        description="Runtime PaaS",
    )


def test_given_a_paid_order_when_the_service_is_activated_then_the_signed_webhook_is_sent(
    paas,
    paas_consumer,
    paas_staff,
    endpoint,
    receiver,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    order = paid(
        paas,
        paas_consumer,
        received_at=paris(2026, 5, 8, 14, 30),
        reference="ch_act",
        express_start=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        order = services.activate_service(order=order, by=paas_staff, now=ACTIVATED_AT)
        assert receiver.requests == []  # nothing leaves before the commit

    assert (order.status, order.started_at) == (OrderStatus.ACTIVE, ACTIVATED_AT)
    assert order.waiting_reason.why == "service actif"
    [request] = receiver.requests
    assert standard_webhooks_valid(
        secret=endpoint.secret, headers=request.headers, body=request.body
    )
    assert json.loads(request.body) == {
        "type": "service.activate",
        "timestamp": "2026-05-12T07:00:00Z",
        "data": {
            "order_id": order.pk,
            "reference": "C2026-000001",
            "client": {
                "id": paas_consumer.pk,
                "name": "Émilie Durand",
                "kind": "consumer",
                "email": "emilie.durand@example.test",
            },
            "lines": [
                {
                    "product_code": "instance-app",
                    "label": "Instance d'application (heure)",
                    "quantity": "720.000",
                    "unit": "metered",
                    "unit_label": "heure d'instance",
                },
                {
                    "product_code": "addon-postgresql",
                    "label": "Add-on base de données PostgreSQL",
                    "quantity": "1.000",
                    "unit": "month",
                    "unit_label": "mois",
                },
            ],
            "started_at": "2026-05-12T07:00:00+00:00",
        },
    }
    delivery = WebhookDelivery.objects.get(subject=f"order:{order.pk}")
    assert (delivery.status, delivery.attempts, delivery.msg_id) == (
        DeliveryStatus.SUCCEEDED,
        1,
        request.headers["webhook-id"],
    )
    event = Event.objects.get(verb="order.activated")
    assert event.actor == paas_staff
    assert event.summary["after"] == {
        "status": "active",
        "started_at": ACTIVATED_AT.isoformat(),
        "execution_deadline": "2026-05-20",
        "on_time": True,
    }


def test_an_activation_after_the_deadline_is_recorded_as_late(paas, paas_consumer):
    order = paid(
        paas,
        paas_consumer,
        received_at=paris(2026, 5, 8, 14, 30),
        reference="ch_late",
        express_start=True,
    )
    assert order.execution_deadline == date(2026, 5, 20)
    services.activate_service(order=order, by=None, now=paris(2026, 5, 21, 9))
    assert Event.objects.get(verb="order.activated").summary["after"]["on_time"] is False


def test_a_refused_activation_queues_no_webhook(paas, paas_consumer, endpoint):
    order = recap(paas, paas_consumer)
    with pytest.raises(InvalidTransition):
        services.activate_service(order=order, by=None, now=ACTIVATED_AT)
    assert not WebhookDelivery.objects.exists()
    order.refresh_from_db()
    assert (order.status, order.started_at) == (OrderStatus.DRAFT, None)


def test_an_unreachable_runtime_does_not_undo_the_activation(
    paas, paas_consumer, endpoint, receiver, immediate_tasks, django_capture_on_commit_callbacks
):
    receiver.statuses[:] = [503]
    order = paid(
        paas,
        paas_consumer,
        received_at=paris(2026, 5, 8, 14, 30),
        reference="ch_503",
        express_start=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        order = services.activate_service(order=order, by=None, now=ACTIVATED_AT)

    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    delivery = WebhookDelivery.objects.get(subject=f"order:{order.pk}")
    assert (delivery.status, delivery.last_response_code) == (DeliveryStatus.PENDING, 503)
    assert delivery.next_attempt_at is not None  # retried later, see tests/webhooks


def test_without_an_endpoint_the_activation_sends_nothing(paas, paas_consumer):
    order = paid(
        paas,
        paas_consumer,
        received_at=paris(2026, 5, 8, 14, 30),
        reference="ch_none",
        express_start=True,
    )
    order = services.activate_service(order=order, by=None, now=ACTIVATED_AT)
    assert order.status == OrderStatus.ACTIVE
    assert not WebhookDelivery.objects.exists()


# --- a consumer who did not ask for an early start (C. conso. L221-25) -----------------------


def test_a_consumer_without_express_start_is_served_only_after_the_withdrawal_period(
    paas, paas_consumer, paas_staff
):
    # Concluded Mon 04/05/2026: 14 days end on Mon 18/05/2026, so the service may start
    # on Tue 19/05; art. 8 alone would have allowed it until Wed 20/05 (Ascension skipped).
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 8, 14, 30), reference="ch_wait")

    with pytest.raises(DomainError) as refused:
        services.activate_service(order=order, by=paas_staff, now=paris(2026, 5, 18, 18, 0))
    assert "à partir du 19/05/2026" in str(refused.value)
    assert "L221-25" in str(refused.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert not Event.objects.filter(verb="order.activated").exists()

    order = services.activate_service(order=order, by=paas_staff, now=paris(2026, 5, 19, 9, 0))
    assert order.status == OrderStatus.ACTIVE


def test_the_execution_deadline_waits_for_the_end_of_the_withdrawal_period(paas, paas_consumer):
    # Paid on the conclusion day, Mon 04/05: art. 8 gives 7 jours ouvrés (8 May and
    # Ascension skipped), i.e. Fri 15/05, before the withdrawal period ends (Mon 18/05).
    order = paid(paas, paas_consumer, received_at=paris(2026, 5, 4, 11, 0), reference="ch_early")

    assert order.execution_deadline == date(2026, 5, 19)
    assert "L221-25" in order.execution_deadline_explanation["why"]
    assert order.execution_deadline_explanation["withdrawal"]["value"] == "2026-05-19"


def test_a_professional_client_starts_on_the_art_8_deadline_alone(paas, paas_company):
    order = paid(paas, paas_company, received_at=paris(2026, 5, 4, 11, 0), reference="ch_pro")

    assert order.execution_deadline == date(2026, 5, 15)
    assert "withdrawal" not in order.execution_deadline_explanation
