"""Writes on invoices and credit notes.

Drafts: :func:`create_draft`, :func:`update_draft`, :func:`delete_draft` (a draft has no
number and may change freely). Issue: :func:`issue_invoice` checks the mandatory mentions,
takes the number, freezes the document, hashes and chains it, then calls :func:`after_issue`
(PDF, Factur-X and email plug in there), all in one transaction. Corrections:
:func:`issue_credit_note`, never more than what remains creditable. Payments:
:func:`record_invoice_payment`.

Automatic issue: :func:`invoice_paid_order` (an online order paid, seed 000 art. 4, called by
``orders.services.record_payment``), :func:`issue_deposit_invoice` (a quote with a deposit
accepted, seed 002 art. 5, called by ``orders.services.create_order_from_quote``),
:func:`final_invoice` (the balance at the end of the work, deposits deducted). An automatic
issue never refuses the payment or the acceptance that triggers it: when the document cannot
be issued yet (a mandatory mention missing, the legal rate of the semester not published),
it stays a draft with ``issue_blocked_reason``, audited as ``invoice.issue_deferred``, for
staff to complete and issue.

Numbering series (``numbering.services.next_number``), one counter per seller, series and
year: ``invoice`` for standard, deposit and final invoices (``Seller.invoice_prefix``,
``F2026-000123``) and ``credit_note`` for credit notes (``Seller.credit_note_prefix``,
``AV2026-000007``). Deposit and final invoices share the invoice series: they are invoices,
and one continuous series per kind of document is what the auditor reads (BOFiP
TVA-DECLA-30-20-20). The hash chain follows the counter: one chain per seller, series and year,
serialized by the counter row lock.

Every write is one transaction that locks what it changes and records an audit event.
Services take ``now`` (an aware datetime, default the current time) so tests need no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, diff, new_event, record_event, record_events
from clausier.catalog import pricing
from clausier.catalog import selectors as catalog_selectors
from clausier.catalog.models import Product, ProductKind
from clausier.catalog.units import Unit
from clausier.customers.models import Client
from clausier.invoicing import delivery, domain, facturx, selectors
from clausier.invoicing import transitions as t
from clausier.invoicing.document import Address, Deduction, InvoiceDocument, Party
from clausier.invoicing.events import DepositInvoiced, InvoiceIssued
from clausier.invoicing.models import (
    DeliveryStatus,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Series,
)
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict, DomainError, only_fields
from clausier.kernel.events import publish
from clausier.kernel.inputs import exact_decimal
from clausier.legal import selectors as legal_selectors
from clausier.numbering.services import (
    Number,
    format_number,
    lock_series,
    next_number,
    next_numbers,
)
from clausier.orders import transitions as order_transitions
from clausier.orders.models import DepositRequest, Order
from clausier.rules.calendar import FrenchCalendar
from clausier.rules.money import ZERO, VatRegime, format_eur, format_percent
from clausier.sellers.models import Seller
from clausier.terms import selectors as terms_selectors
from clausier.terms.models import TermsStatus, TermsVersion
from clausier.terms.schemas import ClauseKind, parse_parameters


class MissingMentions(DomainError):
    """The document lacks mandatory mentions; ``fields`` lists them (``seller.siren``...)."""

    def __init__(self, document: str, fields: Sequence[str]) -> None:
        self.fields = list(fields)
        names = "; ".join(f"{_mention_label(f)} ({f})" for f in self.fields)
        super().__init__(
            _("%(document)s : émission impossible, mentions obligatoires manquantes : %(names)s.")
            % {"document": document, "names": names}
        )


def _mention_label(field: str) -> str:
    labels = {
        "seller.legal_name": _("raison sociale du vendeur"),
        "seller.address_line1": _("adresse du vendeur"),
        "seller.postal_code": _("code postal du vendeur"),
        "seller.city": _("ville du vendeur"),
        "seller.siren": _("SIREN du vendeur"),
        "seller.vat_number": _("numéro de TVA intracommunautaire du vendeur"),
        "client.name": _("nom du client"),
        "client.billing_line1": _("adresse du client"),
        "client.billing_postal_code": _("code postal du client"),
        "client.billing_city": _("ville du client"),
        "client.siren": _("SIREN du client professionnel"),
        "client.vat_number": _("numéro de TVA intracommunautaire du client"),
        "lines": _("au moins une ligne"),
        "payment_due": _("date d'échéance (clause payment.due des CGV)"),
        "corrects": _("facture corrigée par l'avoir"),
    }
    if field in labels:
        return labels[field]
    if field.endswith(".description"):
        return _("désignation de la ligne")
    if field.endswith(".quantity"):
        return _("quantité de la ligne")
    return field


# --- helpers ---------------------------------------------------------------------------------


def _locked(invoice: Invoice) -> Invoice:
    # Order, quote, deposit request and corrected invoice are read only when set: joining
    # them all in the locking query costs more (measured ~10 ms against ~2 ms on PostgreSQL,
    # benchmarks/invoicing.py) than the few primary-key reads an invoice of an order makes.
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .get(pk=invoice.pk)
    )


def _require_draft(invoice: Invoice) -> None:
    if not t.can(current=invoice.status, target=t.ISSUED):
        raise Conflict(
            _("%(invoice)s est émise : elle ne se modifie plus, corrigez-la par un avoir.")
            % {"invoice": invoice}
        )


def _series(seller: Seller, kind: str) -> tuple[str, str]:
    if kind == InvoiceKind.CREDIT_NOTE:
        return Series.CREDIT_NOTE, seller.credit_note_prefix
    return Series.INVOICE, seller.invoice_prefix


def _regime(seller: Seller, client: Client) -> VatRegime:
    return domain.vat_regime(
        seller_regime=seller.vat_regime,
        buyer_country=client.billing_country,
        buyer_is_professional=client.is_professional,
        buyer_vat_number=client.vat_number,
    )


# --- lines ------------------------------------------------------------------------------------

FREE_LINE_KEYS = frozenset(
    {"description", "quantity", "unit", "unit_label", "unit_price", "vat_rate", "discount", "goods"}
)
CATALOG_LINE_KEYS = frozenset({"product_code", "quantity", "description", "discount"})


def _read_line(position: int, item: Any, errors: dict[str, str]) -> dict[str, Any] | None:
    """The quantity and discount of one line, read exactly; None when it is no object."""
    key = f"lines[{position}]"
    if not isinstance(item, dict):
        errors[key] = _("une ligne est un objet")
        return None
    allowed = CATALOG_LINE_KEYS if "product_code" in item else FREE_LINE_KEYS
    pricing.refuse_unknown_fields(item, allowed=allowed, key=key, errors=errors)
    values: dict[str, Any] = {"quantity": pricing.read_quantity(item, key=key, errors=errors)}
    try:
        values["discount"] = exact_decimal(item.get("discount", ZERO), what=_("remise"))
    except ValueError as exc:
        errors[f"{key}.discount"] = str(exc)
    return values


def _catalog_line(priced: pricing.Priced, item: dict[str, Any]) -> InvoiceLine:
    price = priced.price
    return InvoiceLine(
        position=priced.position,
        product_code=price.product_code,
        description=(item.get("description") or price.label),
        unit=price.unit,
        unit_label=price.unit_label,
        unit_price=price.unit_price_ht,
        vat_rate=price.vat_rate,
        is_goods=priced.product.kind == ProductKind.GOODS,
        price_version_id=price.price_version_id,
    )


def _free_line(
    position: int, item: dict[str, Any], *, charges_vat: bool, errors: dict[str, str]
) -> InvoiceLine:
    key = f"lines[{position}]"
    values: dict[str, Any] = {}
    for name, what in (("unit_price", _("prix unitaire HT")), ("vat_rate", _("TVA"))):
        if name == "vat_rate" and name not in item and not charges_vat:
            values[name] = ZERO
            continue
        if name == "vat_rate" and name not in item:
            errors[f"{key}.vat_rate"] = _("indiquez le taux de TVA de la ligne (0.20 pour 20 %)")
            continue
        try:
            values[name] = exact_decimal(item.get(name), what=what)
        except ValueError as exc:
            errors[f"{key}.{name}"] = str(exc)
    return InvoiceLine(
        position=position,
        description=str(item.get("description") or "").strip(),
        unit=item.get("unit") or Unit.UNIT,
        unit_label=str(item.get("unit_label") or ""),
        unit_price=values.get("unit_price", ZERO),
        vat_rate=values.get("vat_rate", ZERO),
        is_goods=bool(item.get("goods", False)),
    )


def _build_lines(*, seller: Seller, lines: Any, on: date, charges_vat: bool) -> list[InvoiceLine]:
    """Unsaved lines from ``lines``: ``{"product_code", "quantity"}`` priced from the catalog
    on ``on`` (label, unit, unit price HT, VAT rate, price version; ``catalog.pricing``), or
    free lines ``{"description", "quantity", "unit", "unit_price", "vat_rate"}``. Every problem
    is collected into one ValidationError keyed ``lines[i].<field>``."""
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("une facture compte au moins une ligne")})
    errors: dict[str, str] = {}
    read = [_read_line(position, item, errors) for position, item in enumerate(lines)]
    wanted = [
        pricing.Wanted(position=position, code=item["product_code"], quantity=values["quantity"])
        for position, (item, values) in enumerate(zip(lines, read, strict=True))
        if values is not None and "product_code" in item
    ]
    priced = {
        line.position: line
        for line in pricing.price_lines(
            wanted,
            products=catalog_selectors.products_by_code(
                seller=seller, codes=[line.code for line in wanted]
            ),
            on=on,
            unknown_product=lambda code: (
                _("aucun produit « %(code)s » au catalogue") % {"code": code}
            ),
            errors=errors,
        )
    }
    built: list[InvoiceLine] = []
    for position, (item, values) in enumerate(zip(lines, read, strict=True)):
        if values is None or ("product_code" in item and position not in priced):
            continue
        if "product_code" in item:
            line = _catalog_line(priced[position], item)
        else:
            line = _free_line(position, item, charges_vat=charges_vat, errors=errors)
        line.quantity = values["quantity"] or ZERO
        line.discount = values.get("discount", ZERO)
        key = f"lines[{position}]"
        if pricing.model_errors(line, key=key, exclude=["invoice", "price_version"], errors=errors):
            built.append(line)
    if errors:
        raise ValidationError(pricing.line_order(errors))
    return built


def _priced(lines: list[InvoiceLine], regime: VatRegime) -> domain.Totals:
    try:
        figures = domain.totals([line.facts() for line in lines], regime)
    except domain.InvoiceRuleError as exc:
        raise ValidationError({"lines": str(exc)}) from None
    for line, document_line in zip(lines, figures.lines, strict=True):
        line.amount_ht = document_line.total_ht
    return figures


def _set_draft_totals(invoice: Invoice, figures: domain.Totals) -> None:
    invoice.total_ht = figures.total_ht
    invoice.total_vat = figures.total_vat
    invoice.total_ttc = figures.total_ttc
    invoice.amount_due = figures.total_ttc


def _save_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)


def _line_summary(line: InvoiceLine) -> dict[str, str]:
    return {
        "description": line.description[:200],
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
        "amount_ht": str(line.amount_ht),
    }


# --- drafts ---------------------------------------------------------------------------------

DRAFT_FIELDS = frozenset({"notes"})


def _new_draft(
    *,
    seller: Seller,
    client: Client,
    kind: str,
    lines: list[InvoiceLine],
    by,
    order: Order | None = None,
    deposit_request: DepositRequest | None = None,
    corrects: Invoice | None = None,
    terms_version: TermsVersion | None = None,
    notes: str = "",
    reason: str = "",
    prepayment: dict[str, Any] | None = None,
    verb_note: str = "",
) -> Invoice:
    figures = _priced(lines, _regime(seller, client))
    invoice = Invoice(
        seller=seller,
        client=client,
        kind=kind,
        order=order,
        quote=order.quote if order is not None else None,
        deposit_request=deposit_request,
        corrects=corrects,
        terms_version=terms_version,
        terms_label=terms_version.label if terms_version else "",
        notes=notes,
        reason=reason,
        prepayment=prepayment or {},
        created_by=acting_user(by),
    )
    _set_draft_totals(invoice, figures)
    invoice.full_clean()
    invoice.save()
    _save_lines(invoice, lines)
    record_event(
        actor=by,
        seller=seller,
        obj=invoice,
        verb="invoice.created",
        after={
            "kind": kind,
            "client": client.pk,
            "order": order.reference if order is not None else None,
            "corrects": corrects.number if corrects is not None else None,
            "lines": [_line_summary(line) for line in lines],
            "total_ht": str(invoice.total_ht),
            "total_ttc": str(invoice.total_ttc),
        },
        note=verb_note,
    )
    return invoice


@transaction.atomic
def create_draft(
    *,
    seller: Seller,
    client: Client,
    lines: list[dict[str, Any]],
    by,
    fields: dict[str, Any] | None = None,
    order: Order | None = None,
    now: datetime | None = None,
) -> Invoice:
    """A draft invoice of ``seller`` to ``client``: no number, editable, deletable. Lines
    from the catalog are priced on the day (``now``); free lines state their price and, for
    a VAT-charging seller, their VAT rate. ``fields``: ``notes``. ``order`` links the invoice
    to an order of the same client (its and its quote's references go on the invoice)."""
    now = aware_now(now)
    fields = only_fields(fields or {}, DRAFT_FIELDS)
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("ce client appartient à un autre vendeur")})
    if order is not None and (order.seller_id != seller.pk or order.client_id != client.pk):
        raise ValidationError({"order": _("cette commande n'est pas celle de ce client")})
    built = _build_lines(
        seller=seller,
        lines=lines,
        on=timezone.localdate(now),
        charges_vat=VatRegime(seller.vat_regime).charges_vat,
    )
    return _new_draft(
        seller=seller,
        client=client,
        kind=InvoiceKind.STANDARD,
        lines=built,
        by=by,
        order=order,
        terms_version=order.terms_version if order is not None else None,
        notes=str(fields.get("notes", "")).strip(),
    )


