"""Online payments (card, PayPal): the outcome a provider reports, and the payment of an
online order recorded by staff (seed 000 art. 4-5).

:func:`record_online_payment` is the provider's entry: idempotent on the provider's
reference (one payment however often, and however concurrently, it is reported), never
moving a state backwards (a late "failed" after "succeeded" is recorded as ignored). The
order reacts to the facts (:class:`PaymentSucceeded`: paid, invoiced, its execution clock
started; :class:`PaymentFailed`: cancelled, art. 5).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.orders import transitions as order_transitions
from clausier.orders.models import Order, OrderStatus
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.checks import positive_amount, single_line
from clausier.payments.events import PaymentFailed, PaymentSucceeded
from clausier.payments.models import Method, Payment
from clausier.payments.services.allocation import allocate_locked, check_allocation
from clausier.payments.services.refunds import owe_refund_locked
from clausier.payments.services.support import (
    locked_invoice,
)
from clausier.rules.money import format_eur
from clausier.sellers.models import Seller

VERBS = {
    t.SUCCEEDED: "payment.succeeded",
    t.FAILED: "payment.failed",
    t.CANCELLED: "payment.cancelled",
}


def _method_of(provider: str) -> str:
    """The method a provider's name stands for: PayPal, or a card (Stripe...)."""
    return Method.PAYPAL if provider.lower() == Method.PAYPAL else Method.CARD


def _claim(*, seller: Seller, provider: str, reference: str, fields: dict) -> Payment:
    """The payment of ``reference`` at ``provider``, locked; created ``pending`` when it is
    the first report. Two reports at once: the second insert waits for the first, fails on
    the unique constraint and reads the row the first wrote."""
    lookup = {"seller": seller, "provider": provider, "provider_reference": reference}
    found = Payment.objects.select_for_update(of=("self",)).filter(**lookup).first()
    if found is not None or not reference:
        return found or Payment.objects.create(**lookup, status=t.PENDING, **fields)
    try:
        with transaction.atomic():
            return Payment.objects.create(**lookup, status=t.PENDING, **fields)
    except IntegrityError:
        return Payment.objects.select_for_update(of=("self",)).get(**lookup)


def _check_report(
    *, provider: str, reference: str, outcome: str, amount: Any, received_at, now: datetime
) -> Decimal:
    errors: dict[str, str] = {}
    if not provider:
        errors["provider"] = _("indiquez le prestataire de paiement (carte, PayPal…)")
    if not reference:
        errors["reference"] = _("indiquez la référence du paiement chez le prestataire")
    if outcome not in t.OUTCOMES:
        errors["outcome"] = _("issue attendue : succeeded, failed ou cancelled")
    if not isinstance(received_at, datetime) or timezone.is_naive(received_at):
        errors["received_at"] = _("date et heure de réception, avec fuseau horaire")
    elif received_at > now:
        errors["received_at"] = _("un paiement ne peut pas être reçu dans le futur")
    value = positive_amount(amount, errors)
    if errors:
        raise ValidationError(errors)
    return value


def _same_values_or_conflict(payment: Payment, *, amount: Decimal, received_at) -> None:
    if payment.amount != amount or (
        payment.status == t.SUCCEEDED and payment.received_at not in (None, received_at)
    ):
        raise Conflict(
            _(
                "Le paiement %(provider)s %(reference)s est déjà enregistré (%(amount)s, "
                "%(status)s) avec d'autres valeurs."
            )
            % {
                "provider": payment.provider,
                "reference": payment.provider_reference,
                "amount": format_eur(payment.amount),
                "status": payment.get_status_display().lower(),
            }
        )


def _apply(
    payment: Payment, *, outcome: str, received_at, reason: str, by: Actor, now: datetime
) -> None:
    before = {"status": payment.status}
    payment.status = outcome
    fields = ["status", "updated_at"]
    if outcome == t.SUCCEEDED:
        payment.received_at = received_at
        payment.received_on = payment.settled_on = timezone.localdate(received_at)
        fields += ["received_at", "received_on", "settled_on"]
    else:
        payment.failure_reason = reason
        fields.append("failure_reason")
    payment.save(update_fields=fields)
    record_on(
        obj=payment,
        actor=by,
        verb=VERBS[outcome],
        before=before,
        after={
            "status": outcome,
            "provider": payment.provider,
            "reference": payment.provider_reference,
            "amount": str(payment.amount),
            **({"reason": reason} if reason else {}),
        },
    )


