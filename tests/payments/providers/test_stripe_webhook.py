"""Stripe webhooks: signed with Stripe's scheme (HMAC-SHA256 of ``t.payload``), checked by the
library's own verification, and said in clausier's words."""

import json
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clausier.payments.providers import EventKind, PaymentLink, WebhookRejected, stripe_gateway
from tests.payments.providers.stub import (
    STRIPE_WEBHOOK_SECRET,
    signed_stripe_delivery,
    stripe_event,
    stripe_signature_header,
)

LINK = PaymentLink(seller="atelier-web", payment="PAY-7", order="CMD-2025-0031")


def paid_session(stub) -> dict:
    checkout = stripe_gateway.create_checkout_session(
        amount=Decimal("49.90"),
        link=LINK,
        description="Commande CMD-2025-0031",
        success_url="https://clausier.test/ok",
        cancel_url="https://clausier.test/ko",
    )
    return stub.pay_session(checkout.reference)


def deliver(payload: bytes, *, secret=STRIPE_WEBHOOK_SECRET, timestamp=None):
    header = stripe_signature_header(payload, secret, timestamp)
    return stripe_gateway.parse_webhook(payload, header)


def test_paid_session_is_a_success_linked_to_its_order(provider_stub):
    session = paid_session(provider_stub)
    payload = stripe_event("checkout.session.completed", session, event_id="evt_1Paid")

    event = deliver(payload)

    assert event.kind == EventKind.SUCCEEDED
    assert event.event_id == "evt_1Paid"
    assert event.event_type == "checkout.session.completed"
    assert event.checkout_reference == session["id"]
    assert event.payment_reference == session["payment_intent"]
    assert event.amount == Decimal("49.90")
    assert event.currency == "EUR"
    assert event.link == LINK
    assert event.occurred_at.tzinfo is UTC
    assert abs(event.occurred_at - datetime.now(UTC)).total_seconds() < 60


def test_a_replayed_delivery_carries_the_same_event_id(provider_stub):
    payload = stripe_event("checkout.session.completed", paid_session(provider_stub))
    first = deliver(payload)
    again = deliver(payload, timestamp=int(time.time()) + 1)
    assert again.event_id == first.event_id
    assert again == first


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "No Stripe-Signature header"),
        ("", "No Stripe-Signature header"),
        ("garbage", "Unable to extract timestamp"),
        ("t=1700000000,v0=abc", "No signatures found with expected scheme"),
    ],
)
def test_a_delivery_without_a_usable_signature_is_refused(provider_stub, header, reason):
    payload = stripe_event("checkout.session.completed", paid_session(provider_stub))
    with pytest.raises(WebhookRejected, match=reason) as refused:
        stripe_gateway.parse_webhook(payload, header)
    assert refused.value.reason.startswith("signature: ")


def test_a_delivery_signed_with_another_secret_is_refused(provider_stub):
    payload = stripe_event("checkout.session.completed", paid_session(provider_stub))
    with pytest.raises(WebhookRejected, match="No signatures found matching"):
        deliver(payload, secret="whsec_someone_else")


def test_a_body_changed_after_signing_is_refused(provider_stub):
    session = paid_session(provider_stub)
    payload = stripe_event("checkout.session.completed", session)
    header = stripe_signature_header(payload, STRIPE_WEBHOOK_SECRET)
    forged = payload.replace(b'"amount_total": 4990', b'"amount_total": 499000')
    assert forged != payload
    with pytest.raises(WebhookRejected, match="No signatures found matching"):
        stripe_gateway.parse_webhook(forged, header)


def test_a_signature_older_than_the_tolerance_window_is_refused(provider_stub):
    payload = stripe_event("checkout.session.completed", paid_session(provider_stub))
    old = int(time.time()) - stripe_gateway.WEBHOOK_TOLERANCE_SECONDS - 5
    with pytest.raises(WebhookRejected, match="Timestamp outside the tolerance zone"):
        deliver(payload, timestamp=old)
    recent = int(time.time()) - stripe_gateway.WEBHOOK_TOLERANCE_SECONDS + 30
    assert deliver(payload, timestamp=recent).kind == EventKind.SUCCEEDED


def test_a_signed_body_that_is_not_json_is_refused(provider_stub):
    with pytest.raises(WebhookRejected, match="body is not JSON"):
        deliver(b"not json")


def session_object(**fields) -> dict:
    return {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "amount_total": 12000,
        "currency": "eur",
        "metadata": LINK.metadata(),
        "payment_intent": "pi_3Q",
        "payment_status": "paid",
        "status": "complete",
    } | fields


@pytest.mark.parametrize(
    ("event_type", "session", "kind"),
    [
        ("checkout.session.completed", session_object(), EventKind.SUCCEEDED),
        (
            "checkout.session.completed",
            session_object(payment_status="unpaid", payment_intent=None),
            EventKind.IGNORED,
        ),
        ("checkout.session.async_payment_succeeded", session_object(), EventKind.SUCCEEDED),
        (
            "checkout.session.async_payment_failed",
            session_object(payment_status="unpaid"),
            EventKind.FAILED,
        ),
        (
            "checkout.session.expired",
            session_object(status="expired", payment_status="unpaid", payment_intent=None),
            EventKind.CANCELLED,
        ),
    ],
)
def test_session_events_say_what_happened_to_the_payment(provider_stub, event_type, session, kind):
    event = deliver(stripe_event(event_type, session))
    assert event.kind == kind
    assert event.checkout_reference == "cs_test_a1"
    assert event.amount == Decimal("120.00")
    assert event.link == LINK


def test_a_refund_event_names_the_refund_and_the_payment(provider_stub):
    refund = {
        "id": "re_1",
        "object": "refund",
        "amount": 2500,
        "currency": "eur",
        "metadata": LINK.metadata(),
        "payment_intent": "pi_3Q",
        "status": "succeeded",
    }
    event = deliver(stripe_event("refund.created", refund))
    assert event.kind == EventKind.REFUNDED
    assert (event.refund_reference, event.payment_reference) == ("re_1", "pi_3Q")
    assert event.amount == Decimal("25.00")

    failed = deliver(
        stripe_event("refund.failed", refund | {"status": "failed", "failure_reason": "lost_card"})
    )
    assert failed.kind == EventKind.REFUND_FAILED
    assert failed.reason == "lost_card"


def test_a_card_declined_on_stripe_s_page_is_not_final(provider_stub):
    intent = {
        "id": "pi_3Q",
        "object": "payment_intent",
        "amount": 12000,
        "currency": "eur",
        "metadata": LINK.metadata(),
        "last_payment_error": {"code": "card_declined", "message": "Your card was declined."},
    }
    event = deliver(stripe_event("payment_intent.payment_failed", intent))
    assert event.kind == EventKind.IGNORED
    assert event.reason == "Your card was declined."


def test_other_events_are_ignored_but_verified(provider_stub):
    body, headers = signed_stripe_delivery("customer.created", {"id": "cus_1"})
    event = stripe_gateway.parse_webhook(body, headers["Stripe-Signature"])
    assert event.kind == EventKind.IGNORED
    assert event.metadata == {}
    assert event.link is None


def test_a_verified_event_missing_its_parts_is_refused(provider_stub):
    payload = json.dumps({"id": "evt_1", "type": "checkout.session.completed"}).encode()
    with pytest.raises(WebhookRejected, match="event without its"):
        deliver(payload)
