"""Reads of withdrawals, scoped to a seller (staff, API) or a client (portal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from clausier.customers.models import Client
from clausier.orders import transitions as order_states
from clausier.orders.models import Order
from clausier.payments import selectors as payment_selectors
from clausier.payments import transitions as payment_states
from clausier.payments.models import Refund
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest

ZERO_MONEY = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))

# Orders a consumer may withdraw from: concluded, not cancelled (a draft or a confirmed
# order not yet validated is simply cancelled).
WITHDRAWABLE: frozenset[str] = frozenset(
    {
        order_states.AWAITING_PAYMENT,
        order_states.PAID,
        order_states.ACTIVE,
        order_states.COMPLETED,
        order_states.AWAITING_DEPOSIT,
        order_states.READY,
        order_states.IN_PROGRESS,
    }
)


def _order_refunds() -> QuerySet[Refund]:
    """Payments' refunds of the withdrawal's order made for it: of the order's payments or
    invoices, owed once the withdrawal was recorded (the refunds its acceptance caused)."""
    return Refund.objects.filter(
        Q(payment__order_id=OuterRef("order_id")) | Q(invoice__order_id=OuterRef("order_id")),
        seller_id=OuterRef("seller_id"),
        created_at__gte=OuterRef("created_at"),
    )


_PENDING = (payment_states.OWED, payment_states.REFUND_FAILED)


def with_refund(qs: QuerySet[WithdrawalRequest]) -> QuerySet[WithdrawalRequest]:
    """``refund_status`` and ``refund_sent_on`` on each withdrawal, read from payments'
    refunds (:func:`_order_refunds`), the one truth of the refund: ``owed`` while one is owed
    or failed (or none was made yet of a refund due), ``sent`` once all are sent, ``settled``
    once all left the seller's account, ``none`` when nothing is owed back (a refused
    request, nothing paid). ``refund_sent_on``: the day the last was sent (or settled)."""
    refunds = _order_refunds()
    return qs.annotate(
        refund_status=Case(
            When(~Q(status=t.ACCEPTED), then=Value(t.NONE)),
            When(Exists(refunds.filter(status__in=_PENDING)), then=Value(t.OWED)),
            When(Exists(refunds.filter(status=payment_states.SENT)), then=Value(t.SENT)),
            When(Exists(refunds), then=Value(t.SETTLED)),
            When(refund_amount__gt=0, then=Value(t.OWED)),
            default=Value(t.NONE),
            output_field=CharField(),
        ),
        refund_sent_on=Subquery(
            refunds.exclude(status__in=_PENDING)
            .annotate(day=Coalesce("sent_on", "settled_on"))
            .order_by(F("day").desc(nulls_last=True))
            .values("day")[:1],
            output_field=DateField(),
        ),
    )


def _related(qs: QuerySet[WithdrawalRequest]) -> QuerySet[WithdrawalRequest]:
    return with_refund(qs.select_related("client", "order"))


@dataclass(frozen=True, slots=True)
class WithdrawalFilters:
    """What a list of a seller's withdrawals is narrowed to: ``status`` (a decision, "" for
    all), ``refund_status``, ``overdue_on`` (refunds still owed after their deadline, as of
    that day) and ``client_id``."""

    status: str = ""
    refund_status: str = ""
    overdue_on: date | None = None
    client_id: int | None = None


def withdrawal_list(
    *, seller: Seller, filters: WithdrawalFilters = WithdrawalFilters()
) -> QuerySet[WithdrawalRequest]:
    """The seller's withdrawals narrowed by ``filters``, latest received first (the refund's
    state read from payments, :func:`with_refund`)."""
    qs = _related(WithdrawalRequest.objects.filter(seller=seller))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.refund_status:
        qs = qs.filter(refund_status=filters.refund_status)
    if filters.overdue_on is not None:
        qs = qs.filter(refund_status=t.OWED, refund_due_on__lt=filters.overdue_on)
    if filters.client_id is not None:
        qs = qs.filter(client_id=filters.client_id)
    return qs.order_by("-received_on", "-id")


def overdue_refunds(*, seller: Seller, today: date) -> QuerySet[WithdrawalRequest]:
    """Refunds owed after a withdrawal and not sent by their deadline (L221-24), the most
    overdue first: a refund marked sent in payments stops the clock."""
    return (
        _related(WithdrawalRequest.objects.filter(seller=seller, refund_due_on__lt=today))
        .filter(refund_status=t.OWED)
        .order_by("refund_due_on", "id")
    )


def withdrawal_for_seller(*, seller: Seller, withdrawal_id: int) -> WithdrawalRequest:
    return get_object_or_404(
        _related(WithdrawalRequest.objects.filter(seller=seller)), pk=withdrawal_id
    )


def withdrawals_of_client(*, client: Client) -> QuerySet[WithdrawalRequest]:
    return _related(WithdrawalRequest.objects.filter(client=client)).order_by("-received_on", "-id")


def withdrawal_for_client(*, client: Client, withdrawal_id: int) -> WithdrawalRequest:
    return get_object_or_404(
        _related(WithdrawalRequest.objects.filter(client=client)), pk=withdrawal_id
    )


def withdrawable_orders(*, client: Client) -> QuerySet[Order]:
    """The client's orders it may still withdraw from (none accepted yet), latest first."""
    return (
        Order.objects.filter(client=client, status__in=WITHDRAWABLE)
        .exclude(withdrawals__status=t.ACCEPTED)
        .order_by("-ordered_at", "-id")
    )


def order_for_seller(*, seller: Seller, order_id: int) -> Order:
    return get_object_or_404(Order.objects.select_related("client"), seller=seller, pk=order_id)


def order_named(*, seller: Seller, order_id: int) -> Order:
    """The order an input names by its id: an unknown one is an invalid ``order_id`` (a
    ``ValidationError``), not a missing page (404)."""
    try:
        return order_for_seller(seller=seller, order_id=order_id)
    except Http404:
        raise ValidationError({"order_id": "unknown order"}) from None


def received_total(*, order: Order) -> Decimal:
    """What the order's payments brought in and still hold: the payments received less
    every refund made of them, owed, sent or settled (as payments counts what a payment
    has left, ``payments.selectors.unallocated``), not only the settled ones."""
    payments = payment_selectors.payments_of_order(order=order).filter(
        status__in=payment_states.SETTLED
    )
    received = payments.aggregate(total=Coalesce(Sum("amount"), ZERO_MONEY))["total"]
    refunded = Refund.objects.filter(payment__in=payments).aggregate(
        total=Coalesce(Sum("amount"), ZERO_MONEY)
    )["total"]
    return max(received - refunded, ZERO)


def refunds_of_withdrawal(*, withdrawal: WithdrawalRequest) -> QuerySet[Refund]:
    """The refunds payments owes for the withdrawal (of the order's payments or invoices,
    owed since it was recorded), marked sent and settled in payments' screens."""
    return Refund.objects.filter(
        Q(payment__order_id=withdrawal.order_id) | Q(invoice__order_id=withdrawal.order_id),
        seller_id=withdrawal.seller_id,
        created_at__gte=withdrawal.created_at,
    ).order_by("created_at", "id")


def withdrawable_orders_of_seller(*, seller: Seller) -> QuerySet[Order]:
    """The seller's consumers' orders that may still be withdrawn from, latest first."""
    return (
        Order.objects.filter(seller=seller, status__in=WITHDRAWABLE, client__kind="consumer")
        .exclude(withdrawals__status=t.ACCEPTED)
        .select_related("client")
        .order_by("-ordered_at", "-id")[:500]
    )
