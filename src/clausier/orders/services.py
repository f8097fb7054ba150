"""Writes on orders: created from an accepted quote, deposit cashed, work started, cancelled.

Each write is one transaction that locks the order, checks ``orders.transitions`` and records
an audit event.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clausier.audit.services import record_event
from clausier.errors import Conflict, DomainError
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.models import DepositRequest, Order, OrderLine, OrderStatus
from clausier.quotes.models import Quote, QuoteStatus


class WorkCannotStart(DomainError):
    """Work on an order waits for something the terms require first (the deposit)."""


def _now(now: datetime | None) -> datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "terms_version")
        .get(pk=order.pk)
    )


def _locked_deposit(order: Order) -> DepositRequest | None:
    return DepositRequest.objects.select_for_update().filter(order=order).first()


def _deposit_facts(deposit: DepositRequest | None) -> domain.DepositFacts | None:
    if deposit is None:
        return None
    return domain.DepositFacts(
        status=deposit.status,
        rate=deposit.rate,
        base_ht=deposit.base_ht,
        amount=deposit.amount,
        clause_id=deposit.clause_id,
        article=deposit.article,
        terms_label=deposit.terms_label,
        work_starts_after=deposit.work_starts_after,
        cashed_on=deposit.cashed_on,
    )


@transaction.atomic
def create_order_from_quote(*, quote: Quote, accepted_at: datetime, by) -> Order:
    """The order an accepted quote becomes: its lines, totals and terms copied as accepted;
    ``awaiting_deposit`` with a :class:`DepositRequest` when the quote asks for a deposit
    (art. 5 of the agency's terms: work starts once it is cashed), ``ready`` otherwise.

    Called by the quote acceptance services, inside their transaction.
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.ACCEPTED:
        raise Conflict(f"{quote} n'est pas accepté : il ne peut pas devenir une commande.")
    if Order.objects.filter(quote=quote).exists():
        raise Conflict(f"{quote} est déjà devenu une commande.")
    status = OrderStatus.AWAITING_DEPOSIT if quote.requires_deposit else OrderStatus.READY
    order = Order(
        seller=quote.seller,
        client=quote.client,
        quote=quote,
        reference=quote.display_number,
        status=status,
        nature=quote.nature,
        terms_version_id=quote.terms_version_id,
        terms_label=quote.terms_label,
        payment_terms=quote.payment_terms,
        vat_regime=quote.vat_regime,
        vat_mention=quote.vat_mention,
        total_ht=quote.total_ht,
        total_vat=quote.total_vat,
        total_ttc=quote.total_ttc,
        totals_explanation=quote.totals_explanation,
        ordered_at=accepted_at,
        created_by=_user(by),
    )
    order.full_clean()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=line.position,
            product_code=line.product_code,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            discount=line.discount,
            amount_ht=line.amount_ht,
        )
        for line in quote.lines.order_by("position", "id")
    )
    after: dict = {
        "reference": order.reference,
        "status": order.status,
        "total_ht": str(order.total_ht),
        "terms": order.terms_label,
    }
    if quote.requires_deposit:
        terms = quote.deposit_terms
        deposit = DepositRequest(
            order=order,
            rate=quote.deposit_rate,
            base_ht=quote.total_ht,
            amount=quote.deposit_amount,
            clause_id=terms["clause"],
            article=terms.get("article", ""),
            terms_label=terms.get("terms", quote.terms_label),
            work_starts_after=terms.get("parameters", {}).get(
                "work_starts_after", "deposit_cashed"
            ),
            explanation=terms.get("explanation", {}),
        )
        deposit.full_clean()
        deposit.save()
        after["deposit"] = {"amount": str(deposit.amount), "rate": str(deposit.rate)}
    record_event(actor=by, seller=order.seller, obj=order, verb="order.created", after=after)
    return order


@transaction.atomic
def record_deposit_cashed(
    *, order: Order, cashed_on: date, by, now: datetime | None = None
) -> Order:
    """The deposit of ``order`` was cashed on ``cashed_on``: the order is ready to start."""
    now = _now(now)
    order = _locked(order)
    deposit = _locked_deposit(order)
    if deposit is None:
        raise Conflict(f"{order} ne demande pas d'acompte.")
    label = f"Acompte de la commande {order.reference}"
    t.check_deposit(label=label, current=deposit.status, target=t.CASHED)
    if order.status == OrderStatus.AWAITING_DEPOSIT:
        t.check(label=str(order), current=order.status, target=t.READY)
    today = timezone.localdate(now)
    if cashed_on > today:
        raise ValidationError(
            {"cashed_on": f"l'encaissement ne peut pas être daté d'après le {today:%d/%m/%Y}"}
        )
    before = {"status": order.status, "deposit": deposit.status}
    deposit.status = t.CASHED
    deposit.cashed_on = cashed_on
    deposit.save(update_fields=["status", "cashed_on"])
    if order.status == OrderStatus.AWAITING_DEPOSIT:
        order.status = OrderStatus.READY
        order.save(update_fields=["status"])
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.deposit_cashed",
        before=before,
        after={
            "status": order.status,
            "deposit": deposit.status,
            "cashed_on": cashed_on.isoformat(),
            "amount": str(deposit.amount),
        },
    )
    return order


@transaction.atomic
def start_work(*, order: Order, by, now: datetime | None = None) -> Order:
    """Work starts on ``order``; refused while the deposit the terms require is not cashed."""
    now = _now(now)
    order = _locked(order)
    deposit = _locked_deposit(order)
    refusal = domain.work_start_refusal(status=order.status, deposit=_deposit_facts(deposit))
    if refusal:
        raise WorkCannotStart(refusal)
    t.check(label=str(order), current=order.status, target=t.IN_PROGRESS)
    order.status = OrderStatus.IN_PROGRESS
    order.started_at = now
    order.save(update_fields=["status", "started_at"])
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.work_started",
        before={"status": t.READY},
        after={"status": order.status, "started_at": now.isoformat()},
    )
    return order


@transaction.atomic
def cancel_order(*, order: Order, reason: str, by, now: datetime | None = None) -> Order:
    """Cancel ``order`` with a reason; a deposit not yet cashed is cancelled with it."""
    now = _now(now)
    order = _locked(order)
    if not reason.strip():
        raise ValidationError({"reason": "indiquez le motif de l'annulation"})
    before = {"status": order.status}
    t.check(label=str(order), current=order.status, target=t.CANCELLED)
    deposit = _locked_deposit(order)
    if deposit is not None and deposit.status in {t.REQUESTED, t.INVOICED}:
        deposit.status = t.DEPOSIT_CANCELLED
        deposit.save(update_fields=["status"])
    order.status = OrderStatus.CANCELLED
    order.closed_at = now
    order.cancellation_reason = reason.strip()
    order.save(update_fields=["status", "closed_at", "cancellation_reason"])
    record_event(
        actor=by,
        seller=order.seller,
        obj=order,
        verb="order.cancelled",
        before=before,
        after={"status": order.status, "reason": order.cancellation_reason},
    )
    return order
