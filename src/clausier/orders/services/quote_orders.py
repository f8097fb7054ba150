"""The agency flow (seed 002): an order from an accepted quote, its deposit, the work started,
the cancellation."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.audit.triggers import Trigger
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.orders import domain
from clausier.orders import transitions as t
from clausier.orders.events import (
    DepositRequested,
)
from clausier.orders.models import DepositRequest, Order, OrderLine, OrderStatus
from clausier.orders.services.support import (
    WorkCannotStart,
    announce_cancelled,
    deposit_facts,
    locked_deposit,
    locked_order,
)
from clausier.quotes.models import Quote, QuoteStatus


@transaction.atomic
def create_order_from_quote(
    *, quote: Quote, accepted_at: datetime, by: Actor, trigger: Trigger | None = None
) -> Order:
    """The order an accepted quote becomes: its lines, totals and terms copied as accepted;
    ``awaiting_deposit`` with a :class:`DepositRequest` when the quote asks for a deposit
    (art. 5 of the agency's terms: work starts once it is cashed), ``ready`` otherwise.

    Called by the quote acceptance services, inside their transaction (``trigger``: the
    acceptance, stated in the trail).
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.ACCEPTED:
        raise Conflict(
            _("%(quote)s n'est pas accepté : il ne peut pas devenir une commande.")
            % {"quote": quote}
        )
    if Order.objects.filter(quote=quote).exists():
        raise Conflict(_("%(quote)s est déjà devenu une commande.") % {"quote": quote})
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
        created_by=acting_user(by=by),
    )
    order.full_clean()
    order.save()
    OrderLine.objects.bulk_create(
        OrderLine(order=order, amount_ht=line.amount_ht, **line.agreed_values())
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
    record_on(obj=order, actor=by, verb="order.created", after=after, trigger=trigger)
    if quote.requires_deposit:
        # Art. 5 of the agency's terms: the deposit asked at acceptance is invoiced at once;
        # an invoice that must wait (a mention missing) stays a draft, the acceptance holds.
        publish(
            DepositRequested(
                order_id=order.pk,
                deposit_request_id=deposit.pk,
                seller_id=order.seller_id,
                at=accepted_at,
                by=by,
            )
        )
    return order


@transaction.atomic
def mark_deposit_invoiced(
    *, deposit_request_id: int, invoice_number: str, by: Actor, now: datetime | None = None
) -> DepositRequest:
    """The deposit invoice ``invoice_number`` of a deposit request was issued: ``requested``
    moves to ``invoiced``. A request already cashed (or cancelled) keeps its state: the
    invoice documents it."""
    now = aware_now(now)
    deposit = (
        DepositRequest.objects.select_for_update(of=("self",))
        .select_related("order__seller")
        .get(pk=deposit_request_id)
    )
    if deposit.status != t.REQUESTED:
        return deposit
    label = _("Acompte de la commande %(reference)s") % {"reference": deposit.order.reference}
    t.check_deposit(label=label, current=deposit.status, target=t.INVOICED)
    deposit.status = t.INVOICED
    deposit.save(update_fields=["status"])
    record_on(
        obj=deposit.order,
        actor=by,
        verb="order.deposit_invoiced",
        before={"deposit": t.REQUESTED},
        after={"deposit": deposit.status, "invoice": invoice_number, "at": now.isoformat()},
    )
    return deposit


@transaction.atomic
def mark_deposit_cashed(
    *, deposit_request_id: int, cashed_on: date, by: Actor, now: datetime | None = None
) -> Order:
    """The deposit was received (cashed, for a cheque) on ``cashed_on`` (payments'
    :class:`DepositPaid`, seed 002 art. 5): the deposit is ``cashed`` and the order ready to
    start; the order page says when and why. A deposit already cashed or cancelled keeps its
    state."""
    now = aware_now(now)
    deposit = (
        DepositRequest.objects.select_for_update(of=("self",))
        .select_related("order")
        .get(pk=deposit_request_id)
    )
    order = locked_order(order=deposit.order)
    if deposit.status not in {t.REQUESTED, t.INVOICED}:
        return order
    label = _("Acompte de la commande %(reference)s") % {"reference": order.reference}
    t.check_deposit(label=label, current=deposit.status, target=t.CASHED)
    before = {"status": order.status, "deposit": deposit.status}
    deposit.status = t.CASHED
    deposit.cashed_on = cashed_on
    deposit.save(update_fields=["status", "cashed_on"])
    if order.status == OrderStatus.AWAITING_DEPOSIT:
        t.check(label=str(order), current=order.status, target=t.READY)
        order.status = OrderStatus.READY
        order.save(update_fields=["status"])
    record_on(
        obj=order,
        actor=by,
        verb="order.deposit_cashed",
        before=before,
        after={
            "status": order.status,
            "deposit": deposit.status,
            "cashed_on": cashed_on.isoformat(),
            "amount": str(deposit.amount),
        },
        trigger=Trigger.DEPOSIT_CASHED,
    )
    return order


@transaction.atomic
def record_final_acceptance(
    *, order_id: int, accepted_on: date, by: Actor, now: datetime | None = None
) -> Order:
    """The client paid the whole of the fees (its final invoice paid in full): seed 002
    art. 4, "le règlement par le client de la totalité des honoraires du prestataire vaut
    réception et acceptation définitive des prestations", recorded with its date. Once."""
    now = aware_now(now)
    order = locked_order(order=Order(pk=order_id))
    if order.accepted_on is not None:
        return order
    order.accepted_on = accepted_on
    order.save(update_fields=["accepted_on"])
    record_on(
        obj=order,
        actor=by,
        verb="order.final_acceptance",
        before={"accepted_on": None},
        after={"accepted_on": accepted_on.isoformat(), "at": now.isoformat()},
    )
    return order


@transaction.atomic
def start_work(*, order: Order, by: Actor, now: datetime | None = None) -> Order:
    """Work starts on ``order``; refused while the deposit the terms require is not cashed."""
    now = aware_now(now)
    order = locked_order(order=order)
    deposit = locked_deposit(order=order)
    refusal = domain.work_start_refusal(status=order.status, deposit=deposit_facts(deposit=deposit))
    if refusal:
        raise WorkCannotStart(refusal)
    t.check(label=str(order), current=order.status, target=t.IN_PROGRESS)
    order.status = OrderStatus.IN_PROGRESS
    order.started_at = now
    order.save(update_fields=["status", "started_at"])
    record_on(
        obj=order,
        actor=by,
        verb="order.work_started",
        before={"status": t.READY},
        after={"status": order.status, "started_at": now.isoformat()},
    )
    return order


@transaction.atomic
def cancel_order(*, order: Order, reason: str, by: Actor, now: datetime | None = None) -> Order:
    """Cancel ``order`` with a reason; a deposit not yet cashed is cancelled with it."""
    now = aware_now(now)
    order = locked_order(order=order)
    if not reason.strip():
        raise ValidationError({"reason": _("indiquez le motif de l'annulation")})
    before = {"status": order.status}
    t.check(label=str(order), current=order.status, target=t.CANCELLED)
    deposit = locked_deposit(order=order)
    if deposit is not None and deposit.status in {t.REQUESTED, t.INVOICED}:
        deposit.status = t.DEPOSIT_CANCELLED
        deposit.save(update_fields=["status"])
    order.status = OrderStatus.CANCELLED
    order.closed_at = now
    order.cancellation_reason = reason.strip()
    order.save(update_fields=["status", "closed_at", "cancellation_reason"])
    announce_cancelled(order=order, by=by, now=now)
    record_on(
        obj=order,
        actor=by,
        verb="order.cancelled",
        before=before,
        after={"status": order.status, "reason": order.cancellation_reason},
    )
    return order
