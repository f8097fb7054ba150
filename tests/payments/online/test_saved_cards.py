"""A client's card kept with its consent and charged for its next invoices, against the
providers' local stub: the consent box on the pay page, the card saved from the signed
success webhook, a usage billing run's invoice paid by it after the commit (once, however
often the task runs), a declined card or an issuer asking for authentication failing the
payment and telling the client by e-mail (a real SMTP server), the card removed from the
portal charging nothing more."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clausier.audit.models import Event
from clausier.invoicing.models import Invoice
from clausier.invoicing.services import usage
from clausier.metering import services as metering_services
from clausier.metering.domain import PARIS
from clausier.metering.models import UsageEvent
from clausier.payments import selectors
from clausier.payments.models import Payment, ProviderEvent, SavedPaymentMethod
from clausier.payments.providers import stripe_gateway
from clausier.payments.services.saved_cards import CONSENT_VERSION, link_reference
from clausier.payments.tasks import charge_saved_card_task
from tests.factories import make_contact, make_issued_invoice
from tests.factories.metering import active_subscription, meter
from tests.payments.online.conftest import post_stripe

DAY = timezone.make_aware(datetime(2026, 5, 20, 10), timezone.get_default_timezone())
LATER = timezone.make_aware(datetime(2026, 6, 20, 10), timezone.get_default_timezone())
LINE = {
    "description": "Forfait",
    "quantity": "1",
    "unit": "flat",
    "unit_price": "100",
    "vat_rate": "0.20",
}
CONSENT_BOX = "Enregistrer cette carte pour régler automatiquement mes prochaines factures"


@pytest.fixture
def tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def text(response) -> str:
    return " ".join(response.content.decode().replace("\u202f", " ").replace("\xa0", " ").split())


def save_card(client, stub, seller, buyer, *, card="pm_card_visa", consent=True, invoice=None):
    """The client pays a first invoice by card, ticking (or not) the consent box, and
    Stripe's signed success event arrives. Returns the contact and the payment."""
    invoice = invoice or make_issued_invoice(seller, buyer, now=DAY, lines=[LINE])
    contact = make_contact(buyer)
    client.force_login(contact.user)
    form = {"provider": "stripe"} | ({"save_card": "1"} if consent else {})
    response = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), form)
    assert response.status_code == 200, text(response)
    payment = Payment.objects.get(client=buyer, status="pending", checkout_invoice=invoice)
    paid = stub.pay_session(payment.provider_reference, card=card)
    answer = post_stripe(client, "checkout.session.completed", paid)
    assert answer.status_code == 200, answer.content
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    return contact, payment


def charge_emails(smtp_server, words="n'a pas pu être débitée"):
    return [m for m in smtp_server.inbox.messages if words in m.message["Subject"]]


def charges(stub):
    return stub.calls("POST", "/v1/payment_intents")


def test_the_pay_page_offers_the_consent_unticked_and_a_signed_success_saves_the_card(
    client, stub, shop, shopper
):
    invoice = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])
    contact = make_contact(shopper)
    client.force_login(contact.user)
    page = client.get(reverse("portal:invoice", args=[invoice.pk])).content.decode()
    assert CONSENT_BOX in page
    box = page[page.index('name="save_card"') - 30 : page.index('name="save_card"') + 80]
    assert "checked" not in box
    assert "sans nouvelle intervention de ma part" in page  # the consent's text, shown

    contact, payment = save_card(client, stub, shop, shopper)
    [created] = stub.calls("POST", "/v1/checkout/sessions")[-1:]
    params = created.form()
    assert params["customer_creation"] == "always"
    assert params["payment_intent_data"]["setup_future_usage"] == "off_session"
    assert params["metadata"]["save_card"] == CONSENT_VERSION

    card = SavedPaymentMethod.objects.get(client=shopper)
    assert card.label == "Visa •••• 4242"
    assert (card.exp_month, card.exp_year) == (12, 2034)
    assert card.consent_version == CONSENT_VERSION
    assert card.consented_at == payment.created_at
    assert card.customer_reference.startswith("cus_")
    assert card.revoked_at is None
    stored = ProviderEvent.objects.get(payment=payment)
    assert stored.outcome.endswith(f"card {card.pk} saved")
    assert Event.objects.filter(verb="saved_method.saved", object_id=str(card.pk)).exists()

    # The portal's "Moyens de paiement" and the back office's client page show it.
    methods = text(client.get(reverse("portal:payment_methods")))
    assert "Visa •••• 4242" in methods
    assert "expire fin 12/2034" in methods


def test_without_the_box_ticked_nothing_is_kept(client, stub, shop, shopper):
    save_card(client, stub, shop, shopper, consent=False)
    params = stub.calls("POST", "/v1/checkout/sessions")[-1].form()
    assert "setup_future_usage" not in params["payment_intent_data"]
    assert "customer_creation" not in params
    assert not SavedPaymentMethod.objects.exists()


