"""A client's card kept at Stripe, with the client's consent, to pay its next invoices
without the client (merchant-initiated transactions, PSD2).

- **Consent and saving**: the portal's pay page offers an unticked box
  (:data:`CONSENT_TEXT`, version :data:`CONSENT_VERSION`); ticked, the Checkout Session keeps
  the card (``setup_future_usage=off_session``, the customer created or the client's own).
  The success event then stores the card (:func:`save_from_checkout`): one active per
  client and provider, a newer replacing the older.
- **Charging**: an invoice issued for a client with an active card opens a ``pending``
  payment in the issuing transaction (:func:`open_saved_card_charge`), charged after the
  commit by a task (:func:`charge_saved_card`): a PaymentIntent confirmed off-session, its
  idempotency key the payment's own reference, so that a task run twice charges once. A
  success is recorded as a webhook's would be (:func:`record_online_payment`); a declined
  card or an issuer asking for the client's authentication fails the payment and the client
  is told by e-mail, with the portal's "Payer" link (the card is kept, or marked as needing
  the client).
- **Answers lost**: Stripe unreachable (a timeout, a 5xx) leaves the payment pending. The
  intent's signed event, whose link names the payment, records the outcome
  (:func:`record_charge_event`); the periodic :func:`retry_stuck_charges` sends the charge
  again with the same idempotency key, then gives up after :data:`MAX_CHARGE_ATTEMPTS` tries
  (the payment fails, the client is told and pays by itself).
- **Removal**: :func:`revoke_saved_method` (the client, from the portal): no charge any more,
  the card detached at Stripe after the commit.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.audit.services import acting_user, record_event, record_on
from clausier.customers.selectors import document_language
from clausier.documents.email import send_email
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.models import Method, Payment
from clausier.payments.providers import stripe_gateway
from clausier.payments.providers.base import (
    Charge,
    PaymentLink,
    Provider,
    ProviderError,
    ProviderRefused,
)
from clausier.payments.providers.config import available_methods
from clausier.payments.saved_models import SavedPaymentMethod
from clausier.payments.saved_selectors import active_saved_method
from clausier.payments.services.online import record_online_payment
from clausier.payments.services.support import locked_invoice, locked_payment
from clausier.rules.money import format_eur

logger = logging.getLogger("clausier.payments")

# The consent the client gives by ticking the box, and its version (kept with the card: a
# new wording gets a new version). Merchant-initiated transactions need the payer's prior
# agreement to be charged without them (PSD2, RTS on SCA art. 13 and the card schemes' MIT
# rules): the text says what will be charged, when, and how to stop it.
CONSENT_VERSION = "2026-12-v1"
CONSENT_LABEL = gettext_lazy(
    "Enregistrer cette carte pour régler automatiquement mes prochaines factures"
)
CONSENT_TEXT = gettext_lazy(
    "J'autorise %(seller)s à conserver cette carte chez son prestataire de paiement (Stripe) "
    "et à la débiter, sans nouvelle intervention de ma part, du montant de chacune de mes "
    "prochaines factures lors de leur émission. Je peux retirer cette autorisation à tout "
    "moment dans « Moyens de paiement » de mon espace client ; une facture que la banque "
    "refuse de débiter me sera signalée par e-mail."
)
# Said to the client and staff (French, as the documents are) when a pending charge is
# dropped because the client removed the card before it was made.
REMOVED_BEFORE_CHARGE = "carte retirée par le client avant le prélèvement"
# Likewise when the invoice no longer owes the amount (paid otherwise, credited) when the
# charge is about to be made.
NO_LONGER_OWED = "facture déjà réglée avant le prélèvement"


def _stripe_on() -> bool:
    return Provider.STRIPE in available_methods()


# --- consent and saving --------------------------------------------------------------------


def save_from_checkout(
    *, payment: Payment, payment_reference: str, version: str, by: Actor, now: datetime
) -> SavedPaymentMethod | None:
    """The card the checkout of ``payment`` was paid with, kept for the client who consented
    (text ``version``) when it ticked the box: read at Stripe (the PaymentIntent, its payment
    method expanded), then stored, replacing the client's earlier card. The same card saved
    again changes nothing. Called in the success event's transaction."""
    if payment.provider != Provider.STRIPE or not payment_reference or not version:
        return None
    card = stripe_gateway.retrieve_saved_card(payment_reference)
    if card is None:
        return None
    with transaction.atomic():
        actives = list(
            SavedPaymentMethod.objects.select_for_update()
            .filter(client_id=payment.client_id, provider=card.provider, revoked_at__isnull=True)
            .order_by("id")
        )
        for active in actives:
            if active.method_reference == card.method_reference:
                return active
        for older in actives:
            older.revoked_at = now
            older.save(update_fields=["revoked_at", "updated_at"])
            record_on(
                obj=older,
                actor=by,
                verb="saved_method.replaced",
                before={"revoked_at": None},
                after={"revoked_at": now.isoformat(), "label": older.label},
            )
        saved = SavedPaymentMethod.objects.create(
            seller_id=payment.seller_id,
            client_id=payment.client_id,
            provider=card.provider.value,
            customer_reference=card.customer_reference,
            method_reference=card.method_reference,
            label=card.label[:100],
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            consented_at=payment.created_at,
            consent_version=version[:20],
        )
        record_on(
            obj=saved,
            actor=by,
            verb="saved_method.saved",
            after={
                "label": saved.label,
                "provider": saved.provider,
                "payment": payment.pk,
                "consent_version": saved.consent_version,
                "consented_at": saved.consented_at.isoformat(),
            },
        )
    return saved