@transaction.atomic
def update_draft(
    *,
    invoice: Invoice,
    by,
    fields: dict[str, Any] | None = None,
    lines: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> Invoice:
    """Change a draft: ``fields`` (``notes``) and/or replace every line (``lines``, as for
    :func:`create_draft`). An issued document is refused (:class:`Conflict`)."""
    now = aware_now(now)
    fields = only_fields(fields or {}, DRAFT_FIELDS)
    invoice = _locked(invoice)
    _require_draft(invoice)
    before, after = diff(invoice, {k: str(v).strip() for k, v in fields.items()})
    changed = list(after)
    for name in changed:
        setattr(invoice, name, after[name])
    if lines is not None:
        built = _build_lines(
            seller=invoice.seller,
            lines=lines,
            on=timezone.localdate(now),
            charges_vat=VatRegime(invoice.seller.vat_regime).charges_vat,
        )
        figures = _priced(built, _regime(invoice.seller, invoice.client))
        old = [_line_summary(line) for line in invoice.lines.all()]
        invoice.lines.all().delete()
        _save_lines(invoice, built)
        before["lines"], after["lines"] = old, [_line_summary(line) for line in built]
        before["total_ttc"] = str(invoice.total_ttc)
        _set_draft_totals(invoice, figures)
        after["total_ttc"] = str(invoice.total_ttc)
        changed += ["total_ht", "total_vat", "total_ttc", "amount_due"]
    if not after:
        return invoice
    invoice.full_clean()
    invoice.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.updated",
        before=before,
        after=after,
    )
    return invoice


