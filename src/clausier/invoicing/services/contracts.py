"""The final invoice of a terminated contract (seed 002 art. 7: "seront dues par le client
les sommes correspondant aux prestations réalisées jusqu'à la date de prise d'effet de la
résiliation et non encore payées"): one line per contract line with work done and not yet
paid, pro rata temporis as contracts computed it, at the line's VAT rate, under the
contract's terms. Nothing is invoiced when nothing is owed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from clausier.audit.triggers import Trigger
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing import selectors
from clausier.invoicing.models import Invoice, InvoiceKind, InvoiceLine
from clausier.invoicing.services.automatic import issue_or_defer
from clausier.invoicing.services.credit_notes import issue_credit_note
from clausier.invoicing.services.drafts import new_draft
from clausier.kernel.actor import Actor
from clausier.orders.models import Order
from clausier.rules.money import VatRegime
from clausier.sellers.models import Seller
from clausier.terms.models import TermsVersion


@transaction.atomic
def invoice_terminated_contract(
    *,
    seller_id: int,
    client_id: int,
    order_id: int | None,
    terms_version_id: int,
    reference: str,
    effective_on: date,
    lines: list[tuple[str, Decimal, Decimal, date, date]],
    by: Actor,
    now: datetime,
) -> Invoice | None:
    """Issue the final invoice of contract ``reference`` ended on ``effective_on``:
    ``lines`` are ``(description, owed HT, VAT rate, from, through)``; a line owing nothing
    is left out, and with none the contract leaves no invoice (None). An invoice that cannot
    be issued yet stays a draft with its reason."""
    items = [
        InvoiceLine(
            position=position,
            description=(
                f"{description} : prestations du {start:%d/%m/%Y} au {through:%d/%m/%Y}, "
                "au prorata temporis (résiliation)"
            ),
            quantity=Decimal("1"),
            unit=Unit.FLAT,
            unit_price=owed,
            vat_rate=vat_rate,
        )
        for position, (description, owed, vat_rate, start, through) in enumerate(lines)
        if owed > 0
    ]
    if not items:
        return None
    draft = new_draft(
        seller=Seller.objects.get(pk=seller_id),
        client=Client.objects.get(pk=client_id, seller_id=seller_id),
        kind=InvoiceKind.STANDARD,
        lines=items,
        by=by,
        order=Order.objects.get(pk=order_id) if order_id else None,
        terms_version=TermsVersion.objects.get(pk=terms_version_id),
        # Printed on the invoice, a French document whatever the reader's language.
        notes=(
            f"Facture de fin du contrat {reference}, résilié au {effective_on:%d/%m/%Y} "
            "(CGV art. 7 : prestations réalisées et non encore payées)"
        ),
        service_date=effective_on,
        trigger=Trigger.CONTRACT_TERMINATED,
    )
    return issue_or_defer(invoice=draft, by=by, now=now, trigger=Trigger.CONTRACT_TERMINATED)


def _fits(remaining, refunds: dict[Decimal, Decimal], charges_vat: bool) -> bool:
    """Whether what remains creditable of an invoice covers ``refunds`` (HT per VAT rate)."""
    if remaining is None or remaining.ttc <= 0:
        return False
    if not charges_vat:
        return sum(remaining.by_rate.values(), Decimal("0")) >= sum(refunds.values())
    return all(remaining.by_rate.get(rate, Decimal("0")) >= ht for rate, ht in refunds.items())


@transaction.atomic
def credit_terminated_contract(
    *,
    seller_id: int,
    order_id: int | None,
    reference: str,
    effective_on: date,
    lines: list[tuple[str, Decimal, Decimal]],
    by: Actor,
    now: datetime,
) -> Invoice | None:
    """The prepaid share after the end of contract ``reference`` (seed 002 art. 12b, pro
    rata temporis as contracts computed it) credited on the latest issued invoice of its
    order that can still cover it: ``lines`` are ``(description, refund HT, VAT rate)``, a
    line refunding nothing left out. The refund of what was paid follows from the credit
    note (payments answers ``InvoiceIssued``). None when nothing is refunded, or no invoice
    of the contract's order can carry it (a contract opened by staff bills by hand)."""
    refunds = [(d, amount, rate) for d, amount, rate in lines if amount > 0]
    if not refunds or order_id is None:
        return None
    by_rate: dict[Decimal, Decimal] = {}
    for _description, amount, rate in refunds:
        by_rate[rate] = by_rate.get(rate, Decimal("0")) + amount
    order = Order.objects.get(pk=order_id, seller_id=seller_id)
    invoices = [
        invoice
        for invoice in selectors.invoices_of_order(order=order)
        if invoice.is_issued and not invoice.is_credit_note
    ]
    for invoice in reversed(invoices):
        charges_vat = VatRegime(invoice.vat_regime or invoice.seller.vat_regime).charges_vat
        if not _fits(selectors.creditable(invoice=invoice), by_rate, charges_vat):
            continue
        return issue_credit_note(
            invoice=invoice,
            # Printed on the credit note, a French document whatever the reader's language.
            reason=(
                f"Résiliation du contrat {reference} au {effective_on:%d/%m/%Y} : part "
                "prépayée non consommée remboursée au prorata temporis (CGV art. 12b)"
            ),
            lines=[
                {
                    "description": (
                        f"{description} : période prépayée après le {effective_on:%d/%m/%Y}, "
                        "au prorata temporis (résiliation)"
                    ),
                    "quantity": "1",
                    "unit": Unit.FLAT,
                    "unit_price": str(amount),
                    **({"vat_rate": str(rate)} if charges_vat else {}),
                }
                for description, amount, rate in refunds
            ],
            by=by,
            now=now,
            trigger=Trigger.CONTRACT_TERMINATED,
        )
    return None
