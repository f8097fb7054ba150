"""Draft invoices: created, updated and deleted freely (a draft has no number)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, diff, new_event, record_events, record_on
from clausier.audit.triggers import Trigger
from clausier.customers.models import Client
from clausier.invoicing.models import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
)
from clausier.invoicing.services.lines import (
    build_lines,
    line_summary,
    priced_totals,
    save_lines,
    set_draft_totals,
)
from clausier.invoicing.services.support import locked_invoice, regime_for, require_draft
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import only_fields
from clausier.kernel.inputs import check_date_window
from clausier.orders.models import DepositRequest, Order
from clausier.rules.money import VatRegime
from clausier.sellers.models import Seller
from clausier.terms.models import TermsVersion

# --- drafts ---------------------------------------------------------------------------------

DRAFT_FIELDS = frozenset({"notes", "service_date"})


def _draft_values(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` of a draft as the model holds them: text stripped, the service date a
    ``date`` or None (an ISO string is read; anything else names the field)."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name != "service_date":
            values[name] = str(value).strip()
        elif value in (None, "") or isinstance(value, date):
            values[name] = value or None
        else:
            try:
                values[name] = date.fromisoformat(str(value))
            except ValueError:
                raise ValidationError(
                    {"service_date": _("une date au format AAAA-MM-JJ est attendue")}
                ) from None
    check_date_window(values.get("service_date"), "service_date")
    return values


def draft_instance(
    *,
    seller: Seller,
    client: Client,
    kind: str,
    lines: list[InvoiceLine],
    by: Actor,
    order: Order | None = None,
    deposit_request: DepositRequest | None = None,
    corrects: Invoice | None = None,
    terms_version: TermsVersion | None = None,
    notes: str = "",
    service_date: date | None = None,
    reason: str = "",
    prepayment: dict[str, Any] | None = None,
) -> Invoice:
    """The unsaved draft :func:`new_draft` writes: its lines priced (their ``amount_ht``
    set) and its totals computed under the seller and client's VAT regime."""
    figures = priced_totals(lines=lines, regime=regime_for(seller=seller, client=client, kind=kind))
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
        service_date=service_date,
        reason=reason,
        prepayment=prepayment or {},
        created_by=acting_user(by=by),
    )
    set_draft_totals(invoice=invoice, figures=figures)
    return invoice


def _created(invoice: Invoice, lines: list[InvoiceLine]) -> dict[str, Any]:
    """The ``after`` of a draft's ``invoice.created`` event."""
    return {
        "kind": invoice.kind,
        "client": invoice.client_id,
        "order": invoice.order.reference if invoice.order_id else None,
        "corrects": invoice.corrects.number if invoice.corrects_id else None,
        "lines": [line_summary(line=line) for line in lines],
        "total_ht": str(invoice.total_ht),
        "total_ttc": str(invoice.total_ttc),
    }


def new_draft(
    *,
    seller: Seller,
    client: Client,
    kind: str,
    lines: list[InvoiceLine],
    by: Actor,
    order: Order | None = None,
    deposit_request: DepositRequest | None = None,
    corrects: Invoice | None = None,
    terms_version: TermsVersion | None = None,
    notes: str = "",
    service_date: date | None = None,
    reason: str = "",
    prepayment: dict[str, Any] | None = None,
    verb_note: str = "",
    trigger: Trigger | None = None,
) -> Invoice:
    invoice = draft_instance(
        seller=seller,
        client=client,
        kind=kind,
        lines=lines,
        by=by,
        order=order,
        deposit_request=deposit_request,
        corrects=corrects,
        terms_version=terms_version,
        notes=notes,
        service_date=service_date,
        reason=reason,
        prepayment=prepayment,
    )
    invoice.full_clean()
    invoice.save()
    save_lines(invoice=invoice, lines=lines)
    record_on(
        obj=invoice,
        actor=by,
        verb="invoice.created",
        after=_created(invoice, lines),
        note=verb_note,
        trigger=trigger,
    )
    return invoice


def _relations() -> list[str]:
    return [f.name for f in Invoice._meta.concrete_fields if f.is_relation]


