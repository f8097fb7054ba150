"""PayPal webhooks: signed SHA256withRSA with a test key whose self-signed certificate the stub
serves at PAYPAL-CERT-URL, verified offline by the real code."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clausier.payments.providers import EventKind, PaymentLink, WebhookRejected, paypal_webhook
from tests.payments.providers.stub import (
    CERT_PATH,
    make_signing_key,
    paypal_event,
    paypal_signed_headers,
    signed_paypal_delivery,
)

LINK = PaymentLink(seller="atelier-web", payment="PAY-9", invoice="F-2025-0200")


def capture_resource(**fields) -> dict:
    return {
        "id": "42311647XV020574X",
        "status": "COMPLETED",
        "amount": {"currency_code": "EUR", "value": "250.01"},
        "final_capture": True,
        "custom_id": LINK.custom_id(),
        "invoice_id": "PAY-9",
        "supplementary_data": {"related_ids": {"order_id": "5O190127TN364715T"}},
    } | fields


def signed(stub, body: bytes, **overrides) -> dict[str, str]:
    arguments = {"key": stub.signing_key.private_key, "cert_url": stub.cert_url} | overrides
    return paypal_signed_headers(body, **arguments)


def deliver(stub, body: bytes, **overrides):
    return paypal_webhook.parse_webhook(body, signed(stub, body, **overrides))


def test_a_completed_capture_is_a_success_linked_to_its_invoice(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource(), event_id="WH-1")

    event = deliver(provider_stub, body)

    assert event.kind == EventKind.SUCCEEDED
    assert event.event_id == "WH-1"
    assert event.payment_reference == "42311647XV020574X"
    assert event.checkout_reference == "5O190127TN364715T"
    assert event.amount == Decimal("250.01")
    assert event.currency == "EUR"
    assert event.link == LINK
    assert event.occurred_at.tzinfo is UTC


def test_the_certificate_is_fetched_once_for_many_deliveries(provider_stub):
    for _ in range(3):
        body, headers = signed_paypal_delivery(
            provider_stub, "PAYMENT.CAPTURE.COMPLETED", capture_resource()
        )
        assert paypal_webhook.parse_webhook(body, headers).kind == EventKind.SUCCEEDED
    assert len(provider_stub.calls("GET", CERT_PATH)) == 1


def test_a_replayed_delivery_carries_the_same_event_id(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    first = deliver(provider_stub, body)
    again = deliver(provider_stub, body)  # PayPal's retry: new transmission, same event
    assert again.event_id == first.event_id


def test_a_delivery_signed_with_another_key_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    forger = make_signing_key()
    with pytest.raises(WebhookRejected, match="signature does not match"):
        deliver(provider_stub, body, key=forger.private_key)


def test_a_body_changed_after_signing_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    headers = signed(provider_stub, body)
    forged = body.replace(b'"250.01"', b'"2500.01"')
    with pytest.raises(WebhookRejected, match="signature does not match"):
        paypal_webhook.parse_webhook(forged, headers)


def test_a_delivery_signed_for_another_webhook_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    with pytest.raises(WebhookRejected, match="signature does not match"):
        deliver(provider_stub, body, webhook_id="WEBHOOK_OF_SOMEONE_ELSE")


def test_a_signature_that_is_not_base64_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    headers = signed(provider_stub, body) | {"PAYPAL-TRANSMISSION-SIG": "%%%"}
    with pytest.raises(WebhookRejected, match="not base64"):
        paypal_webhook.parse_webhook(body, headers)


def test_missing_headers_are_named(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    headers = signed(provider_stub, body)
    del headers["PAYPAL-CERT-URL"], headers["PAYPAL-TRANSMISSION-SIG"]
    with pytest.raises(WebhookRejected, match="PAYPAL-TRANSMISSION-SIG, PAYPAL-CERT-URL"):
        paypal_webhook.parse_webhook(body, headers)


def test_headers_are_read_in_any_case(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    headers = {name.title(): value for name, value in signed(provider_stub, body).items()}
    assert paypal_webhook.parse_webhook(body, headers).kind == EventKind.SUCCEEDED


def test_another_algorithm_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    headers = signed(provider_stub, body) | {"PAYPAL-AUTH-ALGO": "SHA1withRSA"}
    with pytest.raises(WebhookRejected, match="expected SHA256withRSA"):
        paypal_webhook.parse_webhook(body, headers)


@pytest.mark.parametrize(
    ("cert_url", "reason"),
    [
        ("https://evil.example.com/cert.pem", "'evil.example.com' is not in PAYPAL_CERT_HOSTS"),
        ("https://api.paypal.com.evil.example/c.pem", "is not in PAYPAL_CERT_HOSTS"),
        ("http://api.paypal.com/v1/notifications/certs/CERT-1", "is not https"),
    ],
)
def test_a_certificate_from_a_host_not_allowed_is_never_fetched(
    provider_stub, settings, cert_url, reason
):
    settings.PAYPAL_CERT_HOSTS = ["127.0.0.1", "api.paypal.com"]
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    with pytest.raises(WebhookRejected, match=reason):
        deliver(provider_stub, body, cert_url=cert_url)
    assert provider_stub.calls("GET", "/certs/") == []


def test_a_stub_certificate_is_refused_with_the_default_hosts(provider_stub, settings):
    settings.PAYPAL_CERT_HOSTS = ["api.paypal.com", "api.sandbox.paypal.com"]
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    with pytest.raises(WebhookRejected, match=r"'127\.0\.0\.1' is not in PAYPAL_CERT_HOSTS"):
        deliver(provider_stub, body)


def test_an_expired_certificate_is_refused(provider_stub):
    provider_stub.signing_key = make_signing_key(expired=True)
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    with pytest.raises(WebhookRejected, match="outside its validity dates"):
        deliver(provider_stub, body)


def test_a_certificate_url_serving_no_certificate_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    with pytest.raises(WebhookRejected, match="answered 404"):
        deliver(provider_stub, body, cert_url=f"{provider_stub.url}/certs/unknown.pem")


def test_a_transmission_older_than_the_window_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    old = datetime.now(UTC) - paypal_webhook.TRANSMISSION_TOLERANCE - timedelta(minutes=1)
    with pytest.raises(WebhookRejected, match="outside the tolerance window"):
        deliver(provider_stub, body, transmission_time=old)
    retry = datetime.now(UTC) - timedelta(days=2)  # PayPal retries for 3 days
    assert deliver(provider_stub, body, transmission_time=retry).kind == EventKind.SUCCEEDED


def test_a_transmission_from_the_future_is_refused(provider_stub):
    body = paypal_event("PAYMENT.CAPTURE.COMPLETED", capture_resource())
    later = datetime.now(UTC) + paypal_webhook.CLOCK_SKEW + timedelta(minutes=1)
    with pytest.raises(WebhookRejected, match="in the future"):
        deliver(provider_stub, body, transmission_time=later)


def refund_resource() -> dict:
    return {
        "id": "1JU08902781691411",
        "status": "COMPLETED",
        "amount": {"currency_code": "EUR", "value": "40.00"},
        "custom_id": LINK.custom_id(),
        "links": [
            {"rel": "self", "href": "https://api.paypal.com/v2/payments/refunds/1JU08902781691411"},
            {"rel": "up", "href": "https://api.paypal.com/v2/payments/captures/42311647XV020574X"},
        ],
    }


def test_a_refund_names_the_refund_and_the_capture(provider_stub):
    event = deliver(provider_stub, paypal_event("PAYMENT.CAPTURE.REFUNDED", refund_resource()))
    assert event.kind == EventKind.REFUNDED
    assert event.refund_reference == "1JU08902781691411"
    assert event.payment_reference == "42311647XV020574X"
    assert event.amount == Decimal("40.00")
    assert event.link == LINK
    reversed_ = deliver(provider_stub, paypal_event("PAYMENT.CAPTURE.REVERSED", refund_resource()))
    assert (reversed_.kind, reversed_.reason) == (EventKind.REFUNDED, "reversed")


def test_a_denied_capture_is_a_failure_with_its_reason(provider_stub):
    resource = capture_resource(status="DENIED", status_details={"reason": "DECLINED_BY_RISK"})
    event = deliver(provider_stub, paypal_event("PAYMENT.CAPTURE.DENIED", resource))
    assert event.kind == EventKind.FAILED
    assert event.reason == "DECLINED_BY_RISK"
    assert event.link == LINK


def test_order_events_say_approved_or_cancelled(provider_stub):
    order = {
        "id": "5O190127TN364715T",
        "status": "APPROVED",
        "purchase_units": [
            {"custom_id": LINK.custom_id(), "amount": {"currency_code": "EUR", "value": "9.90"}}
        ],
    }
    approved = deliver(provider_stub, paypal_event("CHECKOUT.ORDER.APPROVED", order))
    assert approved.kind == EventKind.APPROVED
    assert approved.checkout_reference == "5O190127TN364715T"
    assert approved.amount == Decimal("9.90")
    assert approved.link == LINK
    voided = deliver(provider_stub, paypal_event("CHECKOUT.ORDER.VOIDED", order))
    assert voided.kind == EventKind.CANCELLED


def test_other_events_are_ignored_but_verified(provider_stub):
    event = deliver(provider_stub, paypal_event("CUSTOMER.DISPUTE.CREATED", {"dispute_id": "PP"}))
    assert event.kind == EventKind.IGNORED
    assert event.link is None


def test_a_signed_body_that_is_not_an_event_is_refused(provider_stub):
    with pytest.raises(WebhookRejected, match="not a PayPal event"):
        deliver(provider_stub, b"not json")
    with pytest.raises(WebhookRejected, match="event without its"):
        deliver(provider_stub, json.dumps({"id": "WH-1"}).encode())


def test_the_whole_flow_from_order_to_verified_capture_event(provider_stub):
    from clausier.payments.providers import paypal_gateway

    checkout = paypal_gateway.create_order(
        amount=Decimal("19.99"),
        link=LINK,
        description="Facture F-2025-0200",
        return_url="https://clausier.test/r",
        cancel_url="https://clausier.test/c",
    )
    provider_stub.approve_order(checkout.reference)
    captured = paypal_gateway.capture_order(checkout.reference)
    capture = provider_stub.public(provider_stub.captures[captured.payment_reference])

    event = deliver(provider_stub, paypal_event("PAYMENT.CAPTURE.COMPLETED", capture))

    assert event.kind == EventKind.SUCCEEDED
    assert event.payment_reference == captured.payment_reference
    assert event.checkout_reference == checkout.reference
    assert event.amount == Decimal("19.99")
    assert event.link == LINK
