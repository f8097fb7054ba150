"""A paid online order's service activated is a subscription (seed 000 art. 8), once."""

from __future__ import annotations

import pytest

from clausier.audit.models import Event
from clausier.metering import handlers
from clausier.metering.models import Subscription
from clausier.orders.events import ServiceActivated
from tests.factories.metering import ACTIVATED_AT, active_subscription

pytestmark = pytest.mark.django_db


def test_when_an_online_orders_service_is_activated_then_its_subscription_starts(
    paas, paas_company
):
    subscription = active_subscription(paas, paas_company, reference="ch_h1")

    order = subscription.order
    assert (subscription.seller, subscription.client) == (paas, paas_company)
    assert subscription.external_id == order.reference
    assert subscription.started_at == ACTIVATED_AT
    assert (subscription.status, subscription.billing_period) == ("active", "calendar_month")
    assert subscription.terms_version_id == order.terms_version_id
    assert subscription.terms_label == order.terms_label
    # The first metered line of the order is the offer (instance-app, seed catalog).
    assert subscription.order_line.product_code == "instance-app"
    assert subscription.offer.code == "instance-app"
    assert Event.objects.filter(
        verb="subscription.started", object_id=str(subscription.pk)
    ).exists()


def test_a_fact_delivered_twice_starts_one_subscription(paas, paas_company):
    subscription = active_subscription(paas, paas_company, reference="ch_h2")
    fact = ServiceActivated(
        order_id=subscription.order_id, seller_id=paas.pk, at=ACTIVATED_AT, payload={}
    )

    handlers.start_subscription(fact)

    assert Subscription.objects.filter(order_id=subscription.order_id).count() == 1


def test_a_cancelled_or_withdrawn_order_ends_its_subscription(paas, paas_company):
    from datetime import date
    from decimal import Decimal

    from clausier.orders.events import OrderCancelled
    from clausier.withdrawal.events import WithdrawalAccepted

    cancelled = active_subscription(paas, paas_company, reference="ch_h3")
    withdrawn = active_subscription(paas, paas_company, reference="ch_h4")

    handlers.end_cancelled_order(
        OrderCancelled(
            order_id=cancelled.order_id,
            seller_id=paas.pk,
            reference="ch_h3",
            reason="test",
            at=ACTIVATED_AT,
            by=None,
        )
    )
    handlers.end_withdrawn_order(
        WithdrawalAccepted(
            withdrawal_id=1,
            order_id=withdrawn.order_id,
            order_reference="ch_h4",
            seller_id=paas.pk,
            client_id=paas_company.pk,
            received_on=date(2026, 6, 2),
            amount_owed=Decimal("0"),
            refund_amount=Decimal("0"),
            refund_due_on=date(2026, 6, 16),
            at=ACTIVATED_AT,
            by=None,
        )
    )

    cancelled.refresh_from_db()
    withdrawn.refresh_from_db()
    assert (cancelled.status, withdrawn.status) == ("terminated", "terminated")
    ended = Event.objects.filter(verb="subscription.status_changed").order_by("id")
    assert [e.summary["trigger"] for e in ended] == ["order_cancelled", "withdrawal_accepted"]