def _announce(payment: Payment, *, reason: str, by: Actor, now: datetime) -> None:
    if payment.status == t.SUCCEEDED:
        publish(
            PaymentSucceeded(
                payment_id=payment.pk,
                seller_id=payment.seller_id,
                order_id=payment.order_id,
                method=payment.method,
                provider=payment.provider,
                reference=payment.provider_reference,
                amount=payment.amount,
                received_at=payment.received_at,
                at=now,
                by=by,
            )
        )
    else:
        publish(
            PaymentFailed(
                payment_id=payment.pk,
                seller_id=payment.seller_id,
                order_id=payment.order_id,
                outcome=payment.status,
                provider=payment.provider,
                reference=payment.provider_reference,
                reason=reason,
                at=now,
                by=by,
            )
        )


def _after_success(payment: Payment, *, invoice: Invoice | None, by: Actor, now: datetime):
    """Allocate a payment made for an invoice; owe back a payment its order cannot take."""
    if invoice is not None:
        invoice = locked_invoice(invoice=invoice)
        share = min(
            selectors.invoice_balance(invoice=invoice), selectors.unallocated(payment=payment)
        )
        if share > 0:
            check_allocation(payment=payment, invoice=invoice, amount=share)
            allocate_locked(payment=payment, invoice=invoice, amount=share, by=by, now=now)
    if payment.order_id is None:
        return
    order = Order.objects.only("status", "reference").get(pk=payment.order_id)
    left = selectors.unallocated(payment=payment)
    if order.status == OrderStatus.CANCELLED and left > 0:
        owe_refund_locked(
            payment=payment,
            amount=left,
            # Shown to the client and staff, in French as the order's documents are.
            reason=f"Paiement reçu pour la commande {order.reference}, annulée : à rembourser.",
            by=by,
        )


@transaction.atomic
def record_online_payment(
    *,
    seller: Seller,
    client: Client,
    provider: str,
    reference: str,
    outcome: str,
    amount: Any,
    received_at: datetime,
    by: Actor,
    order: Order | None = None,
    invoice: Invoice | None = None,
    method: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Payment:
    """The outcome (``succeeded``, ``failed``, ``cancelled``) a provider reports for its
    payment ``reference`` of ``amount``, for an online ``order`` or an ``invoice``.

    Idempotent: the same reference is one payment, the same outcome reported again changes
    nothing. A state never moves backwards: an outcome the state table does not allow (a
    "failed" after "succeeded") changes nothing and is recorded as ignored
    (``payment.outcome_ignored``). A success is allocated to ``invoice``; a success for an
    order already cancelled is owed back to the client.
    """
    now = aware_now(now)
    provider, reference = single_line(provider), single_line(reference)
    value = _check_report(
        provider=provider,
        reference=reference,
        outcome=outcome,
        amount=amount,
        received_at=received_at,
        now=now,
    )
    payment = _claim(
        seller=seller,
        provider=provider,
        reference=reference,
        fields={
            "client": client,
            "order": order,
            "method": method or _method_of(provider),
            "amount": value,
            "recorded_by": acting_user(by=by),
        },
    )
    return _report(
        payment,
        outcome=outcome,
        amount=value,
        received_at=received_at,
        reason=single_line(reason),
        invoice=invoice,
        by=by,
        now=now,
    )


def _report(
    payment: Payment,
    *,
    outcome: str,
    amount: Decimal,
    received_at,
    reason: str,
    invoice: Invoice | None,
    by: Actor,
    now: datetime,
) -> Payment:
    if payment.status == outcome:
        if outcome == t.SUCCEEDED:
            _same_values_or_conflict(payment, amount=amount, received_at=received_at)
        return payment
    if t.is_backwards(current=payment.status, target=outcome):
        record_on(
            obj=payment,
            actor=by,
            verb="payment.outcome_ignored",
            after={"status": payment.status, "reported": outcome, "reason": reason},
        )
        return payment
    if outcome == t.SUCCEEDED and payment.amount != amount:
        _same_values_or_conflict(payment, amount=amount, received_at=received_at)
    _apply(payment, outcome=outcome, received_at=received_at, reason=reason, by=by, now=now)
    _announce(payment, reason=reason, by=by, now=now)
    if outcome == t.SUCCEEDED:
        _after_success(payment, invoice=invoice, by=by, now=now)
    return payment


# --- an online order's payment, recorded by staff --------------------------------------------


def _require_online(order: Order) -> None:
    if order.quote_id is not None:
        raise Conflict(
            _("%(order)s est issue d'un devis : elle ne suit pas le parcours en ligne.")
            % {"order": order}
        )


def _with_order(payment: Payment) -> Payment:
    """``payment`` read again with its order as the reactions left it."""
    return Payment.objects.select_related("order", "client").get(pk=payment.pk)


def _locked_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=order.pk)
    )


