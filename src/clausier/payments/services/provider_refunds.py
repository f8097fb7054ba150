"""A card or PayPal refund carried out through the provider of its payment.

Three steps, so that a provider's answer is never half written and no row stays locked
while the provider is called: (1) in a transaction, the refund is checked (owed or refused
before, its payment's provider reference known, never more than what is left refundable of
the payment) and its idempotency key read; (2) the provider is called, outside any lock;
(3) in a transaction, its answer is recorded: the provider's refund reference and the refund
settled (the payment ``partially_refunded`` or ``refunded``, :class:`PaymentRefunded`), or
the refusal with the provider's message (``failed``, tried again later with a new key).

The idempotency key is the refund's own (``clausier-refund-<seller>-<refund>-<attempt>``):
two staff asking at once, or a call retried after a network error, refund once at the
provider (which answers the same refund to the same key), and the second answer finds the
refund settled and changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.models import Method, Refund
from clausier.payments.providers import paypal_gateway, stripe_gateway
from clausier.payments.providers.base import (
    ProviderError,
    ProviderRefused,
    ProviderUnavailable,
)
from clausier.payments.providers.base import Refund as ProviderRefund
from clausier.payments.services.refunds import locked_refund, settle_locked
from clausier.payments.services.support import locked_payment
from clausier.rules.money import ZERO, format_eur


def idempotency_key(*, refund: Refund) -> str:
    """The key of the refund's next call to its provider: the same until the provider
    refuses it (a refusal is final for its key), then the next attempt's."""
    return f"clausier-refund-{refund.seller_id}-{refund.pk}-{refund.attempts}"


def refundable_left(*, refund: Refund) -> Decimal:
    """What is left to give back of ``refund``'s payment once its refunds settled or on their
    way (this one excepted) are counted."""
    payment = refund.payment
    on_the_way = (
        Refund.objects.filter(payment=payment, status=t.SENT)
        .exclude(pk=refund.pk)
        .aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return payment.amount - payment.refunded_amount - on_the_way


@transaction.atomic
def _checked(refund: Refund) -> tuple[Refund, str]:
    refund = locked_refund(refund=refund)
    if refund.method not in t.PROVIDER_METHODS or refund.payment is None:
        raise Conflict(
            _("%(refund)s ne se rembourse pas par carte ni par PayPal.") % {"refund": refund}
        )
    if refund.status not in {t.OWED, t.REFUND_FAILED}:
        raise Conflict(_("%(refund)s est déjà envoyé ou remboursé.") % {"refund": refund})
    payment = locked_payment(payment=refund.payment)
    refund.payment = payment
    if payment.status not in t.SETTLED or not selectors.charge_reference(payment=payment):
        raise Conflict(
            _("Le paiement de %(refund)s n'a pas de référence chez son prestataire.")
            % {"refund": refund}
        )
    left = refundable_left(refund=refund)
    if refund.amount > left:
        raise Conflict(
            _(
                "%(refund)s dépasse ce qui reste remboursable du paiement (%(left)s) : "
                "rien n'a été demandé au prestataire."
            )
            % {"refund": refund, "left": format_eur(max(left, ZERO))}
        )
    return refund, idempotency_key(refund=refund)


def _call(refund: Refund, key: str) -> ProviderRefund:
    payment = refund.payment
    charge = selectors.charge_reference(payment=payment)
    if payment.method == Method.CARD:
        return stripe_gateway.refund_payment(
            payment_reference=charge, amount=refund.amount, idempotency_key=key
        )
    return paypal_gateway.refund_capture(
        payment_reference=charge,
        amount=refund.amount,
        idempotency_key=key,
        note=refund.reason,
    )


@transaction.atomic
def _record_refusal(refund: Refund, error: ProviderError, *, by: Actor) -> Refund:
    refund = locked_refund(refund=refund)
    if refund.status == t.REFUND_SETTLED:  # settled meanwhile by another call
        return refund
    before = {"status": refund.status}
    t.check_refund(label=str(refund), current=refund.status, target=t.REFUND_FAILED)
    refund.status = t.REFUND_FAILED
    refund.failure_reason = error.message
    refund.attempts += 1
    refund.save(update_fields=["status", "failure_reason", "attempts", "updated_at"])
    record_on(
        obj=refund,
        actor=by,
        verb="refund.refused",
        before=before,
        after={
            "status": refund.status,
            "provider": str(error.provider),
            "code": getattr(error, "code", ""),
            "message": error.message,
        },
    )
    return refund


@transaction.atomic
def _record_success(refund: Refund, answer: ProviderRefund, *, by: Actor, now: datetime) -> Refund:
    refund = locked_refund(refund=refund)
    if refund.status == t.REFUND_SETTLED:  # the same refund recorded by a concurrent call
        return refund
    refund.provider_reference = answer.reference
    if not answer.succeeded:
        # Accepted, not yet carried out (Stripe's "pending", PayPal's "PENDING"): sent; the
        # provider's later event settles it.
        before = {"status": refund.status}
        t.check_refund(label=str(refund), current=refund.status, target=t.SENT)
        refund.status, refund.sent_on = t.SENT, timezone.localdate(now)
        refund.failure_reason = ""
        refund.save(
            update_fields=[
                "status",
                "sent_on",
                "provider_reference",
                "failure_reason",
                "updated_at",
            ]
        )
        record_on(
            obj=refund,
            actor=by,
            verb="refund.sent_to_provider",
            before=before,
            after={"status": refund.status, "provider_reference": answer.reference},
        )
        return refund
    return settle_locked(
        refund=refund,
        day=timezone.localdate(now),
        by=by,
        now=now,
        verb="refund.refunded_by_provider",
    )


def refund_through_provider(*, refund: Refund, by: Actor, now: datetime | None = None) -> Refund:
    """Give ``refund`` back through the provider of its card or PayPal payment.

    Returns the refund settled (its ``provider_reference`` the provider's refund), or
    ``failed`` with the provider's message in ``failure_reason`` when the provider refused.
    A Conflict (nothing asked, nothing written) when the refund is not a provider's or not
    owed, or exceeds what is left refundable. A provider out of reach raises
    :class:`ProviderUnavailable` and writes nothing: asking again reuses the same key."""
    now = aware_now(now)
    refund, key = _checked(refund)
    try:
        answer = _call(refund, key)
    except ProviderUnavailable:
        raise
    except ProviderRefused as exc:
        return _record_refusal(refund, exc, by=by)
    if answer.status.lower() in {"failed", "canceled", "cancelled"}:
        return _record_refusal(
            refund,
            ProviderError(answer.provider, f"{answer.provider}: {answer.status}"),
            by=by,
        )
    return _record_success(refund, answer, by=by, now=now)
