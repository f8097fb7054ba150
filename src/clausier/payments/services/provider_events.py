"""The providers' webhook events, each processed exactly once.

:func:`receive_provider_event` stores the verified event (:class:`ProviderEvent` row, unique on
provider and event id) and processes it in the same transaction. A delivery of an event
already stored (a retry, a replay, the same event delivered many times at once) finds the row
and changes nothing: on PostgreSQL the second insert waits for the first transaction, then
fails on the unique constraint. Distinct events about one payment (Stripe's
``checkout.session.completed`` and a later ``expired``, PayPal's capture completed then its
order voided) are ordered by the payment's state table: a state never moves backwards
(:func:`clausier.payments.services.online.record_online_payment`).

What an event does:

- ``succeeded`` / ``failed`` / ``cancelled``: the outcome of the payment opened at checkout
  (found by its session or PayPal order id), allocated to the invoice of the
  :class:`PaymentLink` on success; orders react (an online order paid, or cancelled, art. 5).
  A saved card's charge is recorded by the task that made it; its intent's event records the
  outcome only when the task never got Stripe's answer (the payment pending, no reference).
- ``approved`` (PayPal): the order is captured; the capture's own event records the payment.
- ``refunded``: :func:`record_provider_refund`.
- anything else is kept, with why it was ignored.

An event refused on its content (another amount, a refund larger than what is left) is kept
with the reason (``refused: ...``) and logged: delivering it again would not change it. An
unexpected error, or a provider unreachable while capturing, rolls everything back so that
the provider's retry processes the event.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.payments import transitions as t
from clausier.payments.models import Payment, Refund
from clausier.payments.models import ProviderEvent as StoredEvent
from clausier.payments.providers import stripe_gateway
from clausier.payments.providers.base import (
    CURRENCY,
    EventKind,
    ProviderEvent,
    ProviderRefused,
)
from clausier.payments.services.checkout import capture_approved, payment_id_of
from clausier.payments.services.online import record_online_payment
from clausier.payments.services.refunds import mark_refund_settled, record_refund_owed
from clausier.payments.services.saved_cards import (
    link_reference,
    record_charge_event,
    save_from_checkout,
)

logger = logging.getLogger("clausier.payments")

APPLIED, IGNORED, REFUSED = "applied", "ignored", "refused"
# Said to the client and staff when a provider reports a failure without its reason (French,
# as the order's documents are: it becomes the order's cancellation reason).
DEFAULT_REASONS = {
    EventKind.FAILED: "paiement refusé par le prestataire",
    EventKind.CANCELLED: "paiement annulé ou expiré chez le prestataire",
}

Outcome = tuple[Payment | None, str]


def _digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


@transaction.atomic
def receive_provider_event(
    *, event: ProviderEvent, payload: bytes, by: Actor = None, now: datetime | None = None
) -> tuple[StoredEvent, bool]:
    """Store ``event`` (verified by the gateway) and process it, once. Returns the stored row
    and whether this call processed it (False: delivered before, nothing changed)."""
    now = aware_now(now)
    key = {"provider": str(event.provider), "event_id": event.event_id[:255]}
    try:
        with transaction.atomic():
            stored = StoredEvent.objects.create(
                **key,
                event_type=event.event_type[:100],
                kind=str(event.kind),
                payload_digest=_digest(payload),
                checkout_reference=event.checkout_reference[:200],
                payment_reference=event.payment_reference[:200],
                received_at=now,
            )
    except IntegrityError:
        stored = StoredEvent.objects.get(**key)
        if stored.payload_digest != _digest(payload):
            logger.warning(
                "%s event %s delivered again with another content: ignored",
                event.provider,
                event.event_id,
            )
        return stored, False
    payment, outcome = _process(event, by=by, now=now)
    stored.payment, stored.outcome, stored.processed_at = payment, outcome, aware_now(None)
    stored.save(update_fields=["payment", "outcome", "processed_at"])
    return stored, True


def _process(event: ProviderEvent, *, by: Actor, now: datetime) -> Outcome:
    handler = HANDLERS.get(event.kind, _ignore)
    try:
        return handler(event, by=by, now=now)
    except (ValidationError, Conflict, ProviderRefused) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        logger.warning("%s event %s refused: %s", event.provider, event.event_id, reason)
        return _payment_of(event), f"{REFUSED}: {reason}"


def _payment_of(event: ProviderEvent) -> Payment | None:
    """The payment an event is about: by its session or PayPal order (the payment's
    ``provider_reference``), by the PaymentIntent or capture of an earlier event, then by the
    :class:`PaymentLink` the payment was opened with."""
    payments = Payment.objects.select_related("seller", "client", "order")
    if event.checkout_reference:
        found = payments.filter(
            provider=str(event.provider), provider_reference=event.checkout_reference
        ).first()
        if found is not None:
            return found
    if event.payment_reference:
        earlier = (
            StoredEvent.objects.filter(
                provider=str(event.provider),
                payment_reference=event.payment_reference,
                payment__isnull=False,
            )
            .values_list("payment_id", flat=True)
            .first()
        )
        if earlier is not None:
            return payments.get(pk=earlier)
    link, pk = event.link, payment_id_of(link=event.link)
    if link is None or pk is None or not link.seller.isdigit():
        return None
    return payments.filter(pk=pk, seller_id=int(link.seller), provider=str(event.provider)).first()


def _invoice_of(payment: Payment, event: ProviderEvent) -> Invoice | None:
    """The invoice the payment was opened for (the link's), if it is the payment's client's."""
    link = event.link
    if link is None or not link.invoice.isdigit():
        return None
    return Invoice.objects.filter(
        pk=int(link.invoice), seller_id=payment.seller_id, client_id=payment.client_id
    ).first()


def _outcome(event: ProviderEvent, *, by: Actor, now: datetime) -> Outcome:
    payment = _payment_of(event)
    if payment is None:
        return None, f"{IGNORED}: no payment of this seller for this {event.provider} object"
    if (event.currency or CURRENCY).upper() != CURRENCY:
        return payment, f"{REFUSED}: currency {event.currency}, {CURRENCY} expected"
    if payment.saved_method_id is not None:
        charged = _saved_card_charge(payment, event, by=by, now=now)
        if charged is not None:
            return charged, f"{APPLIED}: payment {charged.status} (saved card charge)"
        if payment.status == str(event.kind) or not payment.provider_reference:
            # The task recorded Stripe's answer: the intent's event confirms what is known.
            return payment, f"{IGNORED}: payment {payment.status} when charged"
    reason = event.reason or DEFAULT_REASONS.get(event.kind, "")
    payment = record_online_payment(
        seller=payment.seller,
        client=payment.client,
        provider=payment.provider,
        reference=payment.provider_reference,
        outcome=str(event.kind),
        amount=event.amount if event.amount is not None else payment.amount,
        received_at=min(event.occurred_at, now),
        order=payment.order,
        invoice=_invoice_of(payment, event),
        reason=reason if event.kind != EventKind.SUCCEEDED else "",
        by=by,
        now=now,
    )
    version = event.metadata.get(stripe_gateway.SAVE_CARD_KEY, "")
    if event.kind == EventKind.SUCCEEDED and version and payment.status == t.SUCCEEDED:
        saved = save_from_checkout(
            payment=payment,
            payment_reference=event.payment_reference,
            version=version,
            by=by,
            now=now,
        )
        if saved is not None:
            return payment, f"{APPLIED}: payment {payment.status}, card {saved.pk} saved"
    return payment, f"{APPLIED}: payment {payment.status}"


def _saved_card_charge(
    payment: Payment, event: ProviderEvent, *, by: Actor, now: datetime
) -> Payment | None:
    """The outcome of the off-session intent made for a pending saved-card ``payment`` whose
    answer the task has not recorded (lost to a timeout or a 5xx): recorded from the event
    when its link names this very payment. None otherwise."""
    link = event.link
    if (
        payment.status != t.PENDING
        or payment.provider_reference
        or event.kind not in (EventKind.SUCCEEDED, EventKind.FAILED)
        or not event.metadata.get(stripe_gateway.OFF_SESSION_KEY)
        or not event.payment_reference
        or link is None
        or link.payment != link_reference(payment=payment)
    ):
        return None
    return record_charge_event(
        payment=payment,
        reference=event.payment_reference,
        outcome=str(event.kind),
        amount=event.amount if event.amount is not None else payment.amount,
        occurred_at=event.occurred_at,
        reason=event.reason or DEFAULT_REASONS.get(event.kind, ""),
        by=by,
        now=now,
    )


def _capture(event: ProviderEvent, *, by: Actor, now: datetime) -> Outcome:
    payment = _payment_of(event)
    if payment is None:
        return None, f"{IGNORED}: no payment of this seller for this PayPal order"
    checkout = capture_approved(payment=payment)
    if checkout is None:
        return payment, f"{IGNORED}: payment {payment.status}, nothing to capture"
    return payment, f"{APPLIED}: captured ({checkout.status})"


def _refund(event: ProviderEvent, *, by: Actor, now: datetime) -> Outcome:
    payment = _payment_of(event)
    if payment is None:
        return None, f"{IGNORED}: refund of a payment unknown here"
    if event.amount is None or event.amount <= 0:
        return payment, f"{IGNORED}: refund without its amount"
    refund = record_provider_refund(
        payment=payment,
        reference=event.refund_reference,
        amount=event.amount,
        settled_at=min(event.occurred_at, now),
        by=by,
        now=now,
    )
    return payment, f"{APPLIED}: refund {refund.pk} {refund.status}"


def _ignore(event: ProviderEvent, *, by: Actor, now: datetime) -> Outcome:
    why = f" ({event.reason})" if event.reason else ""
    return _payment_of(event), f"{IGNORED}: {event.event_type}{why}"


HANDLERS: dict[EventKind, Callable[..., Outcome]] = {
    EventKind.SUCCEEDED: _outcome,
    EventKind.FAILED: _outcome,
    EventKind.CANCELLED: _outcome,
    EventKind.APPROVED: _capture,
    EventKind.REFUNDED: _refund,
}


@transaction.atomic
def record_provider_refund(
    *,
    payment: Payment,
    reference: str,
    amount: Decimal,
    settled_at: datetime,
    by: Actor,
    now: datetime | None = None,
) -> Refund:
    """A refund the provider carried out (``reference``: its id at the provider): the refund
    owed that it settles (the one sent with this reference, else one owed of this amount not
    sent yet), or, for a refund made at the provider directly, one recorded from the payment's
    credit; then settled. The same refund reported again changes nothing."""
    now = aware_now(now)
    refunds = Refund.objects.filter(payment=payment)
    refund = refunds.filter(reference=reference).first() if reference else None
    if refund is None:
        refund = (
            refunds.filter(status__in=[t.OWED, t.SENT], amount=amount, reference="")
            .order_by("created_at", "id")
            .first()
        )
    if refund is None:
        refund = record_refund_owed(
            payment=payment,
            amount=amount,
            reason=f"Remboursement {payment.provider} {reference}".strip(),
            by=by,
            now=now,
        )
    if refund.status == t.REFUND_SETTLED:
        return refund
    return mark_refund_settled(
        refund=refund,
        settled_on=timezone.localdate(settled_at),
        reference=reference,
        by=by,
        now=now,
    )
