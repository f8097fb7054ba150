"""The payment provider's hooks on an online order: paid, or failed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.kernel.inputs import exact_decimal
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
    require_online,
)
from clausier.orders.services.support import announce_cancelled, locked_order
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.money import format_eur
from clausier.terms.schemas import parse_parameters


def _amount(value: Any) -> Decimal:
    return exact_decimal(value, what=_("montant"))


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
) -> Order:
    """The payment of ``order`` was received (the card or PayPal provider's hook, art. 5):
    the order is ``paid`` and its execution deadline computed from the frozen clause
    ``execution.deadline`` by the rules core (art. 8: "au plus tard dans les 7 jours ouvrés
    suivant la réception de ce paiement"), stored with its explanation.

    ``amount`` must be the order's total TTC (ValidationError naming ``amount``). Idempotent:
    the same payment (provider and reference) recorded again changes nothing; the same
    reference with other values, or a payment for a cancelled order, is a Conflict.
    """
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    provider, reference = (provider or "").strip(), (reference or "").strip()
    errors: dict[str, str] = {}
    if not provider:
        errors["provider"] = _("indiquez le prestataire de paiement (carte, PayPal…)")
    if not reference:
        errors["reference"] = _("indiquez la référence du paiement chez le prestataire")
    if not isinstance(received_at, datetime) or timezone.is_naive(received_at):
        errors["received_at"] = _("date et heure de réception, avec fuseau horaire")
    elif received_at > now:
        errors["received_at"] = _("un paiement ne peut pas être reçu dans le futur")
    received = None
    try:
        received = _amount(amount)
    except ValueError as exc:
        errors["amount"] = str(exc)
    if errors:
        raise ValidationError(errors)

    same_payment = (order.payment_provider, order.payment_reference) == (provider, reference)
    if same_payment and order.paid_at is not None:
        if order.paid_at == received_at and order.payment_amount == received:
            return order
        raise Conflict(
            _(
                "Le paiement %(provider)s %(reference)s est déjà enregistré sur %(order)s "
                "(%(amount)s reçus le %(date)s) avec d'autres valeurs."
            )
            % {
                "provider": provider,
                "reference": reference,
                "order": order,
                "amount": format_eur(order.payment_amount),
                "date": f"{timezone.localtime(order.paid_at):%d/%m/%Y %H:%M}",
            }
        )
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
    t.check(label=str(order), current=order.status, target=t.PAID)
    if received != order.total_ttc:
        raise ValidationError(
            {
                "amount": _(
                    "le montant reçu (%(received)s) diffère du total TTC de la commande (%(total)s)"
                )
                % {"received": format_eur(received), "total": format_eur(order.total_ttc)}
            }
        )
    if (
        Order.objects.filter(
            seller=order.seller, payment_provider=provider, payment_reference=reference
        )
        .exclude(pk=order.pk)
        .exists()
    ):
        raise Conflict(
            _("Le paiement %(provider)s %(reference)s concerne une autre commande.")
            % {"provider": provider, "reference": reference}
        )

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
def record_payment_failure(
    *,
    order: Order,
    reason: str,
    by: Actor,
    provider: str = "",
    reference: str = "",
    now: datetime | None = None,
) -> Order:
    """A payment of ``order`` was rejected or cancelled (the provider's hook). Under terms
    whose ``payment.methods`` clause says ``on_failure: cancel_order`` (seed 000, art. 5: "si
    le paiement est rejeté ou annulé, la commande du client est annulée") the order is
    cancelled; otherwise the failure is recorded and the order keeps awaiting payment.

    A paid order is cancelled only by the cancellation of the payment that paid it (same
    provider and reference). Idempotent on the provider's reference: the same failure
    recorded again changes nothing.
    """
    now = aware_now(now)
    order = locked_order(order=order)
    require_online(order=order)
    provider, reference = (provider or "").strip(), (reference or "").strip()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("indiquez pourquoi le paiement a échoué")})
    same_payment = (order.payment_provider, order.payment_reference) == (provider, reference)
    if order.payment_failed_at is not None and same_payment:
        return order
    if order.status == OrderStatus.PAID:
        if not (reference and same_payment):
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
    elif order.status != OrderStatus.AWAITING_PAYMENT:
        raise Conflict(
            _("%(order)s est %(status)s : aucun paiement n'est attendu.")
            % {"order": order, "status": order.get_status_display().lower()}
        )
    clause = frozen_clause(order=order, kind=PAYMENT_CLAUSE)
    on_failure = clause["parameters"].get("on_failure") if clause else None
    cancels = domain.payment_failure_cancels(on_failure)
    if order.status == OrderStatus.PAID and not cancels:
        raise DomainError(
            _(
                "Les CGV %(terms)s ne disent pas ce que l'annulation d'un paiement reçu fait à la "
                "commande : à décider par le vendeur (%(order)s)."
            )
            % {"terms": order.terms_label, "order": order}
        )
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
