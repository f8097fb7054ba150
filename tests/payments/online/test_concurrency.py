"""On PostgreSQL: the same Stripe success event delivered 100 times at once is processed once:
one payment, one success, one order paid."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connections

from clausier.audit.models import Event
from clausier.orders.models import Order, OrderStatus
from clausier.payments.models import Payment, ProviderEvent
from clausier.payments.providers import stripe_gateway
from clausier.payments.services.checkout import start_order_checkout
from clausier.payments.services.provider_events import receive_provider_event
from tests.factories import make_client
from tests.factories.orders import awaiting_payment, install_paas
from tests.payments.providers.stub import signed_stripe_delivery

DELIVERIES = 100
WORKERS = 16


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_stripe_success_delivered_100_times_at_once_is_one_payment(provider_stub):
    paas = install_paas()
    order = awaiting_payment(paas, make_client(paas, kind="consumer"))
    started = start_order_checkout(
        order=order,
        provider="stripe",
        urls=lambda p: (f"https://x.test/{p.pk}/ok", f"https://x.test/{p.pk}/ko"),
        by=None,
    )
    paid = provider_stub.pay_session(started.payment.provider_reference)
    body, headers = signed_stripe_delivery("checkout.session.completed", paid, event_id="evt_100")
    gate = Barrier(WORKERS)

    def deliver(index: int) -> bool:
        try:
            if index < WORKERS:
                gate.wait()
            event = stripe_gateway.parse_webhook(body, headers["Stripe-Signature"])
            return receive_provider_event(event=event, payload=body)[1]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        processed = list(pool.map(deliver, range(DELIVERIES)))

    assert processed.count(True) == 1
    assert ProviderEvent.objects.count() == 1
    assert Payment.objects.get().status == "succeeded"
    assert Event.objects.filter(verb="payment.succeeded").count() == 1
    assert Event.objects.filter(verb="order.paid").count() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
