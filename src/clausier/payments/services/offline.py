"""Cheques and transfers recorded by staff (seed 002 art. 5: "par chèque, ou par virement
bancaire"), a cheque cashed, an invoice's payment, an order's deposit cashed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.audit.triggers import Trigger
from clausier.customers.models import Client
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.orders import transitions as order_transitions
from clausier.orders.models import DepositRequest, Order
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.checks import past_day, positive_amount, single_line
from clausier.payments.events import DepositPaid, PaymentSucceeded
from clausier.payments.models import Method, Payment
from clausier.payments.services.allocation import allocate_locked, check_allocation
from clausier.payments.services.support import (
    announce_invoice_change,
    locked_invoice,
    locked_payment,
)
from clausier.rules.money import ZERO, format_eur
from clausier.sellers.models import Seller

OFFLINE_METHODS = (Method.CHEQUE, Method.TRANSFER)


def _succeeded(payment: Payment, *, by: Actor, now: datetime) -> None:
    publish(
        PaymentSucceeded(
            payment_id=payment.pk,
            seller_id=payment.seller_id,
            order_id=payment.order_id,
            method=payment.method,
            provider="",
            reference=payment.transfer_reference or payment.cheque_number,
            amount=payment.amount,
            received_at=now,
            at=now,
            by=by,
        )
    )


def _allocate_each(
    payment: Payment,
    invoices: list[tuple[Invoice, Any]],
    *,
    by: Actor,
    now: datetime,
    trigger: Trigger | None = None,
) -> None:
    """Allocate ``payment`` to each (invoice, amount); every refusal names ``amount``."""
    for index, (invoice, typed) in enumerate(invoices):
        errors: dict[str, str] = {}
        amount = positive_amount(typed, errors, field=f"allocations[{index}].amount")
        if errors:
            raise ValidationError(errors)
        locked = locked_invoice(invoice=invoice)
        check_allocation(payment=payment, invoice=locked, amount=amount)
        allocate_locked(
            payment=payment, invoice=locked, amount=amount, by=by, now=now, trigger=trigger
        )


@transaction.atomic
def record_offline_payment(
    *,
    seller: Seller,
    client: Client,
    method: str,
    amount: Any,
    received_on: date,
    by: Actor,
    cheque_number: str = "",
    cheque_bank: str = "",
    transfer_reference: str = "",
    value_date: date | None = None,
    order: Order | None = None,
    allocate_to: list[tuple[Invoice, Any]] = (),
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Payment:
    """A cheque received (``pending`` until cashed: :func:`mark_cheque_cashed`) or a
    transfer on the statement (``succeeded``, its value date the day the money is the
    seller's), allocated to ``allocate_to`` (invoice, amount) pairs; what they leave is the
    client's credit. Every refusal names its field and writes nothing."""
    now = aware_now(now)
    errors: dict[str, str] = {}
    if method not in OFFLINE_METHODS:
        errors["method"] = _("chèque ou virement")
    value = positive_amount(amount, errors)
    received = past_day(received_on, "received_on", errors, now=now)
    if method == Method.CHEQUE and not single_line(cheque_number):
        errors["cheque_number"] = _("indiquez le numéro du chèque")
    if method == Method.TRANSFER and value_date is not None:
        value_date = past_day(value_date, "value_date", errors, now=now)
    if client.seller_id != seller.pk:
        errors["client"] = _("client d'un autre vendeur")
    if errors:
        raise ValidationError(errors)
    is_transfer = method == Method.TRANSFER
    payment = Payment.objects.create(
        seller=seller,
        client=client,
        order=order,
        method=method,
        status=t.SUCCEEDED if is_transfer else t.PENDING,
        amount=value,
        received_on=received,
        value_date=(value_date or received) if is_transfer else None,
        settled_on=(value_date or received) if is_transfer else None,
        cheque_number=single_line(cheque_number),
        cheque_bank=single_line(cheque_bank),
        transfer_reference=single_line(transfer_reference),
        recorded_by=acting_user(by=by),
    )
    record_on(
        obj=payment,
        actor=by,
        verb="payment.recorded",
        after={
            "method": method,
            "status": payment.status,
            "amount": str(value),
            "received_on": received.isoformat(),
            "reference": payment.transfer_reference or payment.cheque_number,
        },
        trigger=trigger,
    )
    if is_transfer:
        _succeeded(payment, by=by, now=now)
    _allocate_each(payment, list(allocate_to), by=by, now=now, trigger=trigger)
    return payment


@transaction.atomic
def mark_cheque_cashed(
    *, payment: Payment, cashed_on: date, by: Actor, now: datetime | None = None
) -> Payment:
    """The cheque was cashed on ``cashed_on``: the money is the seller's, the invoices it
    pays are paid (and a deposit paid lets work start, seed 002 art. 5)."""
    now = aware_now(now)
    payment = locked_payment(payment=payment)
    if payment.method != Method.CHEQUE:
        raise Conflict(_("%(payment)s n'est pas un chèque.") % {"payment": payment})
    errors: dict[str, str] = {}
    day = past_day(cashed_on, "cashed_on", errors, now=now)
    if day is not None and payment.received_on and day < payment.received_on:
        errors["cashed_on"] = _("un chèque s'encaisse après sa réception (%(date)s)") % {
            "date": f"{payment.received_on:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    t.check(label=str(payment), current=payment.status, target=t.SUCCEEDED)
    before = {"status": payment.status}
    payment.status, payment.cashed_on, payment.settled_on = t.SUCCEEDED, day, day
    payment.save(update_fields=["status", "cashed_on", "settled_on", "updated_at"])
    record_on(
        obj=payment,
        actor=by,
        verb="payment.cashed",
        before=before,
        after={"status": payment.status, "cashed_on": day.isoformat()},
    )
    _succeeded(payment, by=by, now=now)
    for allocation in selectors.allocations_of_payment(payment=payment):
        announce_invoice_change(
            invoice=allocation.invoice,
            received=allocation.amount,
            by=by,
            now=now,
            trigger=Trigger.DEPOSIT_CASHED if allocation.invoice.deposit_request_id else None,
        )
    return payment


@transaction.atomic
def record_invoice_payment(
    *,
    invoice: Invoice,
    amount: Any,
    paid_on: date,
    by: Actor,
    method: str = Method.TRANSFER,
    reference: str = "",
    now: datetime | None = None,
) -> Payment:
    """A payment of ``amount`` received on ``paid_on`` for an issued invoice (a transfer by
    default), allocated to it whole: more than its balance is refused (an overpayment is
    recorded as a payment with its credit, :func:`record_offline_payment`)."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    if invoice.status != "issued":
        raise Conflict(_("Un paiement s'enregistre sur une facture émise."))
    errors: dict[str, str] = {}
    value = positive_amount(amount, errors)
    day = past_day(paid_on, "paid_on", errors, now=now)
    order = invoice.order
    if day is not None and order is not None and day < timezone.localdate(order.ordered_at):
        errors["paid_on"] = _(
            "un paiement ne peut pas être daté d'avant la commande (passée le %(date)s)"
        ) % {"date": f"{timezone.localdate(order.ordered_at):%d/%m/%Y}"}
    balance = selectors.invoice_balance(invoice=invoice)
    if "amount" not in errors and value > balance:
        errors["amount"] = _(
            "le montant dépasse le reste dû (%(unpaid)s) : un trop-perçu se rembourse ou se "
            "règle par avoir, il ne s'enregistre pas comme paiement de la facture"
        ) % {"unpaid": format_eur(balance)}
    if errors:
        raise ValidationError(errors)
    cheque = method == Method.CHEQUE
    payment = record_offline_payment(
        seller=invoice.seller,
        client=invoice.client,
        method=method,
        amount=value,
        received_on=day,
        order=order,
        cheque_number=(reference or invoice.number) if cheque else "",
        transfer_reference="" if cheque else reference,
        allocate_to=[(invoice, value)],
        by=by,
        now=now,
    )
    if cheque:
        payment = mark_cheque_cashed(payment=payment, cashed_on=day, by=by, now=now)
    return payment


def _deposit_checks(order: Order, deposit: DepositRequest | None, cashed_on, now) -> None:
    if deposit is None:
        raise Conflict(_("%(order)s ne demande pas d'acompte.") % {"order": order})
    label = _("Acompte de la commande %(reference)s") % {"reference": order.reference}
    order_transitions.check_deposit(
        label=label, current=deposit.status, target=order_transitions.CASHED
    )
    today = timezone.localdate(now)
    if cashed_on > today:
        raise ValidationError(
            {
                "cashed_on": _("l'encaissement ne peut pas être daté d'après le %(date)s")
                % {"date": f"{today:%d/%m/%Y}"}
            }
        )
    if cashed_on < timezone.localdate(order.ordered_at):
        raise ValidationError(
            {
                "cashed_on": _("l'encaissement ne peut pas précéder la commande (%(date)s)")
                % {"date": f"{timezone.localdate(order.ordered_at):%d/%m/%Y}"}
            }
        )


@transaction.atomic
def record_deposit_cashed(
    *,
    order: Order,
    cashed_on: date,
    by: Actor,
    method: str = Method.CHEQUE,
    reference: str = "",
    now: datetime | None = None,
) -> Payment:
    """The deposit of an agency ``order`` was received and cashed on ``cashed_on`` (seed 002
    art. 5: "Le début des travaux interviendra après encaissement de ce montant"): a payment
    of the deposit, allocated to its deposit invoice when issued; the order may then start
    (orders reacts to :class:`DepositPaid`)."""
    now = aware_now(now)
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=order.pk)
    )
    deposit = DepositRequest.objects.select_for_update().filter(order=order).first()
    _deposit_checks(order, deposit, cashed_on, now)
    invoices = [
        (invoice, selectors.invoice_balance(invoice=invoice))
        for invoice in invoice_selectors.deposit_invoices(deposit_request=deposit)
    ]
    invoices = [(invoice, left) for invoice, left in invoices if left > 0]
    cheque = method == Method.CHEQUE
    amount = sum((left for _, left in invoices), ZERO) or deposit.amount
    payment = record_offline_payment(
        seller=order.seller,
        client=order.client,
        method=method,
        amount=amount,
        received_on=cashed_on,
        value_date=cashed_on,
        order=order,
        cheque_number=(reference or f"acompte {order.reference}") if cheque else "",
        transfer_reference="" if cheque else reference,
        by=by,
        now=now,
        trigger=Trigger.DEPOSIT_CASHED,
    )
    if cheque:
        payment = mark_cheque_cashed(payment=payment, cashed_on=cashed_on, by=by, now=now)
    _allocate_each(payment, invoices, by=by, now=now, trigger=Trigger.DEPOSIT_CASHED)
    if invoices:
        return Payment.objects.select_related("order", "client").get(pk=payment.pk)
    if not invoices:
        # No deposit invoice issued yet (one waits as a draft): the deposit is paid all the
        # same, and the invoice is paid from this payment once issued.
        publish(
            DepositPaid(
                order_id=order.pk,
                deposit_request_id=deposit.pk,
                seller_id=order.seller_id,
                cashed_on=cashed_on,
                at=now,
                by=by,
            )
        )
    return Payment.objects.select_related("order", "client").get(pk=payment.pk)
