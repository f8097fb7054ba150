"""The stub's pay pages, as a browser test would use them: paying sends the provider's signed
webhook (which the real verification accepts) and returns the client to clausier."""

import time
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx

from clausier.payments.providers import (
    EventKind,
    PaymentLink,
    paypal_gateway,
    paypal_webhook,
    stripe_gateway,
)
from tests.webhooks.receiver import Receiver

LINK = PaymentLink(seller="atelier-web", payment="PAY-55", invoice="F-2025-0300")


def wait_for(receiver: Receiver, count: int = 1):
    deadline = time.monotonic() + 10
    while len(receiver.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(receiver.requests) >= count, "no webhook delivered"
    return receiver.requests[count - 1]


def test_paying_on_stripe_s_page_sends_a_verifiable_event_and_returns(provider_stub):
    checkout = stripe_gateway.create_checkout_session(
        amount=Decimal("80"),
        link=LINK,
        description="Facture F-2025-0300",
        success_url="https://clausier.test/ok?session={CHECKOUT_SESSION_ID}",
        cancel_url="https://clausier.test/ko",
    )
    with Receiver() as receiver:
        provider_stub.webhook_targets["stripe"] = receiver.url
        assert "Payer" in httpx.get(checkout.redirect_url).text
        answer = httpx.post(checkout.redirect_url, data={"action": "pay"})
        delivered = wait_for(receiver)

    assert answer.status_code == 303
    assert answer.headers["location"] == f"https://clausier.test/ok?session={checkout.reference}"
    event = stripe_gateway.parse_webhook(delivered.body, delivered.headers["stripe-signature"])
    assert event.kind == EventKind.SUCCEEDED
    assert event.checkout_reference == checkout.reference
    assert event.link == LINK


def test_cancelling_on_stripe_s_page_returns_to_the_cancel_url(provider_stub):
    checkout = stripe_gateway.create_checkout_session(
        amount=Decimal("80"),
        link=LINK,
        description="Facture F-2025-0300",
        success_url="https://clausier.test/ok",
        cancel_url="https://clausier.test/ko",
    )
    answer = httpx.post(checkout.redirect_url, data={"action": "cancel"})
    assert answer.headers["location"] == "https://clausier.test/ko"
    assert not stripe_gateway.retrieve_checkout_session(checkout.reference).paid


def test_approving_on_paypal_s_page_sends_a_verifiable_event_and_returns(provider_stub):
    checkout = paypal_gateway.create_order(
        amount=Decimal("80"),
        link=LINK,
        description="Facture F-2025-0300",
        return_url="https://clausier.test/paypal/retour",
        cancel_url="https://clausier.test/paypal/annule",
    )
    with Receiver() as receiver:
        provider_stub.webhook_targets["paypal"] = receiver.url
        answer = httpx.post(checkout.redirect_url, data={"action": "pay"})
        delivered = wait_for(receiver)

    location = urlsplit(answer.headers["location"])
    assert location.path == "/paypal/retour"
    assert parse_qs(location.query)["token"] == [checkout.reference]
    event = paypal_webhook.parse_webhook(delivered.body, delivered.headers)
    assert event.kind == EventKind.APPROVED
    assert event.checkout_reference == checkout.reference
    assert paypal_gateway.capture_order(checkout.reference).paid