def customer_of(*, client) -> str:
    """The client's customer at Stripe (of its latest card, even removed), or ""."""
    latest = (
        SavedPaymentMethod.objects.filter(client=client, provider=Provider.STRIPE)
        .order_by("-created_at", "-id")
        .values_list("customer_reference", flat=True)
        .first()
    )
    return latest or ""


@transaction.atomic
def revoke_saved_method(
    *, method: SavedPaymentMethod, by: Actor, now: datetime | None = None
) -> SavedPaymentMethod:
    """The client removes its card: no invoice is charged with it any more (a charge not made
    yet is dropped), and the card is detached at Stripe once this commits. Removing it again
    changes nothing."""
    now = aware_now(now)
    method = SavedPaymentMethod.objects.select_for_update().get(pk=method.pk)
    if method.revoked_at is not None:
        return method
    method.revoked_at = now
    method.save(update_fields=["revoked_at", "updated_at"])
    record_on(
        obj=method,
        actor=by,
        verb="saved_method.revoked",
        before={"revoked_at": None},
        after={"revoked_at": now.isoformat(), "label": method.label},
    )
    reference = method.method_reference
    transaction.on_commit(lambda: _detach(reference))
    return method


def _detach(reference: str) -> None:
    try:
        stripe_gateway.detach_payment_method(reference)
    except ProviderError as exc:  # removed here all the same: never charged again
        logger.warning("stripe: detaching %s failed: %s", reference, exc.message)


# --- charging ------------------------------------------------------------------------------


