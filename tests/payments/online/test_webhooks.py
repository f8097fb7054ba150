"""The online payment flow against the providers' local stub: the portal's "Payer" buttons,
the webhooks verified with the providers' real signatures, each event processed once, out of
order events never moving a state backwards, a failed card payment cancelling the PaaS order
(seed 000 art. 5)."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing import services as invoicing_services
from clausier.orders.models import Order, OrderStatus
from clausier.payments import selectors
from clausier.payments.models import Payment, ProviderEvent, Refund
from clausier.payments.providers.config import TEST_KEYS_HELP
from clausier.payments.services import refund_through_provider
from clausier.payments.ui.checkout import cancel_token
from tests.factories import make_client, make_contact, make_issued_invoice
from tests.factories.orders import awaiting_payment, install_paas
from tests.payments.online.conftest import post_paypal, post_raw, post_stripe
from tests.payments.providers.stub import stripe_event, stripe_signature_header

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


def start(client, contact, url: str, provider: str = "stripe") -> Payment:
    client.force_login(contact.user)
    response = client.post(url, {"provider": provider})
    assert response.status_code == 200, text(response)
    payment = Payment.objects.get(client=contact.client, status="pending")
    assert payment.provider_reference in text(response)  # the provider's page, next
    return payment


def pay_invoice(client, shop, shopper, provider: str = "stripe"):
    invoice = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])
    contact = make_contact(shopper)
    payment = start(client, contact, reverse("portal:invoice_pay", args=[invoice.pk]), provider)
    return invoice, contact, payment


def test_a_client_pays_an_invoice_by_card_and_the_event_counts_once(client, stub, shop, shopper):
    invoice, _contact, payment = pay_invoice(client, shop, shopper)
    assert payment.amount == Decimal("120.00")
    session = stub.sessions[payment.provider_reference]
    assert session["amount_total"] == 12000
    assert session["metadata"]["invoice"] == str(invoice.pk)

    # Back from Stripe before the webhook: the page says the confirmation is coming.
    page = text(client.get(reverse("portal:checkout_return", args=[payment.pk])))
    assert "Paiement reçu, confirmation en cours" in page

    paid = stub.pay_session(payment.provider_reference)
    answer = post_stripe(client, "checkout.session.completed", paid, event_id="evt_paid")
    assert answer.status_code == 200
    assert answer.json()["duplicate"] is False
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert selectors.invoice_balance(invoice=invoice) == 0
    events = Event.objects.count()

    # The same event delivered again: 200, nothing changes.
    again = post_stripe(client, "checkout.session.completed", paid, event_id="evt_paid")
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert Event.objects.count() == events
    assert ProviderEvent.objects.filter(event_id="evt_paid").count() == 1
    assert payment.allocations.count() == 1

    page = text(client.get(reverse("portal:checkout_return", args=[payment.pk])))
    assert "Paiement reçu : merci !" in page
    assert "Voir le reçu" in page
    receipt = text(client.get(reverse("portal:payment", args=[payment.pk])))
    assert invoice.number in receipt


def test_a_bad_signature_is_refused_with_400_and_logged(client, stub, shop, shopper, caplog):
    _invoice, _contact, payment = pay_invoice(client, shop, shopper)
    paid = stub.pay_session(payment.provider_reference)
    body = stripe_event("checkout.session.completed", paid)
    forged = stripe_signature_header(body, "whsec_not_the_secret")
    with caplog.at_level(logging.WARNING, logger="clausier.payments"):
        answer = post_raw(client, "/webhooks/stripe/", body, {"Stripe-Signature": forged})
    assert answer.status_code == 400
    assert "signature" in answer.json()["error"]
    assert any("stripe webhook refused" in r.getMessage() for r in caplog.records)
    # A stale signature (beyond the tolerance window) is refused as well.
    stale = stripe_signature_header(body, "whsec_clausier_stub_secret", timestamp=1_000_000)
    assert (
        post_raw(client, "/webhooks/stripe/", body, {"Stripe-Signature": stale}).status_code == 400
    )
    assert not ProviderEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_the_webhooks_take_post_only_and_no_csrf_token(client, stub):
    assert client.get("/webhooks/stripe/").status_code == 405
    assert client.get("/webhooks/paypal/").status_code == 405
    enforcing = client_class(enforce_csrf_checks=True)
    answer = enforcing.post("/webhooks/stripe/", data=b"{}", content_type="application/json")
    assert answer.status_code == 400  # refused for its signature, not for CSRF


def client_class(**kwargs):
    from django.test import Client

    return Client(**kwargs)


def test_out_of_order_events_never_move_a_state_backwards(client, stub, shop, shopper):
    invoice, _contact, payment = pay_invoice(client, shop, shopper)
    paid = stub.pay_session(payment.provider_reference)
    expired = dict(paid, status="expired", payment_status="unpaid")
    post_stripe(client, "checkout.session.completed", paid)
    late = post_stripe(client, "checkout.session.expired", expired)
    assert late.status_code == 200
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert Event.objects.filter(verb="payment.outcome_ignored").count() == 1
    assert selectors.invoice_balance(invoice=invoice) == 0

    # The other way round: expired first, then the success is money received all the same.
    other, _contact, second = pay_invoice(client, shop, shopper)
    paid = stub.pay_session(second.provider_reference)
    post_stripe(client, "checkout.session.expired", dict(paid, status="expired"))
    second.refresh_from_db()
    assert second.status == "cancelled"
    post_stripe(client, "checkout.session.completed", paid)
    second.refresh_from_db()
    assert second.status == "succeeded"
    assert selectors.invoice_balance(invoice=other) == 0


def paas_order(client, provider: str = "stripe"):
    paas = install_paas()
    customer = make_client(paas, kind="consumer")
    order = awaiting_payment(paas, customer)
    contact = make_contact(customer)
    page = text(client_logged(client, contact).get(reverse("portal:order", args=[order.pk])))
    assert "Payer par carte" in page
    assert "Payer avec PayPal" in page
    payment = start(client, contact, reverse("portal:order_pay", args=[order.pk]), provider)
    assert payment.amount == order.total_ttc
    assert payment.order_id == order.pk
    return order, contact, payment


def client_logged(client, contact):
    client.force_login(contact.user)
    return client


def test_a_failed_card_payment_cancels_the_paas_order_with_the_reason(client, stub, db):
    order, _contact, payment = paas_order(client)
    session = dict(stub.sessions[payment.provider_reference])
    answer = post_stripe(client, "checkout.session.async_payment_failed", session)
    assert answer.status_code == 200
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "failed"
    assert order.status == OrderStatus.CANCELLED
    assert "paiement refusé par le prestataire" in order.cancellation_reason
    assert "art. 5" in order.cancellation_reason.lower() or "5" in order.cancellation_reason
    portal = text(client.get(reverse("portal:order", args=[order.pk])))
    assert "paiement refusé par le prestataire" in portal


def test_a_card_payment_pays_the_paas_order_and_its_invoice(client, stub, db):
    order, _contact, payment = paas_order(client)
    paid = stub.pay_session(payment.provider_reference)
    post_stripe(client, "checkout.session.completed", paid)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.execution_deadline is not None
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payment.allocations.count() == 1  # the invoice issued on payment


def test_the_cancel_page_cancels_the_payment_and_the_order(client, stub, db):
    order, _contact, payment = paas_order(client)
    # Only the address given to the provider cancels: another site's link is a 404.
    forged = client.get(reverse("portal:checkout_cancel", args=[payment.pk, "0" * 32]))
    assert forged.status_code == 404
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    cancel = reverse("portal:checkout_cancel", args=[payment.pk, cancel_token(payment)])
    assert stub.sessions[payment.provider_reference]["cancel_url"].endswith(cancel)
    page = text(client.get(cancel))
    assert "Paiement annulé" in page
    assert "paiement annulé par le client" in page
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == "cancelled"
    assert order.status == OrderStatus.CANCELLED
    assert stub.sessions[payment.provider_reference]["status"] == "expired"
    # Stripe then reports the session expired: nothing more happens.
    expired = dict(stub.sessions[payment.provider_reference])
    assert post_stripe(client, "checkout.session.expired", expired).status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def test_paypal_approved_is_captured_then_completed_pays_and_refunded_settles(
    client, stub, shop, shopper
):
    invoice, _contact, payment = pay_invoice(client, shop, shopper, provider="paypal")
    approved = stub.approve_order(payment.provider_reference)
    answer = post_paypal(client, stub, "CHECKOUT.ORDER.APPROVED", approved)
    assert answer.status_code == 200, answer.content
    assert len(stub.captures) == 1
    capture = stub.public(next(iter(stub.captures.values())))
    payment.refresh_from_db()
    assert payment.status == "pending"  # the capture's own event records it

    post_paypal(client, stub, "PAYMENT.CAPTURE.COMPLETED", capture)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert selectors.invoice_balance(invoice=invoice) == 0

    # A credit note on the paid invoice owes a refund; PayPal's refund event settles it.
    invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    owed = Refund.objects.get(payment=payment)
    assert owed.status == "owed"
    refund = stub.refund_capture(capture["id"], {})
    for _ in range(2):  # delivered twice (same event id): settled once
        post_paypal(client, stub, "PAYMENT.CAPTURE.REFUNDED", refund, event_id="WH-REFUND")
    owed.refresh_from_db()
    payment.refresh_from_db()
    assert owed.status == "settled"
    assert owed.reference == refund["id"]
    assert payment.status == "refunded"


def test_a_paypal_delivery_with_a_bad_signature_is_refused(client, stub, shop, shopper):
    _invoice, _contact, payment = pay_invoice(client, shop, shopper, provider="paypal")
    approved = stub.approve_order(payment.provider_reference)
    from tests.payments.providers.stub import signed_paypal_delivery

    body, headers = signed_paypal_delivery(stub, "CHECKOUT.ORDER.APPROVED", approved)
    answer = post_raw(client, "/webhooks/paypal/", body.replace(b"APPROVED", b"VOIDED"), headers)
    assert answer.status_code == 400
    assert "error" in answer.json()
    assert not stub.captures


def test_without_keys_the_buttons_are_hidden_and_the_page_says_how_to_set_them(
    client, no_provider_keys, shop, shopper
):
    invoice = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])
    contact = make_contact(shopper)
    client.force_login(contact.user)
    page = text(client.get(reverse("portal:invoice", args=[invoice.pk])))
    assert "Payer par carte" not in page
    assert "Payer avec PayPal" not in page
    assert "STRIPE_SECRET_KEY" in page
    assert str(TEST_KEYS_HELP)[:40] in page
    refused = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"})
    assert refused.status_code == 302
    assert not Payment.objects.exists()
    assert (
        client.post("/webhooks/stripe/", data=b"{}", content_type="application/json").status_code
        == 503
    )


def test_a_paid_invoice_has_no_pay_button(client, stub, shop, shopper):
    invoice, _contact, payment = pay_invoice(client, shop, shopper)
    post_stripe(client, "checkout.session.completed", stub.pay_session(payment.provider_reference))
    page = text(client.get(reverse("portal:invoice", args=[invoice.pk])))
    assert "Payer par carte" not in page
    assert urlsplit(reverse("portal:invoice_pay", args=[invoice.pk])).path not in page


def test_a_card_payment_made_through_checkout_is_refunded_on_its_payment_intent(
    client, stub, shop, shopper
):
    invoice, _contact, payment = pay_invoice(client, shop, shopper)
    paid = stub.pay_session(payment.provider_reference)
    post_stripe(client, "checkout.session.completed", paid, event_id="evt_paid")
    invoicing_services.issue_credit_note(invoice=invoice, reason="Annulation", by=None)
    owed = Refund.objects.get(payment=payment)

    settled = refund_through_provider(refund=owed, by=None)

    # The refund names the PaymentIntent the card was charged on, not the Checkout Session.
    [call] = stub.calls("POST", "/v1/refunds")
    assert call.form()["payment_intent"] == paid["payment_intent"]
    assert settled.status == "settled"
    payment.refresh_from_db()
    assert payment.status == "refunded"


def test_a_second_payer_closes_the_first_page_so_one_charge_at_most_follows(
    client, stub, shop, shopper
):
    invoice, _contact, first = pay_invoice(client, shop, shopper)
    url = reverse("portal:invoice_pay", args=[invoice.pk])

    # Clicked again (another tab): the first page is closed at Stripe, its payment cancelled.
    again = client.post(url, {"provider": "stripe"})
    assert again.status_code == 200
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert stub.sessions[first.provider_reference]["status"] == "expired"
    second = Payment.objects.get(client=shopper, status="pending")

    # The second page is paid, then a third "Payer" arrives before Stripe's event: refused,
    # the paid page stays as it is.
    stub.pay_session(second.provider_reference)
    refused = client.post(url, {"provider": "stripe"}, follow=True)
    assert "est déjà en cours : attendez sa confirmation" in text(refused)
    second.refresh_from_db()
    assert second.status == "pending"
    assert Payment.objects.filter(client=shopper).count() == 2
