"""On PostgreSQL: the same provider success reported 100 times at once is one payment, and
success and failure reported out of order end in the right state."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connections

from clausier.audit.models import Event
from clausier.orders.models import Order, OrderStatus
from clausier.payments import services
from clausier.payments.models import Payment
from tests.factories import make_client
from tests.factories.orders import awaiting_payment, install_paas
from tests.factories.quotes import paris

REPORTS = 100
WORKERS = 16  # threads, each with its own connection, all reporting at once


def report(order, outcome: str, reference: str = "pi_concurrent"):
    try:
        return services.record_online_payment(
            seller=order.seller,
            client=order.client,
            order=order,
            provider="stripe",
            reference=reference,
            outcome=outcome,
            amount=order.total_ttc,
            received_at=paris(2026, 5, 8, 14, 30),
            reason="carte refusée" if outcome != "succeeded" else "",
            by=None,
            now=paris(2026, 5, 8, 15),
        )
    finally:
        connections.close_all()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_same_success_reported_100_times_at_once_is_one_payment():
    paas = install_paas()
    order = awaiting_payment(paas, make_client(paas, kind="consumer"))
    start = Barrier(WORKERS)

    def one(index: int):
        if index < WORKERS:
            start.wait()
        return report(order, "succeeded")

    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(one, range(REPORTS)))

    assert {r.pk for r in results} == {Payment.objects.get().pk}
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    assert Event.objects.filter(verb="order.paid").count() == 1
    assert Event.objects.filter(verb="payment.succeeded").count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_success_and_failure_out_of_order_end_in_the_right_state():
    paas = install_paas()
    # Success first, then the late failure of an earlier attempt: paid, the failure ignored.
    first = awaiting_payment(paas, make_client(paas, kind="consumer"))
    report(first, "succeeded", "pi_a")
    report(first, "failed", "pi_a")
    assert Payment.objects.get(provider_reference="pi_a").status == "succeeded"
    assert Order.objects.get(pk=first.pk).status == OrderStatus.PAID

    # Both at once, many times: whatever the order, the payment ends succeeded.
    second = awaiting_payment(paas, make_client(paas, kind="consumer"))
    outcomes = ["succeeded", "failed"] * 10
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(lambda outcome: report(second, outcome, "pi_b"), outcomes))
    payment = Payment.objects.get(provider_reference="pi_b")
    assert payment.status == "succeeded"
    order = Order.objects.get(pk=second.pk)
    # Paid when the success came first; cancelled (art. 5) when a failure did, the money
    # received then owed back to the client.
    if order.status == OrderStatus.CANCELLED:
        assert payment.refunds.get().status == "owed"
    else:
        assert order.status == OrderStatus.PAID