def open_saved_card_charge(
    *, invoice_id: int, by: Actor, now: datetime | None = None
) -> Payment | None:
    """In the transaction issuing invoice ``invoice_id``: when its client keeps an active card (not
    waiting for its authentication) and Stripe is on, a ``pending`` card payment of its
    balance, charged after the commit (:func:`charge_saved_card`). None when the balance is
    below Stripe's minimum, when the invoice has an open online payment (one charge at most
    per invoice), or when it was charged before."""
    now = aware_now(now)
    if not _stripe_on():  # no query when no card can be charged
        return None
    client_id = Invoice.objects.filter(pk=invoice_id).values_list("client_id", flat=True).first()
    method = active_saved_method(client=client_id)
    if method is None or method.needs_client_at is not None:
        return None
    with transaction.atomic():
        invoice = locked_invoice(invoice=Invoice(pk=invoice_id))
        if invoice.status != InvoiceStatus.ISSUED or invoice.kind == InvoiceKind.CREDIT_NOTE:
            return None
        balance = selectors.invoice_balance(invoice=invoice)
        if balance < stripe_gateway.MINIMUM_CHARGE:
            return None
        earlier = Payment.objects.filter(checkout_invoice=invoice).filter(
            status=t.PENDING, method__in=t.PROVIDER_METHODS
        )
        charged = Payment.objects.filter(checkout_invoice=invoice, saved_method__isnull=False)
        if earlier.exists() or charged.exclude(status=t.FAILED).exists():
            return None
        payment = Payment.objects.create(
            seller=invoice.seller,
            client=invoice.client,
            checkout_invoice=invoice,
            saved_method=method,
            method=Method.CARD,
            status=t.PENDING,
            amount=balance,
            provider=Provider.STRIPE.value,
            recorded_by=acting_user(by=by),
        )
        record_on(
            obj=payment,
            actor=by,
            verb="payment.saved_card_charge_opened",
            after={
                "status": t.PENDING,
                "provider": payment.provider,
                "amount": str(balance),
                "invoice": invoice.number,
                "card": method.label,
            },
        )
    pk = payment.pk
    transaction.on_commit(lambda: _enqueue_charge(pk))
    return payment


def _enqueue_charge(payment_id: int) -> None:
    from clausier.payments.tasks import charge_saved_card_task

    charge_saved_card_task.enqueue(payment_id=payment_id)


def link_reference(*, payment: Payment) -> str:
    """The payment's reference at Stripe: stable (a task run again sends the same
    idempotency key), never reused by another database (its creation instant)."""
    return f"{payment.pk}-{payment.created_at:%Y%m%d%H%M%S%f}"


def charge_saved_card(*, payment: Payment, by: Actor = None, now: datetime | None = None):
    """Charge the pending ``payment`` to its saved card, once (the idempotency key is the
    payment's reference: a second run, or a retry after a timeout, gets Stripe's first
    answer). The payment and the card are locked and checked first: a card removed since, or
    an invoice that no longer owes the amount (paid otherwise, credited), drops the charge;
    Stripe is then called outside the transaction. Stripe unreachable raises (the payment
    stays pending: :func:`retry_stuck_charges` sends it again). Returns the payment."""
    now = aware_now(now)
    payment, ready = _claim_charge(payment, by=by, now=now)
    if ready is None:
        return payment
    method, invoice = ready
    link = PaymentLink(
        seller=str(payment.seller_id),
        payment=link_reference(payment=payment),
        invoice=str(invoice.pk),
    )
    try:
        charge = stripe_gateway.charge_saved_card(
            amount=payment.amount,
            customer=method.customer_reference,
            payment_method=method.method_reference,
            link=link,
            description=_("Facture %(number)s") % {"number": invoice.number},
            idempotency_key=f"offsession-{link.payment}",
        )
    except ProviderRefused as exc:  # the card cannot be used (detached, unknown...)
        charge = Charge(
            provider=Provider.STRIPE,
            reference="",
            status="refused",
            succeeded=False,
            amount=payment.amount,
            code=exc.code or "refused",
            message=exc.message,
        )
    return _record(payment, charge=charge, link=link, invoice=invoice, by=by, now=now)


