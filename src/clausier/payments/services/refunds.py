"""Refunds: money owed back to a client, then sent and settled."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.audit.triggers import Trigger
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.checks import past_day, positive_amount, single_line
from clausier.payments.events import PaymentRefunded
from clausier.payments.models import Allocation, Payment, Refund
from clausier.payments.services.allocation import allocate_order_payments
from clausier.payments.services.support import (
    locked_payment,
)
from clausier.rules.errors import RuleError
from clausier.rules.identifiers import check_bic, check_iban
from clausier.rules.money import ZERO, format_eur


def owe_refund_locked(
    *,
    payment: Payment,
    amount: Decimal,
    reason: str,
    by: Actor,
    invoice: Invoice | None = None,
    credit_note: Invoice | None = None,
    trigger: Trigger | None = None,
) -> Refund:
    """A refund of ``amount`` owed to ``payment``'s client, by the payment's method (a card
    or PayPal payment is refunded through its provider; a cheque by transfer)."""
    method = payment.method if payment.method != "cheque" else "transfer"
    refund = Refund.objects.create(
        seller_id=payment.seller_id,
        client_id=payment.client_id,
        payment=payment,
        invoice=invoice,
        credit_note=credit_note,
        amount=amount,
        method=method,
        reason=reason,
        created_by=acting_user(by=by),
    )
    record_on(
        obj=refund,
        actor=by,
        verb="refund.owed",
        after={
            "amount": str(amount),
            "payment": payment.pk,
            "reason": reason,
            **({"credit_note": credit_note.number} if credit_note is not None else {}),
        },
        trigger=trigger,
    )
    return refund


@transaction.atomic
def record_refund_owed(
    *, payment: Payment, amount: Any, reason: str, by: Actor, now: datetime | None = None
) -> Refund:
    """Give back to the client ``amount`` of what ``payment`` left unallocated (its credit):
    never more than that credit (a ValidationError naming ``amount``)."""
    now = aware_now(now)
    payment = locked_payment(payment=payment)
    errors: dict[str, str] = {}
    value = positive_amount(amount, errors)
    reason = single_line(reason)
    if not reason:
        errors["reason"] = _("indiquez pourquoi le client est remboursé")
    if payment.status not in t.SETTLED:
        raise Conflict(_("%(payment)s n'est pas reçu : rien à rembourser.") % {"payment": payment})
    left = selectors.unallocated(payment=payment)
    if "amount" not in errors and value > left:
        errors["amount"] = _("au plus ce qui reste du paiement au crédit du client (%(left)s)") % {
            "left": format_eur(max(left, ZERO))
        }
    if errors:
        raise ValidationError(errors)
    return owe_refund_locked(payment=payment, amount=value, reason=reason, by=by)


@transaction.atomic
def refund_overpayment(
    *, credit_note: Invoice, by: Actor, now: datetime, trigger: Trigger | None = None
) -> list[Refund]:
    """A credit note on a paid invoice: what the invoice's payments now cover beyond what
    remains due is owed back to the client, one refund per payment, newest first.
    ``trigger``: the fact the credit note answered (a consumer's withdrawal, said in the
    refund's reason and trail)."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=credit_note.corrects_id)
    )
    paid, _last = selectors.paid_on_invoice(invoice=invoice)
    over = (
        paid
        + invoice.credited_amount
        - selectors.payable(invoice=invoice)
        - selectors.refunded_for_invoice(invoice=invoice)
    )
    over = min(over, credit_note.total_ttc)
    made: list[Refund] = []
    allocations = (
        Allocation.objects.filter(invoice=invoice, payment__status__in=t.SETTLED)
        .select_related("payment")
        .order_by("-created_at", "-id")
    )
    for allocation in allocations:
        if over <= 0:
            break
        already = sum(
            (r.amount for r in Refund.objects.filter(invoice=invoice, payment=allocation.payment)),
            ZERO,
        )
        share = min(over, allocation.amount - already)
        if share <= 0:
            continue
        # Shown to the client and staff alike, in French as the documents are.
        reason = f"Avoir {credit_note.number} sur la facture {invoice.number} déjà payée"
        if trigger == Trigger.WITHDRAWAL_ACCEPTED:
            reason = f"Rétractation (C. conso. L221-24) : {reason}"
        made.append(
            owe_refund_locked(
                payment=allocation.payment,
                amount=share,
                reason=reason,
                invoice=invoice,
                credit_note=credit_note,
                by=by,
                trigger=trigger,
            )
        )
        over -= share
    return made


@transaction.atomic
def refund_withdrawn_order(
    *, order_id: int, kept: Decimal, reason: str, by: Actor, now: datetime
) -> list[Refund]:
    """A consumer withdrew from an order (C. conso. L221-24), its invoices credited already
    (the refunds of what they were paid follow from the credit notes): what the order's
    payments left unallocated (an online order paid before its invoice could be issued, a
    draft waiting) first pays what the order's invoices still ask, then is owed back by the
    same means of payment, newest payment first, but for the part of ``kept`` (the L221-25
    amount) no invoice asks."""
    invoices = list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(order_id=order_id, status=InvoiceStatus.ISSUED)
        .exclude(kind=InvoiceKind.CREDIT_NOTE)
        .order_by("issue_date", "series", "sequence", "id")
    )
    for invoice in invoices:
        if selectors.invoice_balance(invoice=invoice) > 0:
            allocate_order_payments(invoice=invoice, by=by, now=now)
    invoiced = sum((selectors.payable(invoice=i) - i.credited_amount for i in invoices), ZERO)
    unbacked = max(kept - max(invoiced, ZERO), ZERO)
    payments = list(
        Payment.objects.select_for_update(of=("self",))
        .filter(order_id=order_id, status__in=t.SETTLED)
        .order_by("-received_at", "-id")
    )
    left = sum((max(selectors.unallocated(payment=p), ZERO) for p in payments), ZERO) - unbacked
    made: list[Refund] = []
    for payment in payments:
        if left <= 0:
            break
        share = min(left, selectors.unallocated(payment=payment))
        if share <= 0:
            continue
        made.append(
            owe_refund_locked(
                payment=payment,
                amount=share,
                reason=reason,
                by=by,
                trigger=Trigger.WITHDRAWAL_ACCEPTED,
            )
        )
        left -= share
    return made