@transaction.atomic
def delete_draft(*, invoice: Invoice, by) -> None:
    """Delete a draft (it never had a number, so the series keeps no gap)."""
    invoice = _locked(invoice)
    _require_draft(invoice)
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.draft_deleted",
        before={"kind": invoice.kind, "total_ttc": str(invoice.total_ttc)},
    )
    invoice.delete()


# --- issuing ----------------------------------------------------------------------------------

PAYMENT_DUE, LATE_PENALTY = ClauseKind.PAYMENT_DUE, ClauseKind.LATE_PENALTY
LATE_INDEMNITY, EARLY_DISCOUNT = ClauseKind.LATE_INDEMNITY, ClauseKind.PAYMENT_EARLY_DISCOUNT
PAYMENT_METHODS, ORDER_FLOW = ClauseKind.PAYMENT_METHODS, ClauseKind.ORDER_FLOW
DEPOSIT = ClauseKind.PAYMENT_DEPOSIT
CLAUSE_KINDS = (PAYMENT_DUE, LATE_PENALTY, LATE_INDEMNITY, EARLY_DISCOUNT, PAYMENT_METHODS)
CLAUSE_KINDS += (ORDER_FLOW, DEPOSIT)


def _terms_for(invoice: Invoice) -> TermsVersion | None:
    """The terms the document runs by: its order's, else those the client accepted last,
    else the seller's published version."""
    if invoice.terms_version_id:
        return invoice.terms_version
    if invoice.order_id:
        return invoice.order.terms_version
    if invoice.corrects_id and invoice.corrects.terms_version_id:
        return invoice.corrects.terms_version
    return terms_selectors.version_in_force_for_client(
        client=invoice.client
    ) or terms_selectors.current_version(seller=invoice.seller)


# Published terms versions never change (terms.transitions): their parsed clauses are read
# once per process. Keyed by version id and the hash of its text.
_PUBLISHED_CLAUSES: dict[tuple[int, str], dict[str, tuple[domain.ClauseSource, Any]]] = {}


def _clauses(version: TermsVersion | None) -> dict[str, tuple[domain.ClauseSource, Any]]:
    if version is None:
        return {}
    key = (version.pk, version.text_sha256)
    if version.status == TermsStatus.PUBLISHED and key in _PUBLISHED_CLAUSES:
        return _PUBLISHED_CLAUSES[key]
    found: dict[str, tuple[domain.ClauseSource, Any]] = {}
    for clause in version.clauses.filter(kind__in=CLAUSE_KINDS).order_by("position", "id"):
        if clause.kind in found:
            continue
        source = domain.ClauseSource(
            clause_id=clause.clause_id,
            kind=clause.kind,
            article=clause.article,
            title=clause.title,
            terms_label=version.label,
        )
        found[clause.kind] = (source, parse_parameters(clause.kind, clause.parameters))
    if version.status == TermsStatus.PUBLISHED:
        _PUBLISHED_CLAUSES[key] = found
    return found


def _seller_party(seller: Seller) -> Party:
    return Party(
        name=seller.legal_name,
        address=Address(
            line1=seller.address_line1,
            line2=seller.address_line2,
            postal_code=seller.postal_code,
            city=seller.city,
            country=seller.country or "FR",
        ),
        legal_form=seller.legal_form,
        share_capital=seller.share_capital,
        siren=seller.siren,
        siret=seller.siret,
        rcs_city=seller.rcs_city,
        vat_number=seller.vat_number,
        email=seller.email_accounting or seller.email_sales,
        is_professional=True,
    )


def _buyer_party(client: Client, order: Order | None) -> Party:
    # An online order's recap holds what the client declared for its invoice (art. 4).
    declared = (order.declared if order is not None else None) or {}

    def value(name: str) -> str:
        return str(declared.get(name) or getattr(client, name) or "")

    return Party(
        name=value("name"),
        address=Address(
            line1=value("billing_line1"),
            line2=value("billing_line2"),
            postal_code=value("billing_postal_code"),
            city=value("billing_city"),
            country=value("billing_country") or "FR",
        ),
        siren=value("siren"),
        vat_number=value("vat_number"),
        email=value("email"),
        is_professional=client.is_professional,
    )


def _delivery_address(client: Client) -> Address | None:
    if not client.delivery_line1.strip():
        return None
    address = Address(
        line1=client.delivery_line1,
        line2=client.delivery_line2,
        postal_code=client.delivery_postal_code,
        city=client.delivery_city,
        country=client.delivery_country or "FR",
    )
    billing = (client.billing_line1, client.billing_postal_code, client.billing_city)
    if (address.line1, address.postal_code, address.city) == billing:
        return None
    return address


def _deductions(invoice: Invoice) -> tuple[Deduction, ...]:
    """The deposit invoices of the order, issued and not cancelled by a credit note."""
    deposits = (
        Invoice.objects.select_for_update()
        .filter(order_id=invoice.order_id, kind=InvoiceKind.DEPOSIT, status=InvoiceStatus.ISSUED)
        .order_by("issue_date", "sequence")
    )
    found = []
    for deposit in deposits:
        left = deposit.total_ttc - deposit.credited_amount
        if left > 0:
            found.append(
                Deduction(number=deposit.number, issue_date=deposit.issue_date, amount_ttc=left)
            )
    return tuple(found)


_UNREAD: Any = object()


