"""PayPal Orders v2 over httpx, against the local stub: token, create, approve, capture,
refund."""

from decimal import Decimal

import pytest

from clausier.payments.providers import (
    PaymentLink,
    Provider,
    ProviderRefused,
    ProviderUnavailable,
    paypal_gateway,
)

LINK = PaymentLink(seller="atelier-web", payment="PAY-9", invoice="F-2025-0200", order="CMD-12")


def create(link=LINK, amount=Decimal("250.005")):
    return paypal_gateway.create_order(
        amount=amount,
        link=link,
        description="Facture F-2025-0200",
        return_url="https://clausier.test/portail/paypal/retour",
        cancel_url="https://clausier.test/portail/paypal/annule",
        brand_name="Atelier Web",
    )


def test_order_asks_for_the_exact_amount_with_the_link_back(provider_stub):
    checkout = create()

    sent = provider_stub.calls("POST", "/v2/checkout/orders")[-1]
    body = sent.json()
    assert body["intent"] == "CAPTURE"
    unit = body["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "EUR", "value": "250.01"}
    assert unit["custom_id"] == "atelier-web|PAY-9|F-2025-0200|CMD-12"
    assert unit["invoice_id"] == "PAY-9"
    context = body["payment_source"]["paypal"]["experience_context"]
    assert context["return_url"] == "https://clausier.test/portail/paypal/retour"
    assert context["cancel_url"] == "https://clausier.test/portail/paypal/annule"
    assert context["user_action"] == "PAY_NOW"
    assert sent.headers["paypal-request-id"] == "order-PAY-9"

    assert checkout.provider == Provider.PAYPAL
    assert checkout.amount == Decimal("250.01")
    assert checkout.currency == "EUR"
    assert checkout.redirect_url == f"{provider_stub.url}/paypal/approve/{checkout.reference}"
    assert not checkout.paid
    assert checkout.link == LINK


def test_approve_link_reads_both_of_paypal_s_link_names():
    assert paypal_gateway.approve_link({"links": [{"rel": "approve", "href": "A"}]}) == "A"
    assert paypal_gateway.approve_link({"links": [{"rel": "payer-action", "href": "P"}]}) == "P"
    assert paypal_gateway.approve_link({}) == ""


def test_one_token_serves_many_calls_until_it_expires(provider_stub):
    checkout = create()
    paypal_gateway.get_order(checkout.reference)
    paypal_gateway.get_order(checkout.reference)
    assert len(provider_stub.calls("POST", "/v1/oauth2/token")) == 1
    token_call = provider_stub.calls("POST", "/v1/oauth2/token")[0]
    assert token_call.headers["authorization"].startswith("Basic ")
    assert token_call.body == b"grant_type=client_credentials"


def test_a_token_about_to_expire_is_renewed(provider_stub):
    provider_stub.token_lifetime = 30  # under the safety margin: never reused
    checkout = create()
    paypal_gateway.get_order(checkout.reference)
    assert len(provider_stub.calls("POST", "/v1/oauth2/token")) == 2


def test_a_token_paypal_no_longer_accepts_is_renewed_once(provider_stub):
    checkout = create()
    provider_stub.revoke_tokens()
    assert paypal_gateway.get_order(checkout.reference).reference == checkout.reference
    assert len(provider_stub.calls("POST", "/v1/oauth2/token")) == 2


def test_wrong_credentials_are_refused_with_paypal_s_message(provider_stub, settings):
    settings.PAYPAL_CLIENT_SECRET = "wrong"
    with pytest.raises(ProviderRefused, match="Client Authentication failed") as refused:
        create()
    assert (refused.value.status, refused.value.code) == (401, "invalid_client")


def test_an_order_cannot_be_captured_before_the_buyer_approves_it(provider_stub):
    checkout = create()
    with pytest.raises(ProviderRefused) as refused:
        paypal_gateway.capture_order(checkout.reference)
    assert (refused.value.status, refused.value.code) == (422, "ORDER_NOT_APPROVED")


def test_an_approved_order_is_captured_once(provider_stub):
    checkout = create()
    provider_stub.approve_order(checkout.reference)

    captured = paypal_gateway.capture_order(checkout.reference)
    again = paypal_gateway.capture_order(checkout.reference)

    assert captured.paid
    assert captured.status == "COMPLETED"
    assert captured.payment_reference in provider_stub.captures
    assert captured.amount == Decimal("250.01")
    assert captured.link == LINK
    assert again == captured
    assert len(provider_stub.captures) == 1


def test_an_order_captured_elsewhere_is_read_back(provider_stub):
    checkout = create()
    provider_stub.approve_order(checkout.reference)
    provider_stub.capture(provider_stub.orders[checkout.reference])  # the webhook path did it

    captured = paypal_gateway.capture_order(checkout.reference)

    assert captured.paid
    assert len(provider_stub.captures) == 1


def test_the_same_payment_reference_cannot_become_a_second_order(provider_stub):
    create()
    provider_stub._idempotent.clear()  # a new request, not a retry
    with pytest.raises(ProviderRefused) as refused:
        create()
    assert refused.value.code == "DUPLICATE_INVOICE_ID"


def test_partial_then_full_refund_and_no_more(provider_stub):
    checkout = create(amount=Decimal("100"))
    provider_stub.approve_order(checkout.reference)
    capture = paypal_gateway.capture_order(checkout.reference).payment_reference

    partial = paypal_gateway.refund_capture(
        payment_reference=capture, amount=Decimal("40"), link=LINK, idempotency_key="RF-9"
    )
    assert (partial.amount, partial.currency, partial.succeeded) == (Decimal("40.00"), "EUR", True)
    sent = provider_stub.calls("POST", f"/v2/payments/captures/{capture}/refund")[-1]
    assert sent.json()["amount"] == {"currency_code": "EUR", "value": "40.00"}
    assert sent.headers["paypal-request-id"] == "RF-9"

    with pytest.raises(ProviderRefused) as refused:
        paypal_gateway.refund_capture(payment_reference=capture, amount=Decimal("60.01"))
    assert refused.value.code == "REFUND_AMOUNT_EXCEEDED"

    rest = paypal_gateway.refund_capture(payment_reference=capture)
    assert rest.amount == Decimal("60.00")
    with pytest.raises(ProviderRefused) as refused:
        paypal_gateway.refund_capture(payment_reference=capture)
    assert refused.value.code == "CAPTURE_FULLY_REFUNDED"


def test_a_refund_is_positive(provider_stub):
    with pytest.raises(ValueError, match="a refund is positive"):
        paypal_gateway.refund_capture(payment_reference="2GG279541U471931P", amount=Decimal("0"))


def test_paypal_down_is_unavailable_not_refused(provider_stub):
    provider_stub.failures = [(503, {"name": "SERVICE_UNAVAILABLE"})]
    with pytest.raises(ProviderUnavailable, match="PayPal failed \\(503\\)"):
        create()


def test_paypal_unreachable_is_unavailable(provider_stub, settings):
    settings.PAYPAL_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(ProviderUnavailable, match="PayPal unreachable"):
        create()