@transaction.atomic
def _claim_charge(
    payment: Payment, *, by: Actor, now: datetime
) -> tuple[Payment, tuple[SavedPaymentMethod, Invoice] | None]:
    """The payment, its card and its invoice locked (in this order) and checked; the attempt
    counted. ``None`` for the card and invoice when nothing is to be sent to Stripe."""
    payment = locked_payment(payment=payment)
    if (
        payment.status != t.PENDING
        or payment.saved_method_id is None
        or payment.checkout_invoice_id is None
    ):
        return payment, None
    method = SavedPaymentMethod.objects.select_for_update().get(pk=payment.saved_method_id)
    if method.revoked_at is not None:
        return _drop(
            payment, reason=REMOVED_BEFORE_CHARGE, code="saved_method_revoked", by=by
        ), None
    invoice = locked_invoice(invoice=Invoice(pk=payment.checkout_invoice_id))
    if selectors.invoice_balance(invoice=invoice) < payment.amount:
        return _drop(payment, reason=NO_LONGER_OWED, code="invoice_no_longer_owed", by=by), None
    payment.charge_attempts += 1
    payment.charge_attempted_at = now
    payment.save(update_fields=["charge_attempts", "charge_attempted_at", "updated_at"])
    return payment, (method, invoice)


def _drop(payment: Payment, *, reason: str, code: str, by: Actor) -> Payment:
    """The locked pending ``payment`` cancelled before any charge (``reason`` for people,
    ``code`` for the audit)."""
    t.check(label=str(payment), current=payment.status, target=t.CANCELLED)
    payment.status, payment.failure_reason = t.CANCELLED, reason
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    record_on(
        obj=payment,
        actor=by,
        verb="payment.cancelled",
        before={"status": t.PENDING},
        after={"status": t.CANCELLED, "reason": code},
    )
    return payment


@transaction.atomic
def _record(
    payment: Payment,
    *,
    charge: Charge,
    link: PaymentLink,
    invoice: Invoice,
    by: Actor,
    now: datetime,
) -> Payment:
    payment = locked_payment(payment=payment)
    if payment.status != t.PENDING:  # the payment_intent.succeeded event came first
        return payment
    reference = charge.reference or f"offsession-{link.payment}"
    if payment.provider_reference != reference:
        payment.provider_reference = reference
        payment.save(update_fields=["provider_reference", "updated_at"])
    reason = "" if charge.succeeded else f"{charge.code}: {charge.message}"[:1000]
    payment = record_online_payment(
        seller=payment.seller,
        client=payment.client,
        provider=payment.provider,
        reference=reference,
        outcome=t.SUCCEEDED if charge.succeeded else t.FAILED,
        amount=payment.amount,
        received_at=now,
        invoice=invoice,
        reason=reason,
        by=by,
        now=now,
    )
    if not charge.succeeded:
        if charge.needs_client:
            _needs_client(payment.saved_method_id, by=by, now=now)
        pk = payment.pk
        transaction.on_commit(lambda: _enqueue_email(pk))
    return payment


def _needs_client(method_id: int, *, by: Actor, now: datetime) -> None:
    method = SavedPaymentMethod.objects.select_for_update().get(pk=method_id)
    if method.needs_client_at is not None:
        return
    method.needs_client_at = now
    method.save(update_fields=["needs_client_at", "updated_at"])
    record_on(
        obj=method,
        actor=by,
        verb="saved_method.needs_client",
        before={"needs_client_at": None},
        after={"needs_client_at": now.isoformat(), "label": method.label},
    )


def _enqueue_email(payment_id: int) -> None:
    from clausier.payments.tasks import email_failed_charge_task

    email_failed_charge_task.enqueue(payment_id=payment_id)


# Stripe's code of a charge whose issuer asks for the client's authentication.
NEEDS_CLIENT_CODE = "authentication_required"


# --- charges stuck pending ------------------------------------------------------------------