def test_a_newer_card_replaces_the_older_for_the_same_customer(client, stub, shop, shopper):
    second = make_issued_invoice(shop, shopper, now=DAY, lines=[LINE])  # before any card
    save_card(client, stub, shop, shopper)
    first = SavedPaymentMethod.objects.get(client=shopper)
    save_card(client, stub, shop, shopper, card="pm_card_chargeDeclined", invoice=second)
    params = stub.calls("POST", "/v1/checkout/sessions")[-1].form()
    assert params["customer"] == first.customer_reference  # the client's own customer
    first.refresh_from_db()
    assert first.revoked_at is not None
    active = SavedPaymentMethod.objects.get(client=shopper, revoked_at__isnull=True)
    assert active.label == "Visa •••• 0002"
    assert Event.objects.filter(verb="saved_method.replaced", object_id=str(first.pk)).exists()


# --- the monthly usage billing run, charged end to end ------------------------------------


def usage_invoice(paas, paas_company) -> Invoice:
    """October's usage of ``paas_company``, billed by the run of 1 November."""
    requests = meter(paas, "requests", name="Requêtes")
    metering_services.add_meter_price(
        meter=requests,
        effective_from=date(2026, 1, 1),
        scheme="per_unit",
        tiers=[(None, Decimal("0.10"))],
        by=None,
    )
    sub = active_subscription(paas, paas_company, reference="ch_card")
    UsageEvent.objects.create(
        seller_id=paas.pk,
        event_id="e-card-1",
        subscription=sub,
        meter=requests,
        timestamp=datetime(2026, 10, 3, 12, tzinfo=PARIS),
        value=Decimal("1000"),
        properties={},
        received_at=datetime(2026, 11, 1, tzinfo=PARIS),
    )
    run = usage.bill_usage(period=date(2026, 10, 1), by=None)
    [outcome] = run.outcomes.all()
    return Invoice.objects.get(pk=outcome.invoice_id)


def test_the_usage_invoice_is_charged_to_the_saved_card_after_the_run_commits(
    client, stub, paas, paas_company, paas_staff, tasks_at_once, django_capture_on_commit_callbacks
):
    save_card(client, stub, paas, paas_company)
    card = SavedPaymentMethod.objects.get(client=paas_company)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invoice = usage_invoice(paas, paas_company)
        assert charges(stub) == []  # nothing leaves before the commit
    assert callbacks
    [charge] = charges(stub)
    params = charge.form()
    assert params["off_session"] == "true"
    assert params["confirm"] == "true"
    assert params["customer"] == card.customer_reference
    assert params["payment_method"] == card.method_reference
    payment = Payment.objects.get(checkout_invoice=invoice)
    assert int(params["amount"]) == int(payment.amount * 100)
    assert params["metadata"]["invoice"] == str(invoice.pk)
    assert charge.headers["idempotency-key"] == f"offsession-{link_reference(payment=payment)}"
    assert payment.status == "succeeded"
    assert payment.saved_method == card
    assert payment.provider_reference.startswith("pi_")
    assert selectors.invoice_balance(invoice=invoice) == 0

    # Stripe's payment_intent.succeeded then changes nothing.
    events = Event.objects.count()
    intent = stub.payment_intents[payment.provider_reference]
    answer = post_stripe(client, "payment_intent.succeeded", stub.public(intent))
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "ignored: payment succeeded when charged"
    assert Event.objects.count() == events
    assert Payment.objects.filter(checkout_invoice=invoice).count() == 1

    # The back office's client page shows the card and the charge (read-only).
    client.force_login(paas_staff)
    page = text(
        client.get(reverse("backoffice:client_payments", args=[paas.slug, paas_company.pk]))
    )
    assert "Visa •••• 4242" in page
    assert invoice.number in page
    assert "Retirer cette carte" not in page


