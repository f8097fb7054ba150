"""Automatic issue: a paid online order, the deposit at acceptance, the final invoice."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import record_events
from clausier.audit.triggers import Trigger
from clausier.catalog.models import Product, ProductKind
from clausier.catalog.units import Unit
from clausier.invoicing import domain
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clausier.invoicing.services.drafts import new_draft
from clausier.invoicing.services.issue import ORDER_FLOW, issue_invoice
from clausier.invoicing.services.support import keep_waiting, locked_invoice, regime_for
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError
from clausier.orders import transitions as order_transitions
from clausier.orders.models import DepositRequest, Order
from clausier.rules.money import ZERO, VatRegime, format_percent
from clausier.terms.schemas import parse_parameters

# --- automatic issue -------------------------------------------------------------------------


def issue_or_defer(*, invoice: Invoice, by: Actor, now: datetime, trigger: Trigger) -> Invoice:
    """Issue ``invoice`` for ``trigger``; when it cannot be issued yet, keep the draft with
    the reason."""
    try:
        return issue_invoice(invoice=invoice, by=by, now=now, trigger=trigger)
    except DomainError as exc:
        reason = str(exc)
    invoice = Invoice.objects.get(pk=invoice.pk)
    event = keep_waiting(
        invoice=invoice,
        reason=reason,
        note=_("émission automatique en attente : brouillon à compléter puis émettre"),
        by=by,
        with_before=False,
        trigger=trigger,
    )
    record_events(events=[event])
    return invoice


def waiting_drafts():
    """Drafts an automatic issue left waiting (``issue_blocked_reason``), oldest first."""
    return Invoice.objects.filter(status=InvoiceStatus.DRAFT).exclude(issue_blocked_reason="")


@transaction.atomic
def retry_waiting_invoice(*, invoice: Invoice, by: Actor, now: datetime | None = None) -> Invoice:
    """Issue a draft an automatic issue left waiting, once what it lacked is there (the
    legal rate of the semester entered, the SIREN completed...). Idempotent: a document
    already issued, or a draft no longer waiting, is returned unchanged. When it still
    cannot be issued, the draft keeps waiting; its reason is updated (and audited) only if
    it changed, so a retry run every day writes nothing while nothing changes."""
    now = aware_now(now)
    invoice = locked_invoice(invoice=invoice)
    if invoice.status != InvoiceStatus.DRAFT or not invoice.issue_blocked_reason:
        return invoice
    try:
        with transaction.atomic():
            return issue_invoice(invoice=invoice, by=by, now=now, trigger=Trigger.WAITING_RETRY)
    except DomainError as exc:
        reason = str(exc)
    if reason != invoice.issue_blocked_reason:
        event = keep_waiting(
            invoice=invoice,
            reason=reason,
            note=_("nouvel essai d'émission : toujours en attente"),
            by=by,
            trigger=Trigger.WAITING_RETRY,
        )
        record_events(events=[event])
    return invoice


def _order_draft(order: Order, *, kind: str, lines: list[InvoiceLine], by, **extra) -> Invoice:
    """A draft of ``kind`` for ``order``: its seller, client and terms, linked to it."""
    return new_draft(
        seller=order.seller,
        client=order.client,
        kind=kind,
        lines=lines,
        by=by,
        order=order,
        terms_version=order.terms_version,
        **extra,
    )


def _order_lines(order: Order) -> list[InvoiceLine]:
    products = {
        p.code: p.kind
        for p in Product.objects.filter(
            seller_id=order.seller_id,
            code__in=[c for c in order.lines.values_list("product_code", flat=True) if c],
        )
    }
    return [
        InvoiceLine(
            position=line.position,
            product_code=line.product_code,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_label=line.unit_label,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            discount=line.discount,
            is_goods=products.get(line.product_code) == ProductKind.GOODS,
            price_version_id=line.price_version_id,
        )
        for line in order.lines.order_by("position", "id")
    ]


def _locked_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "quote", "terms_version")
        .get(pk=order.pk)
    )


def _flow_invoices_after_payment(order: Order) -> bool:
    flow = next((c for c in (order.clauses or {}).values() if c.get("kind") == ORDER_FLOW), None)
    if flow is None:
        return False
    return bool(parse_parameters(ORDER_FLOW, flow["parameters"]).invoice_after_payment)


@transaction.atomic
def invoice_paid_order(
    *, order: Order, by: Actor = None, now: datetime | None = None
) -> Invoice | None:
    """The invoice of an online order whose payment was received, issued at once when its
    frozen ``order.flow`` clause says so (seed 000 art. 4: "Suite à la réception du paiement
    de la commande par Clever Cloud, une facture est éditée automatiquement"): the order's
    lines, its reference, the payment received (the invoice is issued paid, due on the
    payment day). Called when the order is paid (``OrderPaid``), in that transaction.

    Idempotent: an order already invoiced returns its invoice; a draft left waiting is
    issued again. None when the terms do not invoice after payment or the order is unpaid.
    """
    now = aware_now(now)
    order = _locked_order(order)
    if order.paid_at is None or not _flow_invoices_after_payment(order):
        return None
    existing = (
        Invoice.objects.filter(order=order, kind=InvoiceKind.STANDARD)
        .exclude(prepayment={})
        .order_by("id")
        .first()
    )
    if existing is not None and existing.status == InvoiceStatus.ISSUED:
        return existing
    if existing is None:
        means = " ".join(p for p in (order.payment_provider, order.payment_reference) if p)
        existing = _order_draft(
            order,
            kind=InvoiceKind.STANDARD,
            lines=_order_lines(order),
            by=by,
            prepayment={
                "paid_on": timezone.localdate(order.paid_at).isoformat(),
                "amount": str(order.payment_amount),
                "means": f"{domain.ONLINE_PAYMENT} {means}".strip(),
            },
            trigger=Trigger.ORDER_PAID,
        )
    return issue_or_defer(invoice=existing, by=by, now=now, trigger=Trigger.ORDER_PAID)


def _deposit_lines(deposit: DepositRequest, order: Order, regime: VatRegime) -> list[InvoiceLine]:
    """The deposit over the VAT rates of the order, in proportion to each rate's HT base
    (one line when no VAT is charged)."""
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for line in order.lines.all():
        rate = line.vat_rate if regime.charges_vat else ZERO
        bases[rate] += line.amount_ht
    shares = domain.split_by_rate(deposit.amount, bases)
    cite = f"{deposit.article} CGV {deposit.terms_label}".strip()
    label = (
        f"Acompte de {format_percent(deposit.rate)} sur la commande {order.reference} "
        f"({cite}) : {order.nature}"
    ).strip()
    return [
        InvoiceLine(
            position=position,
            description=label + (f" (TVA {format_percent(rate)})" if len(shares) > 1 else ""),
            quantity=Decimal("1"),
            unit=Unit.FLAT,
            unit_price=amount,
            vat_rate=rate,
        )
        for position, (rate, amount) in enumerate(sorted(shares.items()))
        if amount > 0
    ]


@transaction.atomic
def issue_deposit_invoice(
    *,
    deposit_request: DepositRequest,
    by: Actor,
    now: datetime | None = None,
    trigger: Trigger | None = None,
) -> Invoice:
    """The deposit invoice of an accepted quote (seed 002 art. 5: "un acompte de 30% du
    montant global hors taxes"): the deposit amount frozen at acceptance, spread over the
    order's VAT rates; issuing it moves the deposit request to ``invoiced``. Called by
    ``orders.services.create_order_from_quote`` with ``trigger`` the quote's acceptance: an
    automatic issue, so the acceptance goes through even when the invoice must wait (it
    then stays a draft, see the module doc).

    Idempotent: a request already invoiced returns its deposit invoice.
    """
    now = aware_now(now)
    deposit = (
        DepositRequest.objects.select_for_update(of=("self",))
        .select_related("order__seller", "order__client", "order__quote", "order__terms_version")
        .get(pk=deposit_request.pk)
    )
    existing = Invoice.objects.filter(deposit_request=deposit, kind=InvoiceKind.DEPOSIT).first()
    if existing is not None and existing.status == InvoiceStatus.ISSUED:
        return existing
    if deposit.status not in {order_transitions.REQUESTED, order_transitions.CASHED}:
        raise Conflict(
            _("L'acompte de la commande %(order)s est %(status)s : pas de facture d'acompte.")
            % {"order": deposit.order.reference, "status": deposit.get_status_display().lower()}
        )
    order = deposit.order
    if existing is None:
        existing = _order_draft(
            order,
            kind=InvoiceKind.DEPOSIT,
            lines=_deposit_lines(
                deposit, order, regime_for(seller=order.seller, client=order.client)
            ),
            by=by,
            deposit_request=deposit,
            trigger=trigger,
        )
    if trigger is not None:
        return issue_or_defer(invoice=existing, by=by, now=now, trigger=trigger)
    return issue_invoice(invoice=existing, by=by, now=now)


@transaction.atomic
def final_invoice(
    *, order: Order, by: Actor, now: datetime | None = None, issue: bool = True
) -> Invoice:
    """The balance invoice of an order (seed 002 art. 5: "Le solde sera facturé à l'issue de
    la prestation"): every line of the order, minus the deposit invoices issued for it
    (``amount_due`` = TTC − deposits, each deposit listed by number and date). With
    ``issue=False`` it stays a draft for staff to check; the deposits are read again when it
    is issued. One final invoice per order (a cancelled one is corrected by credit note)."""
    now = aware_now(now)
    order = _locked_order(order)
    if order.status == order_transitions.CANCELLED:
        raise Conflict(_("%(order)s est annulée : pas de facture de solde.") % {"order": order})
    existing = Invoice.objects.filter(order=order, kind=InvoiceKind.FINAL).order_by("-id").first()
    if existing is not None and existing.status == InvoiceStatus.ISSUED:
        if existing.credited_amount < existing.total_ttc:
            raise Conflict(
                _("%(order)s a déjà sa facture de solde %(number)s.")
                % {"order": order, "number": existing.number}
            )
        existing = None
    if existing is None:
        existing = _order_draft(order, kind=InvoiceKind.FINAL, lines=_order_lines(order), by=by)
    if not issue:
        return existing
    return issue_invoice(invoice=existing, by=by, now=now)