# A charge still pending this long after its last try is sent again. The task answers within
# seconds (Stripe's client itself retries a 5xx or a timeout twice, :data:`stripe_gateway.
# NETWORK_RETRIES`), and Stripe's ``payment_intent.*`` event of a charge made arrives within a
# minute or two: a quarter of an hour is well past both, and short for a client waiting.
STUCK_CHARGE_AFTER = timedelta(minutes=15)
# Tries in all (the first included) before the charge is given up: the payment fails and the
# client pays by itself. Four tries a quarter of an hour apart end within about an hour and a
# half, well inside the 24 hours Stripe keeps an idempotency key
# (docs.stripe.com/api/idempotent_requests): every retry gets Stripe's first answer, never a
# second charge.
MAX_CHARGE_ATTEMPTS = 4
# Payments looked at per run of the job (the next run takes the rest).
STUCK_BATCH = 50
# Said to the client and staff (French, as the documents are) when the charge is given up.
GAVE_UP = "prestataire injoignable : prélèvement abandonné, facture à régler par le client"


def record_charge_event(
    *,
    payment: Payment,
    reference: str,
    outcome: str,
    amount,
    occurred_at: datetime,
    reason: str,
    by: Actor,
    now: datetime,
) -> Payment | None:
    """Stripe's ``payment_intent.succeeded`` / ``payment_failed`` of the off-session intent
    made for the pending ``payment`` (its link names it), arriving before the task recorded
    Stripe's answer (the answer lost to a timeout or a 5xx): the outcome recorded, the intent
    (``reference``) kept as the payment's reference; a failure tells the client by e-mail.
    None when the payment is no longer pending or already has its reference (the task
    recorded the answer: the event changes nothing)."""
    with transaction.atomic():
        payment = locked_payment(payment=payment)
        if payment.status != t.PENDING or payment.provider_reference or not reference:
            return None
        payment.provider_reference = reference[:200]
        payment.save(update_fields=["provider_reference", "updated_at"])
        payment = record_online_payment(
            seller=payment.seller,
            client=payment.client,
            provider=payment.provider,
            reference=payment.provider_reference,
            outcome=outcome,
            amount=amount,
            received_at=min(occurred_at, now),
            invoice=Invoice.objects.get(pk=payment.checkout_invoice_id),
            reason=reason if outcome != t.SUCCEEDED else "",
            by=by,
            now=now,
        )
        if payment.status == t.FAILED:
            if reason.startswith(f"{NEEDS_CLIENT_CODE}:"):
                _needs_client(payment.saved_method_id, by=by, now=now)
            pk = payment.pk
            transaction.on_commit(lambda: _enqueue_email(pk))
    return payment


def retry_stuck_charges(*, by: Actor = None, now: datetime | None = None) -> dict[str, int]:
    """The saved-card charges pending for :data:`STUCK_CHARGE_AFTER` since their last try
    (Stripe unreachable, the task lost): sent again with the same idempotency key (a charge
    Stripe made is answered again, not made twice), or, after :data:`MAX_CHARGE_ATTEMPTS`
    tries, failed with the client told to pay by itself (the portal's "Payer" works again).
    Safe to run concurrently: a payment is claimed under a lock (rows another run holds are
    skipped) and its last try moved to now. Returns the counts."""
    now = aware_now(now)
    retry, gave_up = _claim_stuck(by=by, now=now)
    counts = {"retried": 0, "gave_up": gave_up, "unreachable": 0}
    for pk in retry:
        try:
            charge_saved_card(payment=Payment(pk=pk), by=by, now=now)
        except ProviderError as exc:  # still pending: the next run tries again
            logger.warning("stripe: charge of payment %s failed again: %s", pk, exc.message)
            counts["unreachable"] += 1
        else:
            counts["retried"] += 1
    return counts


@transaction.atomic
def _claim_stuck(*, by: Actor, now: datetime) -> tuple[list[int], int]:
    cutoff = now - STUCK_CHARGE_AFTER
    stuck = list(
        Payment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("seller", "client")
        .filter(status=t.PENDING, saved_method__isnull=False, checkout_invoice__isnull=False)
        .filter(
            Q(charge_attempted_at__lte=cutoff)
            | Q(charge_attempted_at__isnull=True, created_at__lte=cutoff)
        )
        .order_by("id")[:STUCK_BATCH]
    )
    retry, gave_up = [], 0
    for payment in stuck:
        if payment.charge_attempts >= MAX_CHARGE_ATTEMPTS:
            _give_up(payment, by=by, now=now)
            gave_up += 1
            continue
        payment.charge_attempted_at = now
        payment.save(update_fields=["charge_attempted_at", "updated_at"])
        record_on(
            obj=payment,
            actor=by,
            verb="payment.saved_card_charge_retried",
            after={"attempt": payment.charge_attempts + 1, "of": MAX_CHARGE_ATTEMPTS},
        )
        retry.append(payment.pk)
    return retry, gave_up