def test_a_task_run_twice_charges_once(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    save_card(client, stub, shop, shopper)
    with django_capture_on_commit_callbacks(execute=False):
        invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    payment = Payment.objects.get(checkout_invoice=invoice, saved_method__isnull=False)
    assert payment.status == "pending"
    # A page of the invoice cannot be opened while the charge is under way.
    page = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"})
    assert page.status_code == 302
    assert Payment.objects.filter(checkout_invoice=invoice).count() == 1

    assert charge_saved_card_task.call(payment_id=payment.pk) == "succeeded"
    assert charge_saved_card_task.call(payment_id=payment.pk) == "succeeded"
    assert len(charges(stub)) == 1
    # A retry after a timeout (the same key) gets Stripe's first answer, not a second charge.
    payment.refresh_from_db()
    link = stripe_gateway.PaymentLink(
        seller=str(shop.pk), payment=link_reference(payment=payment), invoice=str(invoice.pk)
    )
    again = stripe_gateway.charge_saved_card(
        amount=payment.amount,
        customer=payment.saved_method.customer_reference,
        payment_method=payment.saved_method.method_reference,
        link=link,
        description="retry",
        idempotency_key=f"offsession-{link.payment}",
    )
    assert again.reference == payment.provider_reference
    assert len([i for i in stub.payment_intents.values() if i.get("_off_session")]) == 1
    assert selectors.invoice_balance(invoice=invoice) == 0


# --- refused: the client is told -----------------------------------------------------------


@pytest.mark.parametrize(
    ("card", "code", "why"),
    [
        ("pm_card_chargeDeclined", "card_declined", "Votre banque a refusé le paiement."),
        (
            "pm_card_authenticationRequired",
            "authentication_required",
            "Votre banque demande que vous confirmiez vous-même ce paiement.",
        ),
    ],
)
def test_a_refused_charge_fails_and_the_client_gets_an_email_with_the_pay_link(
    client,
    stub,
    shop,
    shopper,
    smtp_server,
    tasks_at_once,
    django_capture_on_commit_callbacks,
    card,
    code,
    why,
):
    contact, _ = save_card(client, stub, shop, shopper, card=card)
    with django_capture_on_commit_callbacks(execute=True):
        invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    payment = Payment.objects.get(checkout_invoice=invoice, saved_method__isnull=False)
    assert payment.status == "failed"
    assert payment.failure_reason.startswith(code)
    assert selectors.invoice_balance(invoice=invoice) == Decimal("120.00")
    saved = payment.saved_method
    saved.refresh_from_db()
    assert saved.revoked_at is None
    assert (saved.needs_client_at is not None) == (code == "authentication_required")

    [received] = charge_emails(smtp_server)
    assert received.rcpt_tos == [contact.email]
    assert invoice.number in received.message["Subject"]
    body = received.message.get_content()
    assert why in body
    assert reverse("portal:invoice", kwargs={"invoice_id": invoice.pk}) in body
    assert Event.objects.filter(verb="payment.charge_emailed", object_id=str(payment.pk)).exists()

    # The client may pay it from the portal: no open checkout blocks the "Payer".
    client.force_login(contact.user)
    again = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"})
    assert again.status_code == 200

    # Stripe's payment_intent.payment_failed changes nothing.
    intent = stub.payment_intents[payment.provider_reference]
    answer = post_stripe(client, "payment_intent.payment_failed", stub.public(intent))
    assert answer.json()["outcome"].startswith("ignored: payment failed")

    # Authentication asked: the next invoice is not charged until the client pays itself.
    before = len(charges(stub))
    with django_capture_on_commit_callbacks(execute=True):
        make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    assert len(charges(stub)) == before + (0 if code == "authentication_required" else 1)


def test_an_english_reader_gets_the_email_in_english(
    client, stub, shop, shopper, smtp_server, tasks_at_once, django_capture_on_commit_callbacks
):
    shopper.preferred_language = "en"
    shopper.save(update_fields=["preferred_language"])
    save_card(client, stub, shop, shopper, card="pm_card_chargeDeclined")
    with django_capture_on_commit_callbacks(execute=True):
        make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    [received] = charge_emails(smtp_server, "could not be charged")
    assert "Your bank declined the payment." in received.message.get_content()


# --- removed by the client -----------------------------------------------------------------


def test_a_removed_card_is_detached_and_charges_nothing_more(
    client, stub, shop, shopper, tasks_at_once, django_capture_on_commit_callbacks
):
    contact, _ = save_card(client, stub, shop, shopper)
    card = SavedPaymentMethod.objects.get(client=shopper)
    # A charge opened before the removal, not made yet, is dropped.
    with django_capture_on_commit_callbacks(execute=False):
        pending_invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    pending = Payment.objects.get(checkout_invoice=pending_invoice, saved_method=card)

    client.force_login(contact.user)
    url = reverse("portal:payment_method_remove", args=[card.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.revoked_at is not None
    assert stub.calls("POST", f"/v1/payment_methods/{card.method_reference}/detach")
    assert Event.objects.filter(verb="saved_method.revoked", object_id=str(card.pk)).exists()
    assert "Aucune carte enregistrée" in text(client.get(reverse("portal:payment_methods")))

    assert charge_saved_card_task.call(payment_id=pending.pk) == "cancelled"
    with django_capture_on_commit_callbacks(execute=True):
        invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    assert not Payment.objects.filter(checkout_invoice=invoice).exists()
    assert charges(stub) == []


def test_another_clients_card_cannot_be_removed(client, stub, shop, shopper):
    save_card(client, stub, shop, shopper)
    card = SavedPaymentMethod.objects.get(client=shopper)
    from tests.factories import make_client

    other = make_contact(make_client(shop, kind="consumer", name="Autre"))
    client.force_login(other.user)
    response = client.post(reverse("portal:payment_method_remove", args=[card.pk]))
    assert response.status_code == 404
    card.refresh_from_db()
    assert card.revoked_at is None