def locked_refund(*, refund: Refund) -> Refund:
    return (
        Refund.objects.select_for_update(of=("self",))
        .select_related("seller", "payment", "client")
        .get(pk=refund.pk)
    )


@transaction.atomic
def mark_refund_sent(
    *, refund: Refund, sent_on: date, by: Actor, reference: str = "", now: datetime | None = None
) -> Refund:
    """The refund was sent (the transfer ordered, the provider's refund requested)."""
    now = aware_now(now)
    refund = locked_refund(refund=refund)
    errors: dict[str, str] = {}
    day = past_day(sent_on, "sent_on", errors, now=now)
    if errors:
        raise ValidationError(errors)
    t.check_refund(label=str(refund), current=refund.status, target=t.SENT)
    before = {"status": refund.status}
    refund.status, refund.sent_on = t.SENT, day
    refund.reference = single_line(reference) or refund.reference
    refund.save(update_fields=["status", "sent_on", "reference", "updated_at"])
    record_on(
        obj=refund,
        actor=by,
        verb="refund.sent",
        before=before,
        after={"status": refund.status, "sent_on": day.isoformat(), "reference": refund.reference},
    )
    return refund


def settle_locked(
    *, refund: Refund, day: date, by: Actor, now: datetime, reference: str = "", verb: str
) -> Refund:
    """``refund`` (locked) settled on ``day``: its payment is ``partially_refunded`` or
    ``refunded``, :class:`PaymentRefunded` is published."""
    t.check_refund(label=str(refund), current=refund.status, target=t.REFUND_SETTLED)
    before = {"status": refund.status}
    refund.status, refund.settled_on = t.REFUND_SETTLED, day
    refund.reference = single_line(reference) or refund.reference
    refund.failure_reason = ""
    refund.save(
        update_fields=[
            "status",
            "settled_on",
            "reference",
            "provider_reference",
            "failure_reason",
            "updated_at",
        ]
    )
    payment = refund.payment
    if payment is not None:
        payment = locked_payment(payment=payment)
        payment.refunded_amount += refund.amount
        target = t.REFUNDED if payment.refunded_amount >= payment.amount else t.PARTIALLY_REFUNDED
        t.check(label=str(payment), current=payment.status, target=target)
        payment.status = target
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    record_on(
        obj=refund,
        actor=by,
        verb=verb,
        before=before,
        after={
            "status": refund.status,
            "settled_on": day.isoformat(),
            "amount": str(refund.amount),
            "payment_status": payment.status if payment is not None else None,
            **(
                {"provider_reference": refund.provider_reference}
                if refund.provider_reference
                else {}
            ),
        },
    )
    publish(
        PaymentRefunded(
            payment_id=refund.payment_id,
            refund_id=refund.pk,
            seller_id=refund.seller_id,
            amount=refund.amount,
            at=now,
            by=by,
        )
    )
    return refund


@transaction.atomic
def mark_refund_settled(
    *,
    refund: Refund,
    settled_on: date,
    by: Actor,
    reference: str = "",
    now: datetime | None = None,
) -> Refund:
    """The refund left the seller's account on ``settled_on``: the refunded payment is
    ``partially_refunded`` or ``refunded``, and :class:`PaymentRefunded` is published."""
    now = aware_now(now)
    refund = locked_refund(refund=refund)
    errors: dict[str, str] = {}
    day = past_day(settled_on, "settled_on", errors, now=now)
    if errors:
        raise ValidationError(errors)
    return settle_locked(
        refund=refund, day=day, by=by, now=now, reference=reference, verb="refund.settled"
    )


@transaction.atomic
def set_refund_account(
    *, refund: Refund, iban: str, by: Actor, name: str = "", bic: str = ""
) -> Refund:
    """The client's account a transfer refund is paid to (the client gives it; clients keep
    no bank details): ``iban`` checked (ISO 13616), ``bic`` when given (ISO 9362), ``name``
    the account holder (the client's name by default)."""
    refund = locked_refund(refund=refund)
    if refund.status not in {t.OWED, t.REFUND_FAILED}:
        raise Conflict(_("%(refund)s est déjà envoyé ou remboursé.") % {"refund": refund})
    errors: dict[str, str] = {}
    values = {"creditor_name": single_line(name) or refund.client.name}
    for field, value, check in (("iban", iban, check_iban), ("bic", bic, check_bic)):
        value = single_line(value)
        if not value and field == "bic":
            values["creditor_bic"] = ""
            continue
        try:
            values[f"creditor_{field}"] = check(value, field=field)
        except RuleError as exc:
            errors[field] = exc.described()
    if errors:
        raise ValidationError(errors)
    before = {"iban": refund.creditor_iban, "bic": refund.creditor_bic}
    for field, value in values.items():
        setattr(refund, field, value[:70])
    refund.save(update_fields=[*values, "updated_at"])
    record_on(
        obj=refund,
        actor=by,
        verb="refund.account",
        before=before,
        after={"iban": refund.creditor_iban, "bic": refund.creditor_bic},
    )
    return refund