def _give_up(payment: Payment, *, by: Actor, now: datetime) -> None:
    """The locked ``payment`` failed after its last try went unanswered; the client told."""
    if not payment.provider_reference:
        payment.provider_reference = f"offsession-{link_reference(payment=payment)}"
        payment.save(update_fields=["provider_reference", "updated_at"])
    payment = record_online_payment(
        seller=payment.seller,
        client=payment.client,
        provider=payment.provider,
        reference=payment.provider_reference,
        outcome=t.FAILED,
        amount=payment.amount,
        received_at=now,
        invoice=Invoice.objects.get(pk=payment.checkout_invoice_id),
        reason=f"stripe_unreachable: no answer after {payment.charge_attempts} attempts",
        by=by,
        now=now,
    )
    payment.failure_reason = GAVE_UP
    payment.save(update_fields=["failure_reason", "updated_at"])
    pk = payment.pk
    transaction.on_commit(lambda: _enqueue_email(pk))


# --- the client told of a charge that failed ----------------------------------------------


def recipients(*, client) -> list[str]:
    """The client's billing contacts, or its billing address when it has none."""
    emails = [c.email for c in client.contacts.filter(is_billing=True).order_by("id")]
    return emails or [client.email]


def email_failed_charge(*, payment: Payment) -> str:
    """Tell the client its card was not charged for the invoice (declined, or its bank asks it
    to authenticate), with the portal's page of the invoice to pay it. Returns the
    Message-ID; a mail server's failure is recorded and raised (the task is run again)."""
    payment = Payment.objects.select_related(
        "seller", "client", "client__seller", "saved_method", "checkout_invoice"
    ).get(pk=payment.pk)
    invoice, method = payment.checkout_invoice, payment.saved_method
    needs_client = method is not None and method.needs_client_at is not None
    to = recipients(client=payment.client)
    link = settings.BASE_URL + reverse("portal:invoice", kwargs={"invoice_id": invoice.pk})
    values = {
        "number": invoice.number,
        "amount": format_eur(payment.amount),
        "card": method.label if method else "",
        "link": link,
        "seller": payment.seller,
    }
    with translation.override(document_language(client=payment.client)):
        subject = _("Facture %(number)s : votre carte n'a pas pu être débitée") % values
        if payment.failure_reason == GAVE_UP:
            why = _("Notre prestataire de paiement n'a pas pu effectuer le prélèvement.")
        elif needs_client:
            why = _("Votre banque demande que vous confirmiez vous-même ce paiement.")
        else:
            why = _("Votre banque a refusé le paiement.")
        body = _(
            "Bonjour,\n\nNous n'avons pas pu débiter votre carte %(card)s de %(amount)s "
            "pour la facture %(number)s. %(why)s\n\nVous pouvez la payer dans votre espace "
            "client, bouton « Payer » : %(link)s\n\n%(seller)s"
        ) % (values | {"why": why})
    try:
        message_id = send_email(to=to, subject=subject, body=body)
    except OSError as exc:
        record_event(
            actor=None,
            seller=payment.seller,
            obj=payment,
            verb="payment.charge_email_failed",
            after={"to": to, "error": str(exc)[:300]},
        )
        raise
    record_event(
        actor=None,
        seller=payment.seller,
        obj=payment,
        verb="payment.charge_emailed",
        after={"to": to, "message_id": message_id},
    )
    return message_id
