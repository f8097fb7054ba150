"""Stripe Checkout through the official library, against the local stub."""

from decimal import Decimal

import pytest

from clausier.payments.providers import (
    PaymentLink,
    Provider,
    ProviderRefused,
    ProviderUnavailable,
    stripe_gateway,
)

LINK = PaymentLink(seller="atelier-web", payment="PAY-2025-0042", invoice="F-2025-0107")


def create(**overrides):
    arguments = {
        "amount": Decimal("1234.565"),
        "link": LINK,
        "description": "Facture F-2025-0107",
        "success_url": "https://clausier.test/portail/paiement/ok?session={CHECKOUT_SESSION_ID}",
        "cancel_url": "https://clausier.test/portail/paiement/annule",
        "customer_email": "client@example.fr",
    } | overrides
    return stripe_gateway.create_checkout_session(**arguments)


def test_checkout_session_charges_the_exact_amount_with_the_link_back(provider_stub):
    checkout = create()

    sent = provider_stub.calls("POST", "/v1/checkout/sessions")[-1]
    params = sent.form()
    assert sent.headers["authorization"] == "Bearer sk_test_clausier_stub"
    assert params["mode"] == "payment"
    assert params["line_items"] == [
        {
            "quantity": "1",
            "price_data": {
                "currency": "eur",
                "unit_amount": "123457",  # 1234.565 rounded half up to 1234.57
                "product_data": {"name": "Facture F-2025-0107"},
            },
        }
    ]
    expected = {"seller": "atelier-web", "payment": "PAY-2025-0042", "invoice": "F-2025-0107"}
    assert params["metadata"] == expected
    assert params["payment_intent_data"]["metadata"] == expected
    assert params["client_reference_id"] == "PAY-2025-0042"
    assert params["success_url"].endswith("?session={CHECKOUT_SESSION_ID}")
    assert params["cancel_url"] == "https://clausier.test/portail/paiement/annule"
    assert params["customer_email"] == "client@example.fr"

    assert checkout.provider == Provider.STRIPE
    assert checkout.reference.startswith("cs_test_")
    assert checkout.amount == Decimal("1234.57")
    assert checkout.currency == "EUR"
    assert checkout.status == "open"
    assert not checkout.paid
    assert checkout.redirect_url == f"{provider_stub.url}/pay/{checkout.reference}"
    assert checkout.link == LINK


def test_the_same_payment_asked_twice_makes_one_session(provider_stub):
    first = create()
    second = create()
    assert second.reference == first.reference
    assert len(provider_stub.sessions) == 1
    keys = {r.headers["idempotency-key"] for r in provider_stub.calls("POST", "/v1/checkout")}
    assert keys == {"checkout-PAY-2025-0042"}


def test_retrieve_tells_when_the_session_is_paid(provider_stub):
    checkout = create()
    provider_stub.pay_session(checkout.reference)

    paid = stripe_gateway.retrieve_checkout_session(checkout.reference)

    assert paid.paid
    assert paid.status == "complete"
    assert paid.payment_reference.startswith("pi_")
    assert paid.link == LINK


def test_expired_session_can_no_longer_be_paid(provider_stub):
    checkout = create()
    expired = stripe_gateway.expire_checkout_session(checkout.reference)
    assert expired.status == "expired"
    with pytest.raises(ProviderRefused, match="Only open sessions") as refused:
        stripe_gateway.expire_checkout_session(checkout.reference)
    assert refused.value.status == 400


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("0.49"), "Stripe charges 0.50 EUR at least"),
        (Decimal("1000000.00"), "above the largest charge"),
    ],
)
def test_amounts_stripe_refuses_are_refused_before_calling_it(provider_stub, amount, message):
    with pytest.raises(ValueError, match=message):
        create(amount=amount)
    assert provider_stub.requests == []


def test_partial_then_full_refund_and_no_more(provider_stub):
    checkout = create(amount=Decimal("100.00"))
    intent = provider_stub.pay_session(checkout.reference)["payment_intent"]

    partial = stripe_gateway.refund_payment(
        payment_reference=intent, amount=Decimal("30.005"), link=LINK, idempotency_key="RF-1"
    )
    assert partial.amount == Decimal("30.01")
    assert partial.succeeded
    assert partial.payment_reference == intent
    assert provider_stub.calls("POST", "/v1/refunds")[-1].form() == {
        "payment_intent": intent,
        "amount": "3001",
        "metadata": LINK.metadata(),
    }

    again = stripe_gateway.refund_payment(
        payment_reference=intent, amount=Decimal("30.005"), idempotency_key="RF-1"
    )
    assert again.reference == partial.reference  # a retried call refunds once

    with pytest.raises(ProviderRefused) as refused:
        stripe_gateway.refund_payment(payment_reference=intent, amount=Decimal("70.00"))
    assert refused.value.code == "amount_too_large"

    rest = stripe_gateway.refund_payment(payment_reference=intent)
    assert rest.amount == Decimal("69.99")
    with pytest.raises(ProviderRefused) as refused:
        stripe_gateway.refund_payment(payment_reference=intent)
    assert refused.value.code == "charge_already_refunded"


def test_a_wrong_key_is_refused_with_stripe_s_message(provider_stub, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"
    with pytest.raises(ProviderRefused, match="Invalid API Key") as refused:
        create()
    assert refused.value.status == 401


def test_stripe_down_is_unavailable_not_refused(provider_stub):
    down = {"error": {"type": "api_error", "message": "An unknown error occurred"}}
    provider_stub.failures = [(500, down)] * (stripe_gateway.NETWORK_RETRIES + 1)
    with pytest.raises(ProviderUnavailable, match="Stripe unavailable"):
        stripe_gateway.retrieve_checkout_session("cs_test_x")
