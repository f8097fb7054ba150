"""The token's seller's invoices and credit notes: drafts, issue, corrections, payments.

A draft (no number) is created, edited (``PATCH``, lines replaced as a whole) and deleted
freely. Issuing it checks every mandatory mention (a 409 naming each missing one,
``seller.siren``...), takes the next number of the seller's series, freezes the whole
document (``document`` in the answer) and chains its SHA-256 to the previous one. An issued
document never changes: editing or deleting it is a 409, and a correction is a credit note
(``POST /invoices/{id}/credit-notes``), itself an invoice of kind ``credit_note`` in these
same routes, which never credits more than what remains (409). Payments received are
recorded on issued invoices; they change the payment status, never the document.

Downloads of an issued document: its PDF (``/pdf``, a Factur-X PDF/A-3 printed once from the
frozen document and stored, so every download is the same file) and its Factur-X XML
(``/xml``, EN 16931 CII, validated at issue, the very XML embedded in the PDF). A draft has
neither (409).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from clausier.customers.selectors import client_named
from clausier.invoicing import delivery, selectors, services
from clausier.invoicing.models import Invoice
from clausier.invoicing.schemas import (
    CreditLineIn,
    CreditNoteIn,
    InvoiceDetailOut,
    InvoiceIn,
    InvoiceKindName,
    InvoiceLineIn,
    InvoicePage,
    InvoicePatch,
    InvoiceStatusName,
)
from clausier.orders.selectors import order_for_seller
from clausier.sellers.access import api_scope
from clausier.web.api import (
    Day,
    Paging,
    binary,
    download,
    responses,
    today_in_paris,
    token_of,
)

router = Router(tags=["invoices"])

# What a credit line naming an invoice line (``line``) takes from it.
FROM_INVOICE_LINE = ("unit", "unit_label", "unit_price", "vat_rate", "discount", "goods")


def _invoice(request, invoice_id: int) -> Invoice:
    return selectors.invoice_for_seller(seller=token_of(request).seller, invoice_id=invoice_id)


def _detail(request, invoice_id: int) -> Invoice:
    invoice = _invoice(request, invoice_id)
    invoice.credit_note_ids = selectors.credit_note_ids(invoice=invoice)
    invoice.creditable = selectors.creditable(invoice=invoice)
    return invoice


def _lines(lines: list[InvoiceLineIn]) -> list[dict[str, Any]]:
    return [line.model_dump(exclude_unset=True) for line in lines]


def _credit_lines(invoice: Invoice, lines: list[CreditLineIn]) -> list[dict[str, Any]]:
    """Free lines for ``issue_credit_note``: a line naming one of the invoice's (``line``)
    takes its unit, price, VAT rate and description; the others pass as they are."""
    own = selectors.invoice_lines(invoice=invoice)
    errors: dict[str, str] = {}
    built: list[dict[str, Any]] = []
    for i, item in enumerate(lines):
        values = item.model_dump(exclude_unset=True)
        position = values.pop("line", None)
        if position is None:
            built.append(values)
            continue
        for name in sorted(set(values) & set(FROM_INVOICE_LINE)):
            errors[f"lines[{i}].{name}"] = (
                "a line naming an invoice line (line) is credited at that line's unit, price "
                "and VAT rate"
            )
        if not 0 <= position < len(own):
            errors[f"lines[{i}].line"] = f"the invoice has lines 0 to {len(own) - 1}"
            continue
        source = own[position]
        if values["quantity"] > source.quantity:
            errors[f"lines[{i}].quantity"] = (
                f"at most the quantity of invoice line {position} ({source.quantity.normalize()})"
            )
        built.append(
            {
                "description": values.get("description") or source.description,
                "quantity": values["quantity"],
                "unit": source.unit,
                "unit_label": source.unit_label,
                "unit_price": source.unit_price,
                "vat_rate": source.vat_rate,
                "discount": source.discount,
                "goods": source.is_goods,
            }
        )
    if errors:
        raise ValidationError(errors)
    return built


# --- routes ---------------------------------------------------------------------------------


@router.get(
    "",
    response=responses({200: InvoicePage}, 422),
    summary="List invoices and credit notes (paginated), latest first",
    description="`issued_from` / `issued_to`: issue dates, both days included (drafts have "
    "none). `overdue=true`: issued documents past their due date and not paid (status "
    "`late` today, Paris time); `overdue=false`: the others.",
)
def list_invoices(
    request,
    paging: Query[Paging],
    status: InvoiceStatusName | None = None,
    kind: InvoiceKindName | None = None,
    client_id: int | None = None,
    issued_from: Day | None = None,
    issued_to: Day | None = None,
    overdue: bool | None = None,
):
    filters = selectors.InvoiceFilters(
        status=status or "",
        kind=kind or "",
        client_id=client_id,
        issued_from=issued_from,
        issued_to=issued_to,
        overdue=overdue,
        today=today_in_paris() if overdue is not None else None,
    )
    invoices = selectors.invoice_list(scope=api_scope(request), filters=filters)
    return paging.page(invoices)


@router.post(
    "",
    response=responses({201: InvoiceDetailOut}, 400, 422),
    summary="Create a draft invoice with its lines (no number until it is issued)",
    description="A `client_id` (or `order_id`) that is not one of the seller's is a 422 on "
    "that field; an invalid line names its field as `lines[0].quantity` (an unknown "
    "`product_code`, a catalog offer without a price in force, a free line without its VAT "
    "rate from a seller that charges VAT...). Nothing is written then.",
)
def create_invoice(request, payload: InvoiceIn):
    token = token_of(request)
    client = client_named(scope=api_scope(request), client_id=payload.client_id)
    order = None
    if payload.order_id is not None:
        try:
            order = order_for_seller(seller=token.seller, order_id=payload.order_id)
        except Http404:
            raise ValidationError({"order_id": "unknown order"}) from None
        if order.client_id != client.pk:
            raise ValidationError({"order_id": "this order is not the client's"})
    invoice = services.create_draft(
        seller=token.seller,
        client=client,
        lines=_lines(payload.lines),
        fields={"notes": payload.notes, "service_date": payload.service_date},
        order=order,
        by=token,
    )
    return Status(201, _detail(request, invoice.pk))


@router.get(
    "/{invoice_id}",
    response=responses({200: InvoiceDetailOut}, 404),
    summary="An invoice or credit note: a draft's live lines, or the issued document",
)
def get_invoice(request, invoice_id: int):
    return _detail(request, invoice_id)


@router.patch(
    "/{invoice_id}",
    response=responses({200: InvoiceDetailOut}, 400, 404, 409, 422),
    summary="Edit a draft: its notes and service date, and all its lines when `lines` is sent",
    description="An issued invoice or credit note never changes (409): correct it with a "
    "credit note.",
)
def update_invoice(request, invoice_id: int, payload: InvoicePatch):
    services.update_draft(
        invoice=_invoice(request, invoice_id),
        fields=payload.model_dump(exclude_unset=True, exclude={"lines"}),
        lines=_lines(payload.lines) if payload.lines is not None else None,
        by=token_of(request),
    )
    return _detail(request, invoice_id)


@router.delete(
    "/{invoice_id}",
    response=responses({204: None}, 404, 409),
    summary="Delete a draft (it has no number: the series keeps no gap)",
    description="An issued invoice or credit note is never deleted (409).",
)
def delete_invoice(request, invoice_id: int):
    services.delete_draft(invoice=_invoice(request, invoice_id), by=token_of(request))
    return Status(204, None)


@router.post(
    "/{invoice_id}/issue",
    response=responses({200: InvoiceDetailOut}, 404, 409, incomplete=True),
    summary="Issue a draft: number it, freeze it, chain its hash",
    description="Dated today (Paris). Refused (409, nothing written, no number taken) when "
    "a mandatory mention is missing (`detail` names each in words, « SIREN du vendeur », "
    "and `missing` lists their codes: `seller.siren`, `client.siren`...), "
    "when the document cannot be computed (a legal rate not yet published for the "
    "semester), or when it is no longer a draft. An invoice of 0,00 € is refused (409) unless "
    "the request confirms it with `?confirm_zero=true`.",
)
def issue_invoice(request, invoice_id: int, confirm_zero: bool = False):
    services.issue_invoice(
        invoice=_invoice(request, invoice_id), by=token_of(request), confirm_zero=confirm_zero
    )
    return _detail(request, invoice_id)


@router.post(
    "/{invoice_id}/credit-notes",
    response=responses({201: InvoiceDetailOut}, 400, 404, 409, 422),
    summary="Correct an issued invoice: issue a credit note (full, or some lines)",
    description="`reason` is required. Without `lines` the credit note cancels what remains "
    "of the invoice; `lines` credits quantities of the invoice's lines (`line`: its "
    "position) or free lines. More than what remains creditable, in total or at a VAT rate, "
    "is a 409 saying what remains; so is a draft or a credit note. The answer is the credit "
    "note (kind `credit_note`, `corrects_id` the invoice), issued at once.",
)
def create_credit_note(request, invoice_id: int, payload: CreditNoteIn):
    invoice = _invoice(request, invoice_id)
    # An issued invoice's lines never change; a draft's are refused by the service (409).
    lines = _credit_lines(invoice, payload.lines) if payload.lines is not None else None
    note = services.issue_credit_note(
        invoice=invoice, reason=payload.reason, lines=lines, by=token_of(request)
    )
    return Status(201, _detail(request, note.pk))


@router.get(
    "/{invoice_id}/pdf",
    response=responses({200: None}, 404, 409),
    summary="The PDF of an issued document (Factur-X PDF/A-3, its XML embedded)",
    description="Printed once from the frozen document and stored: every download is the "
    "same file (`ETag`: its SHA-256, `pdf_sha256` in the invoice). A draft has no PDF (409).",
    openapi_extra=binary("application/pdf", "The invoice or credit note as PDF"),
)
def invoice_pdf(request, invoice_id: int):
    invoice = delivery.ensure_pdf(_invoice(request, invoice_id))
    with invoice.pdf.open("rb") as stored:
        content = stored.read()
    return download(
        content, etag=True, content_type="application/pdf", filename=f"{invoice.number}.pdf"
    )


@router.get(
    "/{invoice_id}/xml",
    response=responses({200: None}, 404, 409),
    summary="The Factur-X XML of an issued document (EN 16931, CII)",
    description="The XML validated and stored at issue, byte for byte the one embedded in "
    "the PDF (`xml_sha256` in the invoice). A draft has none (409).",
    openapi_extra=binary("application/xml", "The Factur-X XML (EN16931 profile)"),
)
def invoice_xml(request, invoice_id: int):
    invoice = _invoice(request, invoice_id)
    content = delivery.xml_bytes(invoice)
    return download(
        content, etag=True, content_type="application/xml", filename=f"{invoice.number}.xml"
    )