@transaction.atomic
def record_payment(
    *,
    order: Order,
    received_at: datetime,
    provider: str,
    reference: str,
    amount: Any,
    by: Actor,
    now: datetime | None = None,
) -> Payment:
    """The payment of an online ``order`` received (art. 5), as staff or a provider's hook
    states it: refused, with nothing written, unless the order awaits exactly that amount
    (a ValidationError naming ``amount``), or when it is cancelled (the payment is then to
    refund: a Conflict saying so). The same payment recorded again changes nothing; the
    same reference with other values is a Conflict. The order then becomes ``paid``, its
    execution deadline computed and its invoice issued (orders and invoicing react)."""
    now = aware_now(now)
    order = _locked_order(order)
    _require_online(order)
    provider, reference = single_line(provider), single_line(reference)
    value = _check_report(
        provider=provider,
        reference=reference,
        outcome=t.SUCCEEDED,
        amount=amount,
        received_at=received_at,
        now=now,
    )
    existing = selectors.payment_by_reference(
        seller=order.seller, provider=provider, reference=reference
    )
    if existing is not None and existing.status == t.SUCCEEDED:
        if existing.order_id != order.pk:
            raise Conflict(
                _("Le paiement %(provider)s %(reference)s concerne une autre commande.")
                % {"provider": provider, "reference": reference}
            )
        _same_values_or_conflict(existing, amount=value, received_at=received_at)
        return _with_order(existing)
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(
            _(
                "%(order)s est annulée (%(reason)s) : le paiement %(provider)s %(reference)s "
                "reçu est à rembourser."
            )
            % {
                "order": order,
                "reason": order.cancellation_reason,
                "provider": provider,
                "reference": reference,
            }
        )
    order_transitions.check(label=str(order), current=order.status, target=order_transitions.PAID)
    if value != order.total_ttc:
        raise ValidationError(
            {
                "amount": _(
                    "le montant reçu (%(received)s) diffère du total TTC de la commande (%(total)s)"
                )
                % {"received": format_eur(value), "total": format_eur(order.total_ttc)}
            }
        )
    payment = record_online_payment(
        seller=order.seller,
        client=order.client,
        provider=provider,
        reference=reference,
        outcome=t.SUCCEEDED,
        amount=value,
        received_at=received_at,
        order=order,
        by=by,
        now=now,
    )
    return _with_order(payment)


@transaction.atomic
def record_payment_failure(
    *,
    order: Order,
    reason: str,
    by: Actor,
    provider: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> Payment:
    """A payment of an online ``order`` was rejected or cancelled (art. 5: "si le paiement
    est rejeté ou annulé, la commande du client est annulée"), as staff or a provider's hook
    states it. Refused unless the order awaits its payment (a Conflict saying why); the
    failure of the payment that paid it changes nothing (a state never moves backwards),
    recorded as ignored. The same failure recorded again changes nothing."""
    now = aware_now(now)
    order = _locked_order(order)
    _require_online(order)
    provider, reference, reason = single_line(provider), single_line(reference), single_line(reason)
    if not reason:
        raise ValidationError({"reason": _("indiquez pourquoi le paiement a échoué")})
    existing = next(
        (
            p
            for p in selectors.payments_of_order(order=order)
            if (p.provider, p.provider_reference) == (provider, reference)
        ),
        None,
    )
    if existing is not None and existing.status in {t.FAILED, t.CANCELLED}:
        return _with_order(existing)
    paid_by_it = (order.payment_provider, order.payment_reference) == (provider, reference)
    if order.status == OrderStatus.PAID and not (reference and paid_by_it):
        raise Conflict(
            _(
                "%(order)s est payée (%(provider)s %(reference)s) : l'échec d'un autre "
                "paiement ne la change pas."
            )
            % {
                "order": order,
                "provider": order.payment_provider,
                "reference": order.payment_reference,
            }
        )
    if order.status not in {OrderStatus.PAID, OrderStatus.AWAITING_PAYMENT}:
        raise Conflict(
            _("%(order)s est %(status)s : aucun paiement n'est attendu.")
            % {"order": order, "status": order.get_status_display().lower()}
        )
    payment = _claim(
        seller=order.seller,
        provider=provider,
        reference=reference,
        fields={
            "client": order.client,
            "order": order,
            "method": _method_of(provider),
            "amount": order.total_ttc,
            "recorded_by": acting_user(by=by),
        },
    )
    payment = _report(
        payment,
        outcome=t.FAILED,
        amount=payment.amount,
        received_at=now,
        reason=reason,
        invoice=None,
        by=by,
        now=now,
    )
    return _with_order(payment)
