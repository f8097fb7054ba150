"""An online order's payment received or failed, as payments announces it (seed 000 art.
5): the order paid with its execution deadline, or cancelled."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.events import (
    OrderPaid,
)
from clausier.orders.models import Order, OrderStatus
from clausier.orders.services.activation import earliest_service_start
from clausier.orders.services.online import (
    EXECUTION_CLAUSE,
    PAYMENT_CLAUSE,
    frozen_clause,
)
from clausier.orders.services.support import announce_cancelled, locked_order
from clausier.rules.calendar import FrenchCalendar
from clausier.terms.schemas import parse_parameters


@transaction.atomic
def mark_paid(
    *,
    order_id: int,
    received_at: datetime,
    provider: str,
    reference: str,
    amount: Decimal,
    by: Actor,
    now: datetime | None = None,
) -> Order:
    """The payment of an online order was received (payments' :class:`PaymentSucceeded`,
    art. 5): the order is ``paid`` and its execution deadline computed from the frozen
    clause ``execution.deadline`` by the rules core (art. 8: "au plus tard dans les 7 jours
    ouvrés suivant la réception de ce paiement"), stored with its explanation.

    Payments checked the payment against the order before recording it; an order that no
    longer awaits it (paid already, cancelled meanwhile) or another amount changes nothing
    here: the payment stays with payments, as credit or a refund owed.
    """
    now = aware_now(now)
    order = locked_order(order=Order(pk=order_id))
    if order.status != OrderStatus.AWAITING_PAYMENT or amount != order.total_ttc:
        return order
    received = amount
    paid_on = timezone.localdate(received_at)
    deadline_on, explanation = None, {}
    clause = frozen_clause(order=order, kind=EXECUTION_CLAUSE)
    if clause is not None:
        params = parse_parameters(clause["kind"], clause["parameters"])
        explained = domain.execution_deadline(
            paid_on=paid_on,
            n=params.n,
            unit=params.unit,
            start_event=params.from_,
            clause_id=clause["clause"],
            terms_label=clause["terms"],
            calendar=FrenchCalendar(),
        )
        deadline_on = explained.value
        sentence = domain.execution_sentence(
            deadline_on=deadline_on,
            paid_on=paid_on,
            n=params.n,
            unit=params.unit,
            start_event=params.from_,
            article=clause["article"],
            terms_label=clause["terms"],
        )
        # The French text, and its words to word it again in the reader's language.
        explanation = explained.as_dict() | {
            "article": clause["article"],
            "why": str(sentence),
            "why_words": sentence.as_dict(),
        }
    start = earliest_service_start(order=order)
    if deadline_on is not None and start is not None and start.value > deadline_on:
        # A consumer who did not ask for an early start cannot be served before the end of
        # the withdrawal period (L221-25): the start is due on the first day the law allows.
        deadline_on = start.value
        sentence = domain.after_withdrawal_sentence(
            why=domain.stored_why(explanation), start=deadline_on
        )
        explanation = explanation | {
            "value": deadline_on.isoformat(),
            "withdrawal": start.as_dict(),
            "why": str(sentence),
            "why_words": sentence.as_dict(),
        }
    before = {"status": order.status}
    order.status = OrderStatus.PAID
    order.paid_at = received_at
    order.payment_provider = provider
    order.payment_reference = reference
    order.payment_amount = received
    order.execution_deadline = deadline_on
    order.execution_deadline_explanation = explanation
    order.save(
        update_fields=[
            "status",
            "paid_at",
            "payment_provider",
            "payment_reference",
            "payment_amount",
            "execution_deadline",
            "execution_deadline_explanation",
        ]
    )
    record_on(
        obj=order,
        actor=by,
        verb="order.paid",
        before=before,
        after={
            "status": order.status,
            "received_at": received_at.isoformat(),
            "provider": provider,
            "reference": reference,
            "amount": str(received),
            "execution_deadline": deadline_on.isoformat() if deadline_on else None,
            # The sentence's words, so that the journal says it in the reader's language.
            "why": explanation.get("why_words") or explanation.get("why", ""),
        },
    )
    # Art. 4 (seed 000): "Suite à la réception du paiement [...] une facture est éditée
    # automatiquement", in this transaction (invoicing; idempotent, never refuses the payment).
    publish(OrderPaid(order_id=order.pk, seller_id=order.seller_id, at=now, by=by))
    return order


@transaction.atomic
def cancel_for_failed_payment(
    *,
    order_id: int,
    reason: str,
    by: Actor,
    provider: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> Order:
    """A payment of an online order was rejected or cancelled (payments' :class:`PaymentFailed`).
    Under terms whose ``payment.methods`` clause says ``on_failure: cancel_order`` (seed 000,
    art. 5: "si le paiement est rejeté ou annulé, la commande du client est annulée") the
    order is cancelled, the reason kept to be shown to client and staff; otherwise the
    failure is recorded and the order keeps awaiting payment. Only an order awaiting its
    payment changes.
    """
    now = aware_now(now)
    order = locked_order(order=Order(pk=order_id))
    provider, reference = (provider or "").strip(), (reference or "").strip()
    reason = (reason or "").strip()
    if order.status != OrderStatus.AWAITING_PAYMENT:
        return order
    clause = frozen_clause(order=order, kind=PAYMENT_CLAUSE)
    on_failure = clause["parameters"].get("on_failure") if clause else None
    cancels = domain.payment_failure_cancels(on_failure)
    before = {"status": order.status}
    fields = ["payment_failed_at", "payment_provider", "payment_reference"]
    order.payment_failed_at = now
    order.payment_provider = provider
    order.payment_reference = reference
    payment = " ".join(part for part in (provider, reference) if part)
    if cancels:
        t.check(label=str(order), current=order.status, target=t.CANCELLED)
        source = f"{clause['article']} CGV {clause['terms']}"
        order.status = OrderStatus.CANCELLED
        order.closed_at = now
        order.cancellation_reason = (
            f"paiement rejeté ou annulé{f' ({payment})' if payment else ''} : {reason}. "
            f"{source} : la commande est annulée."
        )
        fields += ["status", "closed_at", "cancellation_reason"]
    order.save(update_fields=fields)
    if cancels:
        announce_cancelled(order=order, by=by, now=now)
    record_on(
        obj=order,
        actor=by,
        verb="order.payment_failed",
        before=before,
        after={
            "status": order.status,
            "reason": reason,
            "provider": provider,
            "reference": reference,
            "cancelled": cancels,
            "clause": clause["clause"] if clause else "",
        },
    )
    return order