def _facts(
    invoice: Invoice,
    *,
    issue_date: date,
    lines: Sequence[InvoiceLine],
    version: TermsVersion | None = _UNREAD,
    rate_table: Any = None,
) -> tuple[domain.InvoiceFacts, TermsVersion | None]:
    """Everything the document of ``invoice`` is computed from, and the terms it runs by.
    ``version`` (what :func:`_terms_for` gives) and ``rate_table`` (the legal rates in
    force) when the caller read them already for several drafts."""
    seller, client, order = invoice.seller, invoice.client, invoice.order
    if version is _UNREAD:
        version = _terms_for(invoice)
    clauses = _clauses(version)

    def source(kind: str) -> domain.ClauseSource | None:
        return clauses[kind][0] if kind in clauses else None

    def params(kind: str) -> Any:
        return clauses[kind][1] if kind in clauses else None

    payment_due = None
    if PAYMENT_DUE in clauses:
        p = params(PAYMENT_DUE)
        payment_due = domain.PaymentDue(
            n=p.n, unit=p.unit, start=p.from_, source=source(PAYMENT_DUE)
        )
    late_penalty = None
    if LATE_PENALTY in clauses:
        p = params(LATE_PENALTY)
        late_penalty = domain.LatePenalty(
            multiplier=p.multiplier,
            of=p.of,
            rate_date=p.rate_date,
            base=p.base,
            plus_points=p.plus_points,
            source=source(LATE_PENALTY),
        )
    early = None
    if EARLY_DISCOUNT in clauses:
        early = domain.EarlyDiscount(
            rate=params(EARLY_DISCOUNT).rate, source=source(EARLY_DISCOUNT)
        )
    methods = None
    if PAYMENT_METHODS in clauses:
        methods = domain.PaymentMethods(
            methods=tuple(params(PAYMENT_METHODS).methods), source=source(PAYMENT_METHODS)
        )
    prepayment = None
    if invoice.prepayment:
        paid = invoice.prepayment
        prepayment = domain.Prepayment(
            paid_on=date.fromisoformat(paid["paid_on"]),
            amount=Decimal(paid["amount"]),
            means=paid.get("means", ""),
            source=source(ORDER_FLOW),
        )
    deposit = None
    deposit_request = invoice.deposit_request
    if deposit_request is not None:
        deposit = domain.DepositBasis(
            rate=deposit_request.rate,
            base_ht=deposit_request.base_ht,
            amount=deposit_request.amount,
            source=domain.ClauseSource(
                clause_id=deposit_request.clause_id,
                kind=DEPOSIT,
                article=deposit_request.article,
                title=source(DEPOSIT).title if source(DEPOSIT) else "",
                terms_label=deposit_request.terms_label,
            ),
        )
    corrected = None
    if invoice.corrects_id:
        corrected = domain.Corrected(
            number=invoice.corrects.number, issue_date=invoice.corrects.issue_date
        )
    notes = [line.strip() for line in invoice.notes.splitlines() if line.strip()]
    if invoice.reason.strip():
        notes.insert(0, f"Motif de l'avoir : {invoice.reason.strip()}")
    quote = invoice.quote or (order.quote if order is not None else None)
    return domain.InvoiceFacts(
        kind=invoice.kind,
        issue_date=issue_date,
        seller=_seller_party(seller),
        buyer=_buyer_party(client, order),
        client_kind=client.kind,
        seller_regime=seller.vat_regime,
        lines=tuple(line.facts() for line in lines),
        terms_label=version.label if version else "",
        payment_due=payment_due,
        late_penalty=late_penalty,
        indemnity=source(LATE_INDEMNITY),
        early_discount=early,
        payment_methods=methods,
        prepayment=prepayment,
        deposit=deposit,
        deductions=_deductions(invoice) if invoice.kind == InvoiceKind.FINAL else (),
        corrected=corrected,
        delivery_address=_delivery_address(client),
        # The option for VAT on debits is the seller's (CGI 269-2 c); the sellers app has no
        # field for it yet, so it is read when there is one.
        vat_on_debits=bool(getattr(seller, "vat_on_debits", False)),
        iban=seller.iban,
        bic=seller.bic,
        order_reference=order.reference if order is not None else "",
        quote_reference=quote.display_number if quote is not None else "",
        notes=tuple(notes),
        calendar=FrenchCalendar(),
        # The packaged table with the periods staff added (legal app): one query.
        rate_table=rate_table if rate_table is not None else legal_selectors.legal_rate_table(),
    ), version


@dataclass
class _Ready:
    """A locked draft whose document is computed and checked, waiting for its number."""

    invoice: Invoice
    lines: list[InvoiceLine]
    facts: domain.InvoiceFacts
    version: TermsVersion | None
    prepared: domain.Prepared
    corrected: Invoice | None
    # The document with a slot for its number, its snapshot and its validated XML, and the
    # arithmetic behind its figures: all made before the series lock.
    document: InvoiceDocument
    unnumbered: domain.Unnumbered
    explanations: dict[str, Any]


def _ready(invoice: Invoice, *, issue_date: date, lines: list[InvoiceLine], **known) -> _Ready:
    """Check every mandatory mention of the locked draft ``invoice`` and compute its
    document (:class:`MissingMentions`, :class:`domain.InvoiceRuleError`, :class:`Conflict`
    for a credit note above what remains creditable). Reads, writes nothing. ``known``: what
    a billing run already read for several drafts (see :func:`_facts`)."""
    facts, version = _facts(invoice, issue_date=issue_date, lines=lines, **known)
    regime = domain.vat_regime(
        seller_regime=facts.seller_regime,
        buyer_country=facts.buyer.address.country,
        buyer_is_professional=facts.buyer.is_professional,
        buyer_vat_number=facts.buyer.vat_number,
    )
    missing = domain.missing_mentions(facts, regime)
    if missing:
        raise MissingMentions(f"{invoice} ({invoice.client})", missing)
    prepared = domain.prepare(facts)

    corrected = None
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        corrected = Invoice.objects.select_for_update().get(pk=invoice.corrects_id)
        if corrected.status != InvoiceStatus.ISSUED or corrected.is_credit_note:
            raise Conflict(_("Un avoir corrige une facture émise."))
        remaining = selectors.creditable(invoice=corrected)
        excess = domain.credit_excess(remaining=remaining, note=prepared.totals)
        if excess:
            raise Conflict(
                _("Avoir refusé sur %(invoice)s : %(why)s.")
                % {"invoice": corrected.number, "why": excess}
            )
    # Everything but the number, before the series lock: the snapshot and the Factur-X XML
    # (FacturXInvalid names the broken rule), with a slot the number is written into.
    slot = domain.number_slot()
    document = prepared.document(number=slot)
    unnumbered = domain.Unnumbered.of(document, slot=slot, xml=facturx.check_document(document))
    return _Ready(
        invoice,
        lines,
        facts,
        version,
        prepared,
        corrected,
        document,
        unnumbered,
        prepared.explanations(),
    )


