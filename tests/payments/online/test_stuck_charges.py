"""A saved card's charge whose answer never came back (Stripe answering 500 or timing out,
the task lost), against the providers' local stub: the signed ``payment_intent.*`` event of
the intent records the outcome; the periodic job sends the charge again with the same
idempotency key (Stripe's first answer, never a second charge), then gives up after a
bounded number of tries, the client told by e-mail (a real SMTP server) and "Payer" open
again; the charge task checks the card and the invoice under lock before calling Stripe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from threading import Barrier

import pytest
from django.db import connections
from django.urls import reverse

from clausier.audit.models import Event
from clausier.payments import selectors
from clausier.payments.models import Payment, SavedPaymentMethod
from clausier.payments.providers import stripe_gateway
from clausier.payments.providers.base import ProviderError
from clausier.payments.services.saved_cards import (
    MAX_CHARGE_ATTEMPTS,
    STUCK_CHARGE_AFTER,
    link_reference,
    retry_stuck_charges,
)
from clausier.payments.tasks import charge_saved_card_task, retry_stuck_saved_card_charges
from tests.factories import make_issued_invoice
from tests.factories.payments import transfer
from tests.payments.online.conftest import post_stripe
from tests.payments.online.test_saved_cards import (
    LATER,
    LINE,
    charge_emails,
    save_card,
)

# Every try of the task: the call and the Stripe client's own retries, all unanswered.
UNANSWERED = stripe_gateway.NETWORK_RETRIES + 1
JOBS = 4
SERVER_ERROR = (500, {"error": {"type": "api_error", "message": "An unknown error occurred"}})


@pytest.fixture
def tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def off_session_intents(stub) -> list[dict]:
    return [i for i in stub.payment_intents.values() if i.get("_off_session")]


def pending_charge(client, stub, shop, shopper, django_capture_on_commit_callbacks, **card):
    """A card saved, then an invoice issued whose charge is opened but not run yet."""
    contact, _ = save_card(client, stub, shop, shopper, **card)
    with django_capture_on_commit_callbacks(execute=False):
        invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])
    payment = Payment.objects.get(checkout_invoice=invoice, saved_method__isnull=False)
    assert payment.status == "pending"
    return contact, invoice, payment


def fail_the_task(payment) -> None:
    with pytest.raises(ProviderError):
        charge_saved_card_task.call(payment_id=payment.pk)
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert payment.provider_reference == ""


def test_a_charge_made_but_unanswered_is_recorded_by_the_signed_succeeded_event(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    _, invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    stub.lost_answers = UNANSWERED  # Stripe charged; every answer lost on the way back
    fail_the_task(payment)
    [intent] = off_session_intents(stub)
    assert payment.charge_attempts == 1
    # "Payer" is refused while the charge is open.
    assert (
        client.post(
            reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"}
        ).status_code
        == 302
    )

    answer = post_stripe(client, "payment_intent.succeeded", stub.public(intent))
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "applied: payment succeeded (saved card charge)"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payment.provider_reference == intent["id"]
    assert selectors.invoice_balance(invoice=invoice) == 0
    assert Payment.objects.filter(checkout_invoice=invoice).count() == 1

    # The same event again, the task run again, the job: nothing more, no second charge.
    again = post_stripe(client, "payment_intent.succeeded", stub.public(intent))
    assert again.json()["outcome"] == "ignored: payment succeeded when charged"
    assert charge_saved_card_task.call(payment_id=payment.pk) == "succeeded"
    later = payment.charge_attempted_at + STUCK_CHARGE_AFTER + timedelta(minutes=1)
    assert retry_stuck_charges(now=later) == {"retried": 0, "gave_up": 0, "unreachable": 0}
    assert len(off_session_intents(stub)) == 1


def test_an_event_naming_another_payment_records_nothing(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    _, invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    stranger = {
        "id": "pi_stranger",
        "object": "payment_intent",
        "amount": 12000,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {
            "seller": str(shop.pk),
            "payment": f"{payment.pk}-19990101000000000000",  # another database's payment
            "invoice": str(invoice.pk),
            "off_session": "1",
        },
    }
    answer = post_stripe(client, "payment_intent.succeeded", stranger)
    assert answer.json()["outcome"] == "ignored: payment pending when charged"
    payment.refresh_from_db()
    assert (payment.status, payment.provider_reference) == ("pending", "")


@pytest.mark.parametrize(
    ("card", "why"),
    [
        ("pm_card_chargeDeclined", "Votre banque a refusé le paiement."),
        (
            "pm_card_authenticationRequired",
            "Votre banque demande que vous confirmiez vous-même ce paiement.",
        ),
    ],
)
def test_a_failed_event_of_an_unanswered_charge_fails_it_and_tells_the_client(
    client,
    stub,
    shop,
    shopper,
    smtp_server,
    tasks_at_once,
    django_capture_on_commit_callbacks,
    card,
    why,
):
    contact, invoice, payment = pending_charge(
        client,
        stub,
        shop,
        shopper,
        django_capture_on_commit_callbacks,
        card=card,
    )
    stub.lost_answers = UNANSWERED
    fail_the_task(payment)
    [intent] = off_session_intents(stub)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_stripe(client, "payment_intent.payment_failed", stub.public(intent))
    assert answer.json()["outcome"] == "applied: payment failed (saved card charge)"
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert payment.provider_reference == intent["id"]
    assert selectors.invoice_balance(invoice=invoice) == Decimal("120.00")
    [mail] = charge_emails(smtp_server)
    assert mail.rcpt_tos == [contact.email]
    assert why in mail.message.get_content()
    card_kept = SavedPaymentMethod.objects.get(client=shopper)
    assert card_kept.revoked_at is None
    assert (card_kept.needs_client_at is not None) == ("authentication" in card)
    client.force_login(contact.user)
    again = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"})
    assert again.status_code == 200


def test_the_job_sends_a_stuck_charge_again_with_the_same_key_and_stripe_answers_once(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    _, invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    stub.lost_answers = UNANSWERED
    fail_the_task(payment)
    first_try = payment.charge_attempted_at
    key = f"offsession-{link_reference(payment=payment)}"

    # Too early: the job leaves it alone (the task or the webhook may still answer).
    soon = first_try + STUCK_CHARGE_AFTER - timedelta(minutes=1)
    assert retry_stuck_charges(now=soon) == {"retried": 0, "gave_up": 0, "unreachable": 0}

    later = first_try + STUCK_CHARGE_AFTER + timedelta(minutes=1)
    assert retry_stuck_charges(now=later) == {"retried": 1, "gave_up": 0, "unreachable": 0}
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert payment.charge_attempts == 2
    [intent] = off_session_intents(stub)  # Stripe's first answer, no second charge
    assert payment.provider_reference == intent["id"]
    assert {r.headers["idempotency-key"] for r in stub.calls("POST", "/v1/payment_intents")} == {
        key
    }
    assert selectors.invoice_balance(invoice=invoice) == 0
    assert Event.objects.filter(
        verb="payment.saved_card_charge_retried", object_id=str(payment.pk)
    ).exists()
    # Run again at once (another scheduler, a second worker): nothing to do.
    assert retry_stuck_charges(now=later) == {"retried": 0, "gave_up": 0, "unreachable": 0}


def test_a_charge_never_answered_is_given_up_the_client_told_and_payer_open_again(
    client,
    stub,
    shop,
    shopper,
    smtp_server,
    tasks_at_once,
    django_capture_on_commit_callbacks,
):
    contact, invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    stub.failures = [SERVER_ERROR] * UNANSWERED  # Stripe down: nothing charged
    fail_the_task(payment)
    now = payment.charge_attempted_at
    for attempt in range(2, MAX_CHARGE_ATTEMPTS + 1):
        now += STUCK_CHARGE_AFTER + timedelta(minutes=1)
        stub.failures = [SERVER_ERROR] * UNANSWERED
        assert retry_stuck_charges(now=now) == {"retried": 0, "gave_up": 0, "unreachable": 1}
        payment.refresh_from_db()
        assert (payment.status, payment.charge_attempts) == ("pending", attempt)
    assert off_session_intents(stub) == []

    now += STUCK_CHARGE_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        counts = retry_stuck_charges(now=now)
    assert counts == {"retried": 0, "gave_up": 1, "unreachable": 0}
    payment.refresh_from_db()
    assert payment.status == "failed"
    assert "injoignable" in payment.failure_reason
    assert selectors.invoice_balance(invoice=invoice) == Decimal("120.00")
    [mail] = charge_emails(smtp_server)
    assert mail.rcpt_tos == [contact.email]
    body = mail.message.get_content()
    assert "Notre prestataire de paiement n'a pas pu effectuer le prélèvement." in body
    assert reverse("portal:invoice", kwargs={"invoice_id": invoice.pk}) in body

    client.force_login(contact.user)
    again = client.post(reverse("portal:invoice_pay", args=[invoice.pk]), {"provider": "stripe"})
    assert again.status_code == 200
    # Given up once: the job does not come back to it.
    assert retry_stuck_charges(now=now + timedelta(hours=1))["gave_up"] == 0


def test_the_scheduled_task_runs_without_arguments(stub, db):
    assert retry_stuck_saved_card_charges.call() == {"retried": 0, "gave_up": 0, "unreachable": 0}


def test_a_task_lost_before_any_try_is_picked_up_by_the_job(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    _, _invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    later = payment.created_at + STUCK_CHARGE_AFTER + timedelta(minutes=1)
    assert retry_stuck_charges(now=later) == {"retried": 1, "gave_up": 0, "unreachable": 0}
    payment.refresh_from_db()
    assert (payment.status, payment.charge_attempts) == ("succeeded", 1)


# --- checked under lock before Stripe is called ---------------------------------------------


def test_an_invoice_paid_otherwise_before_the_charge_drops_it(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    _, invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    transfer(
        shop, shopper, amount="120.00", on=LATER.date(), invoices=[(invoice, Decimal("120.00"))]
    )
    assert charge_saved_card_task.call(payment_id=payment.pk) == "cancelled"
    payment.refresh_from_db()
    assert payment.failure_reason == "facture déjà réglée avant le prélèvement"
    assert off_session_intents(stub) == []
    assert stub.calls("POST", "/v1/payment_intents") == []


def test_a_card_removed_before_a_retry_is_not_charged(
    client, stub, shop, shopper, django_capture_on_commit_callbacks
):
    contact, _invoice, payment = pending_charge(
        client, stub, shop, shopper, django_capture_on_commit_callbacks
    )
    stub.failures = [SERVER_ERROR] * UNANSWERED
    fail_the_task(payment)
    card = SavedPaymentMethod.objects.get(client=shopper)
    client.force_login(contact.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:payment_method_remove", args=[card.pk]))
    later = payment.charge_attempted_at + STUCK_CHARGE_AFTER + timedelta(minutes=1)
    assert retry_stuck_charges(now=later)["retried"] == 1
    payment.refresh_from_db()
    assert payment.status == "cancelled"
    assert off_session_intents(stub) == []


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_jobs_running_at_once_send_a_stuck_charge_once(client, stub, shop, shopper):
    save_card(client, stub, shop, shopper)
    invoice = make_issued_invoice(shop, shopper, now=LATER, lines=[LINE])  # its task queued
    payment = Payment.objects.get(checkout_invoice=invoice, saved_method__isnull=False)
    stub.failures = [SERVER_ERROR] * UNANSWERED
    fail_the_task(payment)
    later = payment.charge_attempted_at + STUCK_CHARGE_AFTER + timedelta(minutes=1)
    gate = Barrier(JOBS)

    def one_job(_: int) -> dict[str, int]:
        try:
            gate.wait(timeout=30)
            return retry_stuck_charges(now=later)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(JOBS) as pool:
        counts = list(pool.map(one_job, range(JOBS)))

    assert sum(c["retried"] for c in counts) == 1
    payment.refresh_from_db()
    assert (payment.status, payment.charge_attempts) == ("succeeded", 2)
    assert len(off_session_intents(stub)) == 1
    assert (
        Event.objects.filter(
            verb="payment.saved_card_charge_retried", object_id=str(payment.pk)
        ).count()
        == 1
    )