def new_drafts(*, drafts: Sequence[tuple[Invoice, list[InvoiceLine]]], by: Actor) -> list[Invoice]:
    """Many drafts of :func:`draft_instance` written at once (a billing run), in the
    caller's transaction: each one's fields and rules checked as :func:`new_draft` checks
    them (its relations are the instances given, its constraints the database's, checked at
    the insert), then one INSERT of the invoices, one of their lines and one of their
    ``invoice.created`` events, the same as :func:`new_draft` records."""
    relations = _relations()
    for invoice, _lines in drafts:
        invoice.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    invoices = Invoice.objects.bulk_create([invoice for invoice, _lines in drafts])
    every_line = []
    for invoice, lines in drafts:
        for line in lines:
            line.invoice = invoice
        every_line += lines
    InvoiceLine.objects.bulk_create(every_line)
    record_events(
        events=[
            new_event(
                actor=by,
                seller=invoice.seller,
                obj=invoice,
                verb="invoice.created",
                after=_created(invoice, lines),
            )
            for invoice, lines in drafts
        ]
    )
    return invoices


@transaction.atomic
def create_draft(
    *,
    seller: Seller,
    client: Client,
    lines: list[dict[str, Any]],
    by: Actor,
    fields: dict[str, Any] | None = None,
    order: Order | None = None,
    now: datetime | None = None,
) -> Invoice:
    """A draft invoice of ``seller`` to ``client``: no number, editable, deletable. Lines
    from the catalog are priced on the day (``now``); free lines state their price and, for
    a VAT-charging seller, their VAT rate. ``fields``: ``notes``, ``service_date`` (when the
    service was done, if not on the invoice's date). ``order`` links the invoice
    to an order of the same client (its and its quote's references go on the invoice)."""
    now = aware_now(now)
    fields = _draft_values(only_fields(fields or {}, DRAFT_FIELDS))
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("ce client appartient à un autre vendeur")})
    if order is not None and (order.seller_id != seller.pk or order.client_id != client.pk):
        raise ValidationError({"order": _("cette commande n'est pas celle de ce client")})
    built = build_lines(
        seller=seller,
        lines=lines,
        on=timezone.localdate(now),
        charges_vat=VatRegime(seller.vat_regime).charges_vat,
    )
    return new_draft(
        seller=seller,
        client=client,
        kind=InvoiceKind.STANDARD,
        lines=built,
        by=by,
        order=order,
        terms_version=order.terms_version if order is not None else None,
        notes=fields.get("notes", ""),
        service_date=fields.get("service_date"),
    )


@transaction.atomic
def update_draft(
    *,
    invoice: Invoice,
    by: Actor,
    fields: dict[str, Any] | None = None,
    lines: list[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> Invoice:
    """Change a draft: ``fields`` (``notes``, ``service_date``) and/or replace every line
    (``lines``, as for :func:`create_draft`). An issued document is refused
    (:class:`Conflict`)."""
    now = aware_now(now)
    fields = _draft_values(only_fields(fields or {}, DRAFT_FIELDS))
    invoice = locked_invoice(invoice=invoice)
    require_draft(invoice=invoice)
    before, after = diff(instance=invoice, fields=fields)
    changed = list(after)
    for name in changed:
        setattr(invoice, name, fields[name])
    if lines is not None:
        built = build_lines(
            seller=invoice.seller,
            lines=lines,
            on=timezone.localdate(now),
            charges_vat=VatRegime(invoice.seller.vat_regime).charges_vat,
        )
        figures = priced_totals(
            lines=built,
            regime=regime_for(seller=invoice.seller, client=invoice.client, kind=invoice.kind),
        )
        old = [line_summary(line=line) for line in invoice.lines.all()]
        invoice.lines.all().delete()
        save_lines(invoice=invoice, lines=built)
        before["lines"], after["lines"] = old, [line_summary(line=line) for line in built]
        before["total_ttc"] = str(invoice.total_ttc)
        set_draft_totals(invoice=invoice, figures=figures)
        after["total_ttc"] = str(invoice.total_ttc)
        changed += ["total_ht", "total_vat", "total_ttc", "amount_due"]
    if not after:
        return invoice
    invoice.full_clean()
    invoice.save(update_fields=[*changed, "updated_at"])
    record_on(obj=invoice, actor=by, verb="invoice.updated", before=before, after=after)
    return invoice


@transaction.atomic
def delete_draft(*, invoice: Invoice, by: Actor) -> None:
    """Delete a draft (it never had a number, so the series keeps no gap)."""
    invoice = locked_invoice(invoice=invoice)
    require_draft(invoice=invoice)
    record_on(
        obj=invoice,
        actor=by,
        verb="invoice.draft_deleted",
        before={"kind": invoice.kind, "total_ttc": str(invoice.total_ttc)},
    )
    invoice.delete()