def _previous_hash(*, seller: Seller, series: str, issue_date: date, sequence: int) -> str:
    """The chained hash of the document of rank ``sequence - 1`` of the series ("" for the
    first), checking the series is whole and chronological. Under the counter lock."""
    if sequence <= 1:
        return ""
    previous = (
        Invoice.objects.filter(
            seller=seller,
            series=series,
            year=issue_date.year,
            sequence=sequence - 1,
            status=InvoiceStatus.ISSUED,
        )
        .values("number", "issue_date", "chain_hash")
        .first()
    )
    if previous is None:
        raise DomainError(
            _(
                "Série %(series)s %(year)s interrompue : le document de rang %(rank)s est "
                "introuvable ; lancez « clausier verify_ledger »."
            )
            % {"series": series, "year": issue_date.year, "rank": sequence - 1}
        )
    if previous["issue_date"] > issue_date:
        raise DomainError(
            _(
                "La numérotation est chronologique : %(previous)s est datée du %(date)s, "
                "une facture du %(today)s ne peut pas la suivre."
            )
            % {
                "previous": previous["number"],
                "date": f"{previous['issue_date']:%d/%m/%Y}",
                "today": f"{issue_date:%d/%m/%Y}",
            }
        )
    return previous["chain_hash"]


ISSUED_FIELDS = (
    "status",
    "terms_version",
    "terms_label",
    "vat_regime",
    "series",
    "year",
    "sequence",
    "number",
    "issue_date",
    "due_date",
    "total_ht",
    "total_vat",
    "total_ttc",
    "prepaid_amount",
    "amount_due",
    "snapshot",
    "explanations",
    "content_hash",
    "previous_hash",
    "chain_hash",
    "issued_at",
    "issued_by",
    "issue_blocked_reason",
    "updated_at",
)


def _freeze(
    ready: _Ready,
    *,
    series: str,
    number: Number,
    previous_hash: str,
    issue_date: date,
    now: datetime,
    by,
    recipients: list[str] | None = None,
) -> tuple[list[str], list[InvoiceLine], dict[str, Any]]:
    """Number, freeze, hash and chain the document of ``ready`` and run :func:`after_issue`
    (its Factur-X XML stored, its email queued) on the instance, unsaved. Returns the
    fields to save, the lines whose amount changed, and the audit ``after``. Under the
    series lock: the document, its snapshot and its XML were made and checked before, the
    number is only written in."""
    invoice, prepared, version, document = (
        ready.invoice,
        ready.prepared,
        ready.version,
        ready.document,
    )
    numbered = ready.unnumbered.numbered(number.label)
    snapshot, content = numbered.snapshot, numbered.content_hash

    changed = []
    for line, document_line in zip(ready.lines, document.lines, strict=True):
        if line.amount_ht != document_line.total_ht:  # kept current on drafts: rarely
            line.amount_ht = document_line.total_ht
            changed.append(line)

    invoice.status = InvoiceStatus.ISSUED
    invoice.terms_version = version
    invoice.terms_label = version.label if version else ""
    invoice.vat_regime = prepared.regime.value
    invoice.series = series
    invoice.year = issue_date.year
    invoice.sequence = number.sequence
    invoice.number = number.label
    invoice.issue_date = issue_date
    invoice.due_date = document.due_date
    invoice.total_ht = document.total_ht
    invoice.total_vat = document.total_vat
    invoice.total_ttc = document.total_ttc
    invoice.prepaid_amount = document.prepaid_amount
    invoice.amount_due = document.amount_due
    invoice.snapshot = snapshot
    invoice.explanations = ready.explanations
    invoice.content_hash = content
    invoice.previous_hash = previous_hash
    invoice.chain_hash = domain.chain_hash(previous_hash=previous_hash, content_hash=content)
    invoice.issued_at = now
    invoice.issued_by = acting_user(by)
    invoice.issue_blocked_reason = ""
    fields = list(ISSUED_FIELDS)
    if ready.facts.prepayment is not None:
        invoice.amount_paid = ready.facts.prepayment.amount
        invoice.paid_on = ready.facts.prepayment.paid_on
        fields += ["amount_paid", "paid_on"]
    fields += after_issue(invoice=invoice, xml=numbered.xml, recipients=recipients)
    after = {
        "status": InvoiceStatus.ISSUED,
        "kind": invoice.kind,
        "number": invoice.number,
        "issue_date": issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "total_ttc": str(invoice.total_ttc),
        "amount_due": str(invoice.amount_due),
        "terms": invoice.terms_label,
        "content_hash": content,
        "corrects": ready.corrected.number if ready.corrected is not None else None,
    }
    return fields, changed, after


@transaction.atomic
def issue_invoice(*, invoice: Invoice, by, now: datetime | None = None) -> Invoice:
    """Issue a draft: in one transaction, check every mandatory mention (a
    :class:`MissingMentions` error names each missing field), compute the document
    (totals, due date, penalties; :class:`domain.InvoiceRuleError` when it cannot be), take
    the next number of the seller's series, freeze the :class:`InvoiceDocument` as
    ``snapshot``, hash it (``content_hash``) and chain it to the previous document of the
    series (``previous_hash``, ``chain_hash``), then run :func:`after_issue`.

    The date of the document is the day of ``now`` in Paris; it may not precede the last
    document of the series (numbers are chronological). A refused issue writes nothing and
    consumes no number.
    """
    now = aware_now(now)
    invoice = _locked(invoice)
    _require_draft(invoice)
    issue_date = timezone.localdate(now)
    lines = list(invoice.lines.order_by("position", "id"))
    ready = _ready(invoice, issue_date=issue_date, lines=lines)

    # From here the counter row is locked until commit: keep the work short.
    series, prefix = _series(invoice.seller, invoice.kind)
    number = next_number(seller=invoice.seller, series=series, year=issue_date.year, prefix=prefix)
    previous_hash = _previous_hash(
        seller=invoice.seller, series=series, issue_date=issue_date, sequence=number.sequence
    )
    fields, changed, after = _freeze(
        ready,
        series=series,
        number=number,
        previous_hash=previous_hash,
        issue_date=issue_date,
        now=now,
        by=by,
    )
    if changed:
        _write_rows(InvoiceLine, changed, ["amount_ht"])
    # The row was read select_for_update as a draft above: the guard need not read it again.
    invoice.save(update_fields=fields, locked_draft=True)

    corrected = ready.corrected
    if corrected is not None:
        corrected.credited_amount += invoice.total_ttc
        corrected.save(update_fields=["credited_amount", "updated_at"])
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.issued",
        before={"status": InvoiceStatus.DRAFT},
        after=after,
    )
    _announce_issued(invoice, by=by, now=now)
    delivery.enqueue_after_commit(invoice)
    return invoice


def after_issue(*, invoice: Invoice, xml: bytes, recipients: list[str] | None = None) -> list[str]:
    """What follows the issue of ``invoice``: called by :func:`issue_invoice` (and the
    billing run, :func:`issue_invoices`) inside the issuing transaction, once the document
    is numbered, frozen and chained, while the series counter is locked (keep it short:
    every issuer of the series waits). It sets fields on the instance and returns their
    names: the caller saves them with the issue, in one UPDATE.

    ``delivery.issue_outputs`` does:

    1. Factur-X: ``xml``, written from the frozen document (never the live rows) and
       validated before the number was taken (an invalid document raised
       :class:`~clausier.invoicing.facturx.FacturXInvalid` naming the broken rule and took
       no number), is stored with its SHA-256.
    2. The email queued (``email_status`` ``queued``, ``email_to`` the client's billing
       contacts, or ``recipients`` when the caller read them already). After the commit,
       the delivery task (``tasks.deliver_invoice``, queued by the caller) prints the PDF
       once (``delivery.ensure_pdf``, out of the series lock) and emails it, retried with
       growing waits.
    """
    return delivery.issue_outputs(invoice=invoice, xml=xml, to=recipients)


