"""Every write on withdrawals: a request submitted from the portal or registered by staff
(received by e-mail or by post, with its date), decided at once and frozen with its reasons;
the acknowledgement recorded once e-mailed. The refund is payments' (its refunds are marked
sent and settled there; the selectors read them).

A request is one transaction: the order's row is locked (two requests for one order wait on
each other, and the database keeps one accepted withdrawal per order), the decision is taken
by :func:`clausier.withdrawal.domain.decide`, one audit event is written, and an accepted
withdrawal publishes :class:`~clausier.withdrawal.events.WithdrawalAccepted` (the order is
withdrawn, its invoices credited but the L221-25 amount, the refund follows from the credit
notes, the service ends). The acknowledgement (an e-mail with its PDF, on a durable
medium) leaves after the commit, from a task (:mod:`clausier.withdrawal.delivery`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.customers.selectors import document_language
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.kernel.events import publish
from clausier.kernel.inputs import check_date_window
from clausier.orders import transitions as order_states
from clausier.orders.models import Order
from clausier.rules.calendar import FrenchCalendar
from clausier.sellers.models import Seller
from clausier.terms.schemas import ClauseKind
from clausier.withdrawal import domain, selectors
from clausier.withdrawal import transitions as t
from clausier.withdrawal.delivery import acknowledge_after_commit
from clausier.withdrawal.events import WithdrawalAccepted
from clausier.withdrawal.models import Channel, WithdrawalRequest

STAFF_CHANNELS = (Channel.EMAIL, Channel.POST)


def _single_line(value: Any) -> str:
    return " ".join(str(value or "").split())


def _frozen_clause(order: Order, kind: str) -> dict[str, Any] | None:
    return next((c for c in (order.clauses or {}).values() if c.get("kind") == kind), None)


def order_facts(*, order: Order) -> domain.OrderFacts:
    """What the decision reads of ``order`` (see :class:`domain.OrderFacts`)."""
    concluded = order.concluded_at or order.ordered_at
    return domain.OrderFacts(
        concluded_on=timezone.localdate(concluded),
        express_start=order.express_start,
        started_on=timezone.localdate(order.started_at) if order.started_at else None,
        completed_on=(
            timezone.localdate(order.closed_at)
            if order.status == order_states.COMPLETED and order.closed_at
            else None
        ),
        price=order.total_ttc,
        lines=tuple(
            (line.unit, line.unit_label, line.quantity)
            for line in order.lines.order_by("position", "id")
        ),
        withdrawal_clause=_frozen_clause(order, ClauseKind.WITHDRAWAL_PERIOD),
        refund_clause=_frozen_clause(order, ClauseKind.WITHDRAWAL_REFUND),
    )


def _locked_order(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("client").get(pk=order.pk)


def _check_order(order: Order) -> None:
    if order.client.is_professional:
        raise DomainError(
            _(
                "Le droit de rétractation est un droit du consommateur (C. conso. L221-18) : "
                "%(client)s, client professionnel, ne peut pas s'en prévaloir pour la "
                "%(order)s."
            )
            % {"client": order.client, "order": order}
        )
    if order.withdrawals.filter(status=t.ACCEPTED).exists():
        raise Conflict(_("Le client s'est déjà rétracté de la %(order)s.") % {"order": order})
    if order.status not in selectors.WITHDRAWABLE:
        raise DomainError(
            _(
                "La %(order)s n'est pas un contrat conclu en cours (%(status)s) : il n'y a rien "
                "dont se rétracter."
            )
            % {"order": order, "status": order.get_status_display()}
        )


def _received_on(value: Any, order: Order, now: datetime) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({"received_on": _("date attendue (AAAA-MM-JJ)")})
    if value > timezone.localdate(now):
        raise ValidationError(
            {"received_on": _("une rétractation ne peut pas être reçue dans le futur")}
        )
    check_date_window(value, "received_on")
    concluded = timezone.localdate(order.concluded_at or order.ordered_at)
    if value < concluded:
        raise ValidationError(
            {
                "received_on": _(
                    "la rétractation ne peut pas précéder la conclusion du contrat (%(date)s)"
                )
                % {"date": concluded.strftime("%d/%m/%Y")}
            }
        )
    return value


def _decide(
    *,
    order: Order,
    channel: str,
    received_on: date,
    consumer_name: str,
    consumer_address: str,
    statement: str,
    by: Actor,
    now: datetime,
) -> WithdrawalRequest:
    calendar = FrenchCalendar()
    decision = domain.decide(
        order=order_facts(order=order), received_on=received_on, calendar=calendar
    )
    withdrawal = WithdrawalRequest(
        seller_id=order.seller_id,
        client_id=order.client_id,
        order=order,
        order_reference=order.reference,
        channel=channel,
        received_on=received_on,
        consumer_name=consumer_name or order.client.name,
        consumer_address=consumer_address,
        statement=statement or domain.MODEL_FORM.value,
        reason_code=decision.reason_code,
        reason=[sentence.as_dict() for sentence in decision.reasons],
        period_end=decision.period.value,
        period_explanation=decision.period.as_dict(),
        amount_owed=decision.amount_owed,
        amount_explanation=decision.owed.as_dict() if decision.owed is not None else {},
        language=document_language(client=order.client),
        decided_at=now,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    t.check(label=_("rétractation"), current=withdrawal.status, target=decision.status)
    withdrawal.status = decision.status
    if decision.status == t.ACCEPTED:
        received = selectors.received_total(order=order)
        refund = domain.refund(
            received_total=received,
            owed=decision.amount_owed,
            informed_on=received_on,
            calendar=calendar,
        )
        withdrawal.received_total = received
        withdrawal.refund_amount = refund.amount
        withdrawal.refund_due_on = refund.deadline.value
        withdrawal.refund_explanation = refund.deadline.as_dict()
    withdrawal.save(force_insert=True)
    record_on(
        obj=withdrawal,
        actor=by,
        verb=f"withdrawal.{withdrawal.status}",
        after={
            "status": withdrawal.status,
            "order": order.reference,
            "channel": channel,
            "received_on": received_on.isoformat(),
            "reason_code": withdrawal.reason_code,
            "period_end": withdrawal.period_end.isoformat(),
            "amount_owed": str(withdrawal.amount_owed),
            "refund_amount": str(withdrawal.refund_amount),
            "refund_due_on": (
                withdrawal.refund_due_on.isoformat() if withdrawal.refund_due_on else None
            ),
        },
    )
    if withdrawal.status == t.ACCEPTED:
        publish(
            WithdrawalAccepted(
                withdrawal_id=withdrawal.pk,
                order_id=order.pk,
                order_reference=order.reference,
                seller_id=order.seller_id,
                client_id=order.client_id,
                received_on=received_on,
                amount_owed=withdrawal.amount_owed,
                refund_amount=withdrawal.refund_amount,
                refund_due_on=withdrawal.refund_due_on,
                at=now,
                by=by,
            )
        )
    acknowledge_after_commit(withdrawal=withdrawal)
    return withdrawal


@transaction.atomic
def submit_withdrawal(
    *,
    order: Order,
    by: Actor,
    consumer_name: str = "",
    consumer_address: str = "",
    now: datetime | None = None,
) -> WithdrawalRequest:
    """The consumer's model form sent from the portal (R221-1): received today, decided at
    once. ``order`` is one of the contact's client's orders (the screen reads it scoped)."""
    now = aware_now(now)
    order = _locked_order(order)
    _check_order(order)
    name = _single_line(consumer_name)
    if not name:
        raise ValidationError({"consumer_name": _("indiquez le nom du consommateur")})
    return _decide(
        order=order,
        channel=Channel.PORTAL,
        received_on=timezone.localdate(now),
        consumer_name=name,
        consumer_address=(consumer_address or "").strip(),
        statement=domain.MODEL_FORM.value,
        by=by,
        now=now,
    )


@transaction.atomic
def register_withdrawal(
    *,
    seller: Seller,
    order: Order,
    channel: str,
    received_on: Any,
    by: Actor,
    statement: str = "",
    consumer_name: str = "",
    consumer_address: str = "",
    now: datetime | None = None,
) -> WithdrawalRequest:
    """A withdrawal the seller received by e-mail or by post, registered by staff with the
    day it was received: decided as of that day."""
    now = aware_now(now)
    if order.seller_id != seller.pk:
        raise ValidationError({"order_id": _("commande inconnue chez ce vendeur")})
    if channel not in STAFF_CHANNELS:
        raise ValidationError(
            {"channel": _("une rétractation enregistrée est reçue par e-mail ou par courrier")}
        )
    order = _locked_order(order)
    day = _received_on(received_on, order, now)
    _check_order(order)
    return _decide(
        order=order,
        channel=channel,
        received_on=day,
        consumer_name=_single_line(consumer_name),
        consumer_address=(consumer_address or "").strip(),
        statement=(statement or "").strip(),
        by=by,
        now=now,
    )
