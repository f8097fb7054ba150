"""Allocations: what a payment pays of an invoice, and the client's credit used."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.audit.triggers import Trigger
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.checks import positive_amount
from clausier.payments.models import Allocation, Payment
from clausier.payments.services.support import (
    announce_invoice_change,
    locked_invoice,
    locked_payment,
    require_payable,
)
from clausier.rules.money import ZERO, format_eur


def allocate_locked(
    *,
    payment: Payment,
    invoice: Invoice,
    amount: Decimal,
    by: Actor,
    now: datetime,
    trigger: Trigger | None = None,
) -> Allocation:
    """``amount`` of ``payment`` to ``invoice``, both locked by the caller and the amount
    checked against the invoice's balance and the payment's unallocated amount."""
    allocation = Allocation.objects.create(
        payment=payment, invoice=invoice, amount=amount, created_by=acting_user(by=by)
    )
    record_on(
        obj=payment,
        actor=by,
        verb="payment.allocated",
        after={"invoice": invoice.number, "amount": str(amount)},
        trigger=trigger,
    )
    if payment.is_settled:
        announce_invoice_change(invoice=invoice, received=amount, by=by, now=now, trigger=trigger)
    return allocation


def check_allocation(*, payment: Payment, invoice: Invoice, amount: Decimal) -> None:
    """Refuse an allocation to another client's invoice, beyond the invoice's balance or
    beyond what is left of the payment, naming ``amount``."""
    require_payable(invoice=invoice)
    if invoice.client_id != payment.client_id or invoice.seller_id != payment.seller_id:
        raise Conflict(
            _("%(payment)s est d'un autre client que %(invoice)s.")
            % {"payment": payment, "invoice": invoice}
        )
    if not t.may_pay_invoices(payment):
        raise Conflict(
            _("%(payment)s est %(status)s : il ne paie aucune facture.")
            % {"payment": payment, "status": payment.get_status_display().lower()}
        )
    balance = selectors.invoice_balance(invoice=invoice)
    left = selectors.unallocated(payment=payment)
    if amount > balance:
        raise ValidationError(
            {
                "amount": _(
                    "le montant dépasse le reste dû (%(unpaid)s) : un trop-perçu se rembourse "
                    "ou reste au crédit du client, il ne s'affecte pas à la facture"
                )
                % {"unpaid": format_eur(balance)}
            }
        )
    if amount > left:
        raise ValidationError(
            {
                "amount": _("le montant dépasse ce qui reste du paiement (%(left)s)")
                % {"left": format_eur(max(left, ZERO))}
            }
        )


@transaction.atomic
def allocate(
    *,
    payment: Payment,
    invoice: Invoice,
    amount: Any,
    by: Actor,
    now: datetime | None = None,
) -> Allocation:
    """Allocate ``amount`` of ``payment`` to ``invoice`` (a partial payment, or one payment
    for several invoices): never more than the invoice's balance nor what is left of the
    payment (a ValidationError naming ``amount``)."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    payment = locked_payment(payment=payment)
    errors: dict[str, str] = {}
    value = positive_amount(amount, errors)
    if errors:
        raise ValidationError(errors)
    check_allocation(payment=payment, invoice=invoice, amount=value)
    return allocate_locked(payment=payment, invoice=invoice, amount=value, by=by, now=now)


@transaction.atomic
def allocate_many(
    *,
    payment: Payment,
    allocations: list[tuple[Invoice, Any]],
    by: Actor,
    now: datetime | None = None,
) -> list[Allocation]:
    """Allocate ``payment`` to each (invoice, amount), all or nothing: a refusal names
    ``allocations[i].amount`` and writes none of them."""
    now = aware_now(now)
    payment = locked_payment(payment=payment)
    made: list[Allocation] = []
    for index, (invoice, typed) in enumerate(allocations):
        field = f"allocations[{index}].amount"
        errors: dict[str, str] = {}
        value = positive_amount(typed, errors, field=field)
        if errors:
            raise ValidationError(errors)
        locked = locked_invoice(invoice=invoice)
        try:
            check_allocation(payment=payment, invoice=locked, amount=value)
        except ValidationError as error:
            raise ValidationError({field: error.message_dict["amount"]}) from error
        made.append(allocate_locked(payment=payment, invoice=locked, amount=value, by=by, now=now))
    return made


@transaction.atomic
def use_client_credit(
    *, invoice: Invoice, by: Actor, amount: Any = None, now: datetime | None = None
) -> list[Allocation]:
    """Pay ``invoice`` from its client's credit (what earlier payments left), oldest payment
    first: ``amount``, or as much of the balance as the credit covers."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    require_payable(invoice=invoice)
    balance = selectors.invoice_balance(invoice=invoice)
    credit = selectors.client_credit(client=invoice.client)
    errors: dict[str, str] = {}
    wanted = min(balance, credit) if amount in (None, "") else positive_amount(amount, errors)
    if errors:
        raise ValidationError(errors)
    if wanted <= 0:
        raise DomainError(
            _("Rien à affecter : reste dû %(balance)s, crédit du client %(credit)s.")
            % {"balance": format_eur(balance), "credit": format_eur(credit)}
        )
    if wanted > balance or wanted > credit:
        raise ValidationError(
            {
                "amount": _("au plus %(most)s (reste dû %(balance)s, crédit du client %(credit)s)")
                % {
                    "most": format_eur(min(balance, credit)),
                    "balance": format_eur(balance),
                    "credit": format_eur(credit),
                }
            }
        )
    made: list[Allocation] = []
    for candidate in selectors.credit_payments(client=invoice.client):
        if wanted <= 0:
            break
        payment = locked_payment(payment=candidate)
        share = min(wanted, selectors.unallocated(payment=payment))
        if share <= 0:
            continue
        made.append(allocate_locked(payment=payment, invoice=invoice, amount=share, by=by, now=now))
        wanted -= share
    return made


@transaction.atomic
def allocate_order_payments(
    *, invoice: Invoice, by: Actor, now: datetime | None = None
) -> list[Allocation]:
    """Pay an order's invoice, just issued, from what that order's payments left (oldest
    first, up to its balance): the online payment received before the invoice (seed 000
    art. 4), a deposit received before its invoice could be issued."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    if invoice.order_id is None or invoice.is_credit_note:
        return []
    made: list[Allocation] = []
    candidates = selectors.with_unallocated(
        Payment.objects.filter(order_id=invoice.order_id, status__in=t.SETTLED)
    ).filter(unallocated__gt=0)
    for candidate in candidates.order_by("settled_on", "id"):
        balance = selectors.invoice_balance(invoice=invoice)
        if balance <= 0:
            break
        payment = locked_payment(payment=candidate)
        share = min(balance, selectors.unallocated(payment=payment))
        if share > 0:
            made.append(
                allocate_locked(payment=payment, invoice=invoice, amount=share, by=by, now=now)
            )
    return made