# --- billing run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BillingRun:
    """What :func:`issue_invoices` did: the documents issued, in number order, and the
    drafts it left waiting with their reason (``issue_blocked_reason``)."""

    issued: list[Invoice]
    blocked: list[Invoice]


def billing_run_drafts(*, seller: Seller):
    """The drafts a billing run of ``seller`` issues: its standard invoices not issued yet,
    oldest first (credit notes, deposit and final invoices are issued one by one)."""
    return Invoice.objects.filter(
        seller=seller, status=InvoiceStatus.DRAFT, kind=InvoiceKind.STANDARD
    ).order_by("created_at", "id")


def issue_invoices(
    *,
    invoices: Sequence[Invoice],
    by,
    now: datetime | None = None,
    chunk: int = 200,
    progress: Any = None,
) -> BillingRun:
    """Issue many standard drafts of one seller (a billing run), in the order given, by
    chunks of ``chunk``: each chunk is one transaction that locks its drafts and the series
    counter once, then checks, computes, numbers, freezes, hashes and chains each document
    exactly as :func:`issue_invoice` does (the same functions), validates and stores its
    Factur-X XML, and writes the chunk in bulk (one UPDATE of the invoices, one INSERT of
    the audit events).

    A draft that cannot be issued (a mandatory mention missing, an invalid Factur-X...) stays
    a draft with its reason (``issue_blocked_reason``, audited as ``invoice.issue_deferred``
    when the reason changed) and takes no number: the numbers go, in order, to the documents
    that passed, so the series keeps no gap. Idempotent and resumable: a document already
    issued is skipped, each chunk commits on its own. ``progress(done, total)`` is called
    after each chunk. ``ValueError`` for drafts of several sellers or of another kind.
    """
    now = aware_now(now)
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    ids = list(dict.fromkeys(invoice.pk for invoice in invoices))
    issued: list[Invoice] = []
    blocked: list[Invoice] = []
    memo = RunMemo()
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            done, left = issue_chunk(ids[start : start + chunk], by=by, now=now, memo=memo)
        issued += done
        blocked += left
        if progress is not None:
            progress(min(start + chunk, len(ids)), len(ids))
    return BillingRun(issued=issued, blocked=blocked)


