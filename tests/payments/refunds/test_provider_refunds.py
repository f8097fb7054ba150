"""Card and PayPal refunds through the provider (the local stub): settled with the
provider's refund reference, refused with its message and nothing half written, never more
than what is left refundable, once however often asked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing import services as invoicing_services
from clausier.kernel.errors import Conflict
from clausier.payments import services
from clausier.payments.models import Refund
from clausier.payments.providers import stripe_gateway
from clausier.payments.services.provider_refunds import idempotency_key
from tests.factories.payments import refund_owed, transfer
from tests.payments.refunds.helpers import online_payment
from tests.payments.test_services import issued

pytestmark = pytest.mark.django_db


def test_a_credit_note_on_an_invoice_paid_by_card_is_refunded_through_stripe(
    provider_stub, shop, shopper
):
    invoice = issued(shop, shopper, unit_price="100")  # 120,00 € TTC
    payment = online_payment(
        provider_stub, shop, shopper, amount="120.00", invoice=invoice, share="120.00"
    )
    note = invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    [refund] = Refund.objects.filter(payment=payment)
    assert (refund.method, refund.credit_note, refund.status) == ("card", note, "owed")

    refund = services.refund_through_provider(refund=refund, by=None)

    assert refund.status == "settled"
    assert refund.provider_reference in provider_stub.refunds
    assert refund.settled_on == timezone.localdate()
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("120.00"))
    intent = provider_stub.payment_intents[payment.provider_reference]
    assert intent["amount_refunded"] == 12000
    [call] = provider_stub.calls("POST", "/v1/refunds")
    assert call.headers["idempotency-key"] == f"clausier-refund-{shop.pk}-{refund.pk}-0"
    assert Event.objects.filter(verb="refund.refunded_by_provider", object_id=refund.pk).exists()


def test_a_partial_refund_of_client_credit_leaves_the_payment_partially_refunded(
    provider_stub, shop, shopper
):
    payment = online_payment(provider_stub, shop, shopper, amount="150.00")
    refund = services.record_refund_owed(payment=payment, amount="30", reason="Geste", by=None)
    services.refund_through_provider(refund=refund, by=None)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("partially_refunded", Decimal("30.00"))
    assert provider_stub.payment_intents[payment.provider_reference]["amount_refunded"] == 3000


def test_asked_twice_or_after_a_lost_answer_the_provider_refunds_once(provider_stub, shop, shopper):
    payment = online_payment(provider_stub, shop, shopper, amount="80.00")
    refund = services.record_refund_owed(payment=payment, amount="80", reason="Retour", by=None)
    # A first call reached Stripe but its answer was lost before it was recorded.
    lost = stripe_gateway.refund_payment(
        payment_reference=payment.provider_reference,
        amount=Decimal("80.00"),
        idempotency_key=idempotency_key(refund=refund),
    )
    refund = services.refund_through_provider(refund=refund, by=None)
    assert (refund.status, refund.provider_reference) == ("settled", lost.reference)
    assert len(provider_stub.refunds) == 1
    with pytest.raises(Conflict):
        services.refund_through_provider(refund=refund, by=None)
    assert len(provider_stub.refunds) == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("80.00")


def test_a_refusal_is_recorded_with_the_providers_message_and_tried_again_with_a_new_key(
    provider_stub, shop, shopper
):
    payment = online_payment(provider_stub, shop, shopper, amount="60.00")
    refund = services.record_refund_owed(payment=payment, amount="60", reason="Retour", by=None)
    provider_stub.failures = [
        (402, {"error": {"message": "Your card was declined.", "code": "card_declined"}})
    ]

    refund = services.refund_through_provider(refund=refund, by=None)

    assert (refund.status, refund.attempts) == ("failed", 1)
    assert "declined" in refund.failure_reason
    assert refund.provider_reference == ""
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("succeeded", Decimal("0.00"))

    refund = services.refund_through_provider(refund=refund, by=None)
    assert (refund.status, refund.failure_reason) == ("settled", "")
    keys = [c.headers["idempotency-key"] for c in provider_stub.calls("POST", "/v1/refunds")]
    prefix = f"clausier-refund-{shop.pk}-{refund.pk}"
    assert keys == [f"{prefix}-0", f"{prefix}-1"]


def test_never_more_than_what_is_left_refundable_and_the_provider_is_not_asked(
    provider_stub, shop, shopper
):
    payment = online_payment(provider_stub, shop, shopper, amount="50.00")
    first = services.record_refund_owed(payment=payment, amount="40", reason="Geste", by=None)
    services.refund_through_provider(refund=first, by=None)
    # A refund owed recorded before the first was settled, now beyond what is left.
    second = Refund.objects.create(
        seller=shop,
        client=shopper,
        payment=payment,
        amount=Decimal("20.00"),
        method="card",
        reason="Doublon",
    )
    with pytest.raises(Conflict, match="10,00"):
        services.refund_through_provider(refund=second, by=None)
    assert len(provider_stub.calls("POST", "/v1/refunds")) == 1
    second.refresh_from_db()
    assert second.status == "owed"


def test_a_paypal_payment_is_refunded_through_its_capture(provider_stub, shop, shopper):
    payment = online_payment(provider_stub, shop, shopper, method="paypal", amount="75.00")
    refund = services.record_refund_owed(payment=payment, amount="25", reason="Geste", by=None)
    refund = services.refund_through_provider(refund=refund, by=None)
    assert refund.status == "settled"
    assert refund.provider_reference
    assert provider_stub.captures[payment.provider_reference]["_refunded"] == 2500
    [call] = provider_stub.calls("POST", "/v2/payments/captures/")
    assert call.headers["paypal-request-id"] == f"clausier-refund-{shop.pk}-{refund.pk}-0"


def test_a_transfer_refund_is_not_sent_to_a_provider(provider_stub, shop, shopper):
    refund = refund_owed(transfer(shop, shopper, amount="20.00", on=date(2026, 5, 21)))
    with pytest.raises(Conflict):
        services.refund_through_provider(refund=refund, by=None)
    assert provider_stub.requests == []
