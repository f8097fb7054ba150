"""Row locks on PostgreSQL: a payment hook called twice at once pays the order once, and
a webhook delivery run by two workers at once is sent once."""

from __future__ import annotations

import pytest

from clausier.audit.models import Event
from clausier.orders.models import OrderStatus
from clausier.payments import services as payment_services
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import DeliveryStatus
from clausier.webhooks.tasks import deliver
from tests.factories import make_client
from tests.factories.orders import awaiting_payment, install_paas
from tests.factories.quotes import paris
from tests.quotes.test_concurrency import run_together
from tests.webhooks.receiver import Receiver

needs_row_locks = pytest.mark.postgresql


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_the_same_payment_notified_twice_at_once_pays_the_order_once():
    paas = install_paas()
    order = awaiting_payment(paas, make_client(paas, kind="consumer"))
    received = paris(2026, 5, 8, 14, 30)

    def pay():
        return payment_services.record_payment(
            order=order,
            received_at=received,
            provider="stripe",
            reference="ch_twice",
            amount=order.total_ttc,
            by=None,
            now=paris(2026, 5, 8, 15),
        ).order

    results = run_together(pay, pay)

    assert [r.status for r in results] == [OrderStatus.PAID, OrderStatus.PAID]
    assert Event.objects.filter(verb="order.paid", object_id=str(order.pk)).count() == 1


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_a_delivery_run_by_two_workers_at_once_is_sent_once():
    paas = install_paas()
    with Receiver() as receiver:
        webhook_services.create_endpoint(
            seller=paas, url=receiver.url, events=["service.activate"], by=None
        )
        [delivery] = webhook_services.emit(
            seller=paas, event_type="service.activate", payload={"order_id": 1}
        )
        at = paris(2026, 5, 12, 9).isoformat()

        results = run_together(
            lambda: deliver.call(delivery_id=delivery.pk, now=at),
            lambda: deliver.call(delivery_id=delivery.pk, now=at),
        )

    assert sorted(r["attempted"] for r in results) == [False, True]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 1)