def _write_rows(model, rows: list, fields: list[str], *, only_status: str = "") -> None:
    """Write ``fields`` of ``rows`` with one prepared UPDATE run for every row.

    ``QuerySet.bulk_update`` builds one ``CASE WHEN`` per field over the whole batch, which
    costs more than half of a billing run's time in query compilation alone. With
    ``only_status`` the UPDATE touches a row only while it is still in that state (drafts
    being issued): a row that is not is an error, never a silent overwrite of an issued
    document.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "
        + ", ".join(f"{quote(field.column)} = %s" for field in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
        + (f" AND {quote('status')} = %s" if only_status else "")
    )
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [row.pk]
        + ([only_status] if only_status else [])
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        written = cursor.rowcount
    if only_status and written not in (-1, len(rows)):
        raise Conflict(
            _("%(written)s documents écrits sur %(expected)s : un autre a changé d'état.")
            % {"written": written, "expected": len(rows)}
        )


@dataclass
class RunMemo:
    """What a billing run reads once per client and keeps for all its chunks (its date is
    one day): the terms a client runs by (for a draft with no order and no terms of its
    own) and its billing contacts."""

    versions: dict[int, TermsVersion | None] = field(default_factory=dict)
    contacts: dict[int, list[str]] = field(default_factory=dict)

    def version(self, draft: Invoice) -> TermsVersion | None:
        if draft.terms_version_id or draft.order_id or draft.corrects_id:
            return _terms_for(draft)
        if draft.client_id not in self.versions:
            self.versions[draft.client_id] = _terms_for(draft)
        return self.versions[draft.client_id]

    def recipients(self, client: Client) -> list[str]:
        if client.pk not in self.contacts:
            self.contacts[client.pk] = delivery.recipients(client)
        return self.contacts[client.pk]


def issue_chunk(
    ids: list[int], *, by, now: datetime, memo: RunMemo
) -> tuple[list[Invoice], list[Invoice]]:
    """One chunk of a billing run (see :func:`issue_invoices`), in the caller's transaction:
    the documents issued, in number order, and the drafts left waiting."""
    order = {pk: position for position, pk in enumerate(ids)}
    drafts = sorted(
        Invoice.objects.select_for_update(of=("self",))
        .select_related("seller", "client")
        .filter(pk__in=ids, status=InvoiceStatus.DRAFT),
        key=lambda invoice: order[invoice.pk],
    )
    if not drafts:
        return [], []
    sellers = {draft.seller_id for draft in drafts}
    if len(sellers) > 1:
        raise ValueError("a billing run issues the drafts of one seller")
    others = [str(draft) for draft in drafts if draft.kind != InvoiceKind.STANDARD]
    if others:
        raise ValueError(f"a billing run issues standard invoices only, not {others[:3]}")
    seller = drafts[0].seller
    issue_date = timezone.localdate(now)
    lines: dict[int, list[InvoiceLine]] = defaultdict(list)
    for line in InvoiceLine.objects.filter(invoice_id__in=[d.pk for d in drafts]).order_by(
        "invoice_id", "position", "id"
    ):
        lines[line.invoice_id].append(line)
    rate_table = legal_selectors.legal_rate_table()

    ready: list[_Ready] = []
    reasons: dict[int, str] = {}
    for draft in drafts:
        try:
            ready.append(
                _ready(
                    draft,
                    issue_date=issue_date,
                    lines=lines[draft.pk],
                    version=memo.version(draft),
                    rate_table=rate_table,
                )
            )
        except DomainError as exc:
            reasons[draft.pk] = str(exc)

    issued: list[Invoice] = []
    changed_lines: list[InvoiceLine] = []
    fields: dict[str, None] = {}
    events = []
    if ready:
        # From here the counter row is locked until commit: every issuer of the series waits.
        series, prefix = _series(seller, InvoiceKind.STANDARD)
        last = lock_series(seller=seller, series=series, year=issue_date.year)
        previous_hash = _previous_hash(
            seller=seller, series=series, issue_date=issue_date, sequence=last + 1
        )
        for item in ready:
            sequence = last + len(issued) + 1
            number = Number(
                sequence=sequence,
                label=format_number(prefix=prefix, year=issue_date.year, sequence=sequence),
            )
            saved, changed, after = _freeze(
                item,
                series=series,
                number=number,
                previous_hash=previous_hash,
                issue_date=issue_date,
                now=now,
                by=by,
                recipients=memo.recipients(item.invoice.client),
            )
            issued.append(item.invoice)
            changed_lines += changed
            fields.update(dict.fromkeys(saved))
            previous_hash = item.invoice.chain_hash
            events.append(
                new_event(
                    actor=by,
                    seller=seller,
                    obj=item.invoice,
                    verb="invoice.issued",
                    before={"status": InvoiceStatus.DRAFT},
                    after=after,
                )
            )
        if issued:
            taken = next_numbers(
                seller=seller, series=series, year=issue_date.year, prefix=prefix, count=len(issued)
            )
            if [n.sequence for n in taken] != [i.sequence for i in issued]:
                raise DomainError(  # cannot happen while the counter row is locked
                    _("Série %(series)s %(year)s : compteur déplacé pendant l'émission.")
                    % {"series": series, "year": issue_date.year}
                )
            if changed_lines:
                _write_rows(InvoiceLine, changed_lines, ["amount_ht"])
            _write_rows(Invoice, issued, list(fields), only_status=InvoiceStatus.DRAFT)

    blocked = _keep_waiting(drafts, reasons, by=by, now=now, events=events)
    record_events(events)
    for invoice in issued:
        _announce_issued(invoice, by=by, now=now)
    delivery.enqueue_many_after_commit(issued)
    return issued, blocked


def _keep_waiting(
    drafts: list[Invoice], reasons: dict[int, str], *, by, now: datetime, events: list
) -> list[Invoice]:
    """The drafts of ``reasons`` with their reason stored (and audited) when it changed."""
    if not reasons:
        return []
    waiting = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_related("seller", "client").filter(
            pk__in=list(reasons)
        )
    }
    blocked = []
    for draft in drafts:
        if draft.pk not in reasons:
            continue
        invoice, reason = waiting[draft.pk], reasons[draft.pk]
        if invoice.issue_blocked_reason != reason:
            before = {"reason": invoice.issue_blocked_reason}
            invoice.issue_blocked_reason = reason
            invoice.updated_at = now
            invoice.save(update_fields=["issue_blocked_reason", "updated_at"])
            events.append(
                new_event(
                    actor=by,
                    seller=invoice.seller,
                    obj=invoice,
                    verb="invoice.issue_deferred",
                    before=before,
                    after={"kind": invoice.kind, "reason": reason},
                    note=_("facturation groupée : brouillon à compléter puis émettre"),
                )
            )
        blocked.append(invoice)
    return blocked


@transaction.atomic
def resend_invoice(
    *, invoice: Invoice, by, to: Sequence[str] | None = None, now: datetime | None = None
) -> Invoice:
    """Send an issued document by email again ("Renvoyer"), to ``to`` or, by default, to
    the client's billing contacts of today: the email is queued and due at once, with a
    fresh retry schedule; the same stored PDF is attached. Refused (:class:`Conflict`) for
    a draft and while an attempt is in flight (it could not be told from this one)."""
    now = aware_now(now)
    invoice = _locked(invoice)
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict(_("Seul un document émis s'envoie par e-mail."))
    t.check_delivery(label=str(invoice), current=invoice.email_status, target=t.QUEUED)
    if to is None:
        recipients = delivery.recipients(invoice.client)
    else:
        if isinstance(to, str) or not isinstance(to, Sequence):
            raise ValidationError({"to": _("une liste d'adresses e-mail est attendue")})
        recipients = []
        for address in to:
            address = str(address).strip()
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    {"to": _("adresse e-mail invalide : %(address)s") % {"address": address}}
                ) from None
            if address.lower() not in {r.lower() for r in recipients}:
                recipients.append(address)
    if not recipients:
        raise ValidationError({"to": _("indiquez au moins une adresse e-mail")})
    if delivery.in_flight(invoice, now=now):
        raise Conflict(
            _("%(invoice)s est en cours d'envoi : réessayez dans quelques minutes.")
            % {"invoice": invoice.number}
        )
    before = {
        "email_status": invoice.email_status,
        "email_to": invoice.email_to,
        "email_attempts": invoice.email_attempts,
    }
    invoice.email_status = DeliveryStatus.QUEUED
    invoice.email_to = recipients
    invoice.email_attempts = 0
    invoice.email_next_attempt_at = None
    invoice.save(
        update_fields=[
            "email_status",
            "email_to",
            "email_attempts",
            "email_next_attempt_at",
            "updated_at",
        ]
    )
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.resend_requested",
        before=before,
        after={
            "email_status": invoice.email_status,
            "email_to": recipients,
            "email_attempts": 0,
            "next_attempt_at": None,
        },
    )
    delivery.enqueue_after_commit(invoice)
    return invoice


def _announce_issued(invoice: Invoice, *, by, now: datetime) -> None:
    publish(
        InvoiceIssued(
            invoice_id=invoice.pk,
            seller_id=invoice.seller_id,
            number=invoice.number,
            kind=invoice.kind,
            at=now,
            by=by,
        )
    )
    if invoice.kind == InvoiceKind.DEPOSIT and invoice.deposit_request_id:
        # The order's deposit request moves to "invoiced" (orders answers, in this transaction).
        publish(
            DepositInvoiced(
                invoice_id=invoice.pk,
                deposit_request_id=invoice.deposit_request_id,
                seller_id=invoice.seller_id,
                number=invoice.number,
                at=now,
                by=by,
            )
        )


# --- credit notes -----------------------------------------------------------------------------


@transaction.atomic
def issue_credit_note(
    *,
    invoice: Invoice,
    reason: str,
    by,
    lines: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> Invoice:
    """Issue a credit note (avoir) correcting ``invoice``, the only way to cancel or reduce
    an issued invoice. Without ``lines`` it cancels what remains of the invoice (its own
    lines when nothing was credited yet); with ``lines`` (free lines, as for
    :func:`create_draft`) it credits part of it. Never more than what remains creditable,
    in total and per VAT rate (:class:`Conflict`)."""
    now = aware_now(now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("indiquez le motif de l'avoir")})
    invoice = _locked(invoice)
    if invoice.status != InvoiceStatus.ISSUED or invoice.is_credit_note:
        raise Conflict(_("Seule une facture émise peut être corrigée par un avoir."))
    remaining = selectors.creditable(invoice=invoice)
    if remaining.ttc <= 0:
        raise Conflict(
            _("%(invoice)s est déjà entièrement annulée par avoir.") % {"invoice": invoice.number}
        )
    if timezone.localdate(now) < invoice.issue_date:
        raise Conflict(
            _("Un avoir ne peut pas précéder la facture qu'il corrige (%(invoice)s du %(date)s).")
            % {"invoice": invoice.number, "date": f"{invoice.issue_date:%d/%m/%Y}"}
        )
    if lines is None:
        built = [
            InvoiceLine(
                position=position,
                description=facts.description,
                quantity=facts.quantity,
                unit=facts.unit,
                unit_label=facts.unit_label,
                unit_price=facts.unit_price,
                vat_rate=facts.vat_rate,
                discount=facts.discount,
            )
            for position, facts in enumerate(
                domain.remaining_lines(invoice=invoice.document, remaining=remaining)
            )
        ]
    else:
        built = _build_lines(
            seller=invoice.seller,
            lines=lines,
            on=timezone.localdate(now),
            charges_vat=VatRegime(invoice.vat_regime or invoice.seller.vat_regime).charges_vat,
        )
    note = _new_draft(
        seller=invoice.seller,
        client=invoice.client,
        kind=InvoiceKind.CREDIT_NOTE,
        lines=built,
        by=by,
        order=invoice.order,
        corrects=invoice,
        terms_version=invoice.terms_version,
        reason=reason,
    )
    return issue_invoice(invoice=note, by=by, now=now)


# --- payments --------------------------------------------------------------------------------


@transaction.atomic
def record_invoice_payment(
    *, invoice: Invoice, amount: Any, paid_on: date, by, now: datetime | None = None
) -> Invoice:
    """A payment of ``amount`` received on ``paid_on`` for an issued invoice: its payment
    status fields change (the document does not)."""
    now = aware_now(now)
    invoice = _locked(invoice)
    if invoice.status != InvoiceStatus.ISSUED:
        raise Conflict(_("Un paiement s'enregistre sur une facture émise."))
    errors: dict[str, str] = {}
    try:
        received = exact_decimal(amount, what=_("montant"))
    except ValueError as exc:
        errors["amount"] = str(exc)
    else:
        if received <= 0:
            errors["amount"] = _("le montant doit être strictement positif")
    if paid_on > timezone.localdate(now):
        errors["paid_on"] = _("un paiement ne peut pas être daté dans le futur")
    unpaid = invoice.unpaid
    if "amount" not in errors and received > unpaid:
        errors["amount"] = _(
            "le montant dépasse le reste dû (%(unpaid)s) : un trop-perçu se rembourse ou se "
            "règle par avoir, il ne s'enregistre pas comme paiement de la facture"
        ) % {"unpaid": format_eur(max(unpaid, ZERO))}
    if errors:
        raise ValidationError(errors)
    before = {"amount_paid": str(invoice.amount_paid)}
    invoice.amount_paid += received
    invoice.paid_on = paid_on
    invoice.save(update_fields=["amount_paid", "paid_on", "updated_at"])
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.payment_recorded",
        before=before,
        after={
            "amount_paid": str(invoice.amount_paid),
            "received": str(received),
            "paid_on": paid_on.isoformat(),
            "status": invoice.payment_status(today=timezone.localdate(now)),
        },
    )
    return invoice


# --- automatic issue -------------------------------------------------------------------------


def _issue_or_defer(*, invoice: Invoice, by, now: datetime) -> Invoice:
    """Issue ``invoice``; when it cannot be issued yet, keep the draft with the reason."""
    try:
        return issue_invoice(invoice=invoice, by=by, now=now)
    except DomainError as exc:
        reason = str(exc)
    invoice = Invoice.objects.get(pk=invoice.pk)
    invoice.issue_blocked_reason = reason
    invoice.save(update_fields=["issue_blocked_reason", "updated_at"])
    record_event(
        actor=by,
        seller=invoice.seller,
        obj=invoice,
        verb="invoice.issue_deferred",
        after={"kind": invoice.kind, "reason": reason},
        note=_("émission automatique en attente : brouillon à compléter puis émettre"),
    )
    return invoice


def waiting_drafts():
    """Drafts an automatic issue left waiting (``issue_blocked_reason``), oldest first."""
    return Invoice.objects.filter(status=InvoiceStatus.DRAFT).exclude(issue_blocked_reason="")


@transaction.atomic
def retry_waiting_invoice(*, invoice: Invoice, by, now: datetime | None = None) -> Invoice:
    """Issue a draft an automatic issue left waiting, once what it lacked is there (the
    legal rate of the semester entered, the SIREN completed...). Idempotent: a document
    already issued, or a draft no longer waiting, is returned unchanged. When it still
    cannot be issued, the draft keeps waiting; its reason is updated (and audited) only if
    it changed, so a retry run every day writes nothing while nothing changes."""
    now = aware_now(now)
    invoice = _locked(invoice)
    if invoice.status != InvoiceStatus.DRAFT or not invoice.issue_blocked_reason:
        return invoice
    try:
        with transaction.atomic():
            return issue_invoice(invoice=invoice, by=by, now=now)
    except DomainError as exc:
        reason = str(exc)
    if reason != invoice.issue_blocked_reason:
        before = {"reason": invoice.issue_blocked_reason}
        invoice.issue_blocked_reason = reason
        invoice.save(update_fields=["issue_blocked_reason", "updated_at"])
        record_event(
            actor=by,
            seller=invoice.seller,
            obj=invoice,
            verb="invoice.issue_deferred",
            before=before,
            after={"kind": invoice.kind, "reason": reason},
            note=_("nouvel essai d'émission : toujours en attente"),
        )
    return invoice


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
def invoice_paid_order(*, order: Order, by=None, now: datetime | None = None) -> Invoice | None:
    """The invoice of an online order whose payment was received, issued at once when its
    frozen ``order.flow`` clause says so (seed 000 art. 4: "Suite à la réception du paiement
    de la commande par Clever Cloud, une facture est éditée automatiquement"): the order's
    lines, its reference, the payment received (the invoice is issued paid, due on the
    payment day). Called by ``orders.services.record_payment`` in its transaction.

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
        existing = _new_draft(
            seller=order.seller,
            client=order.client,
            kind=InvoiceKind.STANDARD,
            lines=_order_lines(order),
            by=by,
            order=order,
            terms_version=order.terms_version,
            prepayment={
                "paid_on": timezone.localdate(order.paid_at).isoformat(),
                "amount": str(order.payment_amount),
                "means": f"paiement en ligne {means}".strip(),
            },
        )
    return _issue_or_defer(invoice=existing, by=by, now=now)


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
    *, deposit_request: DepositRequest, by, now: datetime | None = None, automatic: bool = False
) -> Invoice:
    """The deposit invoice of an accepted quote (seed 002 art. 5: "un acompte de 30% du
    montant global hors taxes"): the deposit amount frozen at acceptance, spread over the
    order's VAT rates; issuing it moves the deposit request to ``invoiced``. Called by
    ``orders.services.create_order_from_quote`` with ``automatic=True``: the acceptance goes
    through even when the invoice must wait (it then stays a draft, see the module doc).

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
        existing = _new_draft(
            seller=order.seller,
            client=order.client,
            kind=InvoiceKind.DEPOSIT,
            lines=_deposit_lines(deposit, order, _regime(order.seller, order.client)),
            by=by,
            order=order,
            deposit_request=deposit,
            terms_version=order.terms_version,
        )
    if automatic:
        return _issue_or_defer(invoice=existing, by=by, now=now)
    return issue_invoice(invoice=existing, by=by, now=now)


@transaction.atomic
def final_invoice(*, order: Order, by, now: datetime | None = None, issue: bool = True) -> Invoice:
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
        existing = _new_draft(
            seller=order.seller,
            client=order.client,
            kind=InvoiceKind.FINAL,
            lines=_order_lines(order),
            by=by,
            order=order,
            terms_version=order.terms_version,
        )
    if not issue:
        return existing
    return issue_invoice(invoice=existing, by=by, now=now)
