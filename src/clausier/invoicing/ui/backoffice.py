"""Staff screens of invoices and credit notes: the ledger list (filters, totals, CSV export
for the accountant), the draft editor, the invoice page (the document as issued, its
fingerprints, payments, credit notes, downloads) and its actions. Thin: read through
``invoicing.selectors``, write through ``invoicing.services``; every refusal of a service is
shown in its own words, next to the field it names."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clausier.audit.selectors import events_for_object
from clausier.catalog import selectors as catalog_selectors
from clausier.catalog.domain import default_vat_rate
from clausier.customers import selectors as customer_selectors
from clausier.documents.responses import document_response
from clausier.invoicing import delivery, presenters, transitions
from clausier.invoicing import domain as invoicing_domain
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing import services as invoice_services
from clausier.invoicing.models import (
    DeliveryStatus,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    PaymentStatus,
)
from clausier.invoicing.presenters import issued_line
from clausier.invoicing.ui import downloads, forms
from clausier.kernel.errors import DomainError
from clausier.kernel.replica import for_reports
from clausier.orders import selectors as order_selectors
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.domain import display_number
from clausier.rules.money import VatRegime
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import add_service_errors, attempt, edit_document
from clausier.web.presenters import DocumentLine
from clausier.web.templatetags.clausier import percent

INVOICES_PER_PAGE = 25
# What the list leaves in the database: the frozen document and its calculations (kilobytes
# of JSON an invoice, read on its own page only).
LIST_DEFERRED = ("snapshot", "explanations", "prepayment", "email_to")
# What the waiting drafts show of each: its kind, client, total, order and reason.
WAITING_FIELDS = (
    "kind",
    "total_ttc",
    "issue_blocked_reason",
    "client__name",
    "order__reference",
)
WAITING_SHOWN = 10
CSV_CHUNK = 2000

DELIVERY_BADGES = {
    DeliveryStatus.NOT_SENT: "neutral",
    DeliveryStatus.QUEUED: "soon",
    DeliveryStatus.SENT: "paid",
    DeliveryStatus.FAILED: "late",
}
# Where a missing mention is completed, for the links under an issue refused.
MENTION_HOMES = {
    "client": gettext_lazy("Compléter la fiche du client"),
    "seller": gettext_lazy("Identité du vendeur à compléter (administration)"),
    "lines": gettext_lazy("Modifier les lignes du brouillon"),
}


def _invoice(scope: StaffScope, invoice_id: int) -> Invoice:
    """One of the seller's invoices or credit notes, with what its page shows of its order,
    quote and corrected invoice; another seller's is a 404."""
    return invoice_selectors.invoice_page_for_seller(seller=scope.seller, invoice_id=invoice_id)


def _links(invoice: Invoice) -> dict[str, object]:
    """The order's reference, the quote's number and the corrected invoice's number the page
    names (read with the invoice by ``invoice_page_for_seller``)."""
    return {
        "order": invoice.order_reference,  # type: ignore[attr-defined]
        "quote": display_number(
            number=invoice.quote_number,  # type: ignore[attr-defined]
            revision=invoice.quote_revision or 0,  # type: ignore[attr-defined]
        ),
        "corrected": invoice.corrected_number,  # type: ignore[attr-defined]
    }


def _to_invoice(scope: StaffScope, invoice: Invoice) -> HttpResponse:
    return redirect("backoffice:invoice", slug=scope.seller.slug, invoice_id=invoice.pk)


def _field_words(key: str) -> str:
    """A field a service names (``paid_on``, ``lines[0].quantity``) as the reader reads it:
    the invoice field's label, a line by its number."""
    line = re.fullmatch(r"lines\[(\d+)\](?:\.(\w+))?", key)
    if line is not None:
        return _("ligne %(n)s") % {"n": int(line.group(1)) + 1}
    try:
        return str(Invoice._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        return key.replace("_", " ")


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(
                f"{_field_words(key)} : {message}"
                for key, items in exc.message_dict.items()
                for message in items
                if key != NON_FIELD_ERRORS
            ) + "".join(f" {m}" for m in exc.message_dict.get(NON_FIELD_ERRORS, []))
        return " ".join(exc.messages)
    return str(exc)


def _missing(scope: StaffScope, invoice: Invoice, exc: DomainError) -> list[dict[str, str]]:
    """For an issue refused for missing mentions: each field the service named, and where
    to complete it."""
    found = []
    labels = getattr(exc, "labels", ())
    for index, field in enumerate(getattr(exc, "fields", ())):
        home = field.split(".", 1)[0].split("[", 1)[0]
        url = ""
        if home == "client":
            url = reverse(
                "backoffice:client_edit",
                kwargs={"slug": scope.seller.slug, "client_id": invoice.client_id},
            )
        elif home == "lines" and not invoice.is_issued:
            url = reverse(
                "backoffice:invoice_edit",
                kwargs={"slug": scope.seller.slug, "invoice_id": invoice.pk},
            )
        found.append(
            {
                "field": field,
                "label": labels[index] if index < len(labels) else field,
                "where": str(MENTION_HOMES.get(home, "")),
                "url": url,
            }
        )
    return found


# --- the list and its export -----------------------------------------------------------------


# The list's filters that match a field as given: the filter form's field, its lookup.
def _filtered(scope: StaffScope, values: dict, today, *, page: bool = False) -> QuerySet[Invoice]:
    """The list the form asks for: the API's filters object and selector, then the ledger's
    figures, its payment-state filter and its sort. For a ``page`` of the list the figures
    are not read with the rows (``invoice_selectors.read_balance`` gives them)."""
    filters = invoice_selectors.InvoiceFilters(
        search=values["q"],
        status=values["status"],
        kind=values["kind"],
        client_id=values["client"],
        issued_from=values["date_from"],
        issued_to=values["date_to"],
        overdue=True if values["overdue"] else None,
        today=today if values["overdue"] else None,
        revenue=values["revenue"],
    )
    balance = invoice_selectors.with_balance_aliases if page else invoice_selectors.with_balance
    rows = balance(invoice_selectors.invoice_list(scope=scope, filters=filters), today=today)
    if values["payment"] == forms.OWED:
        rows = rows.filter(pay_state__in=(invoicing_domain.TO_PAY, invoicing_domain.LATE))
    elif values["payment"]:
        rows = rows.filter(pay_state=values["payment"])
    return rows.order_by(*forms.InvoiceFilterForm.SORTS[values["sort"]])


def _filters(request: HttpRequest, scope: StaffScope) -> forms.InvoiceFilterForm:
    clients = customer_selectors.clients_for_scope(scope=scope).order_by("name", "id")
    return forms.InvoiceFilterForm(request.GET, clients=list(clients.values_list("pk", "name")))


@staff_view("invoices.view")
def invoices(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = _filters(request, scope)
    values = filters.values()
    today = timezone.localdate()
    rows = _filtered(scope, values, today, page=True)
    totals = invoice_selectors.ledger_totals(rows)
    paginator = Paginator(rows.defer(*LIST_DEFERRED), INVOICES_PER_PAGE)
    paginator.count = totals["documents"]  # counted with the totals, in the same query
    page = paginator.get_page(request.GET.get("page"))
    for invoice in page.object_list:
        invoice_selectors.read_balance(invoice, today=today)
        badge = presenters.payment_badge(invoice.pay_state) if invoice.pay_state else None
        invoice.pay_label, invoice.pay_badge = (badge.label, badge.variant) if badge else ("", "")
    waiting = list(
        invoice_selectors.drafts_waiting(seller=scope.seller).only(*WAITING_FIELDS)[
            : WAITING_SHOWN + 1
        ]
    )
    filtered = any(v for k, v in values.items() if k != "sort")
    return render_staff(
        request,
        scope,
        "invoicing/backoffice/list.html",
        {
            "filters": filters,
            "page": page,
            "totals": totals,
            "waiting": waiting[:WAITING_SHOWN],
            "more_waiting": len(waiting) > WAITING_SHOWN,
            "filtered": filtered,
            "export_query": request.GET.urlencode(),
            "today": today,
            **values,
        },
    )


class _Echo:
    """A file-like object whose ``write`` hands the line back: ``csv.writer`` into a stream."""

    def write(self, value: str) -> str:
        return value


def _fr_decimal(value: Decimal | None) -> str:
    """1234.5 -> "1234,50": a number Excel in French reads as a number (no thousands
    separator, decimal comma)."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.01')):f}".replace(".", ",")


def _fr_date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


CSV_HEADER = [
    gettext_lazy("Numéro"),
    gettext_lazy("Type"),
    gettext_lazy("Date de facture"),
    gettext_lazy("Échéance"),
    gettext_lazy("Client"),
    gettext_lazy("SIREN"),
    gettext_lazy("Total HT"),
    gettext_lazy("TVA"),
    gettext_lazy("Total TTC"),
    gettext_lazy("Payé"),
    gettext_lazy("Reste dû"),
    gettext_lazy("État"),
]


def _csv_rows(rows: QuerySet[Invoice]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    kinds = dict(InvoiceKind.choices)
    states = dict(PaymentStatus.choices)
    # The BOM tells Excel the file is UTF-8 (accents in names); ";" is its French separator.
    yield "\ufeff" + writer.writerow([str(h) for h in CSV_HEADER])
    fields = (
        "number",
        "kind",
        "status",
        "issue_date",
        "due_date",
        "client_label",
        "client_siren",
        "signed_ht",
        "signed_vat",
        "signed_ttc",
        "amount_paid",
        "outstanding",
        "pay_state",
    )
    for row in rows.values_list(*fields).iterator(chunk_size=CSV_CHUNK):
        data = dict(zip(fields, row, strict=True))
        if data["status"] == InvoiceStatus.DRAFT:
            state = str(InvoiceStatus.DRAFT.label)
        elif data["pay_state"]:
            state = str(states[data["pay_state"]])
        else:
            state = str(InvoiceStatus.ISSUED.label)
        yield writer.writerow(
            [
                data["number"] or "",
                str(kinds.get(data["kind"], data["kind"])),
                _fr_date(data["issue_date"]),
                _fr_date(data["due_date"]),
                data["client_label"] or "",
                data["client_siren"] or "",
                _fr_decimal(data["signed_ht"]),
                _fr_decimal(data["signed_vat"]),
                _fr_decimal(data["signed_ttc"]),
                _fr_decimal(data["amount_paid"] if data["kind"] != InvoiceKind.CREDIT_NOTE else 0),
                _fr_decimal(data["outstanding"]),
                state,
            ]
        )


@staff_view("invoices.view")
def invoices_csv(request: HttpRequest, scope: StaffScope) -> StreamingHttpResponse:
    """The filtered list, every row (no pagination), streamed: an accountant's year of
    invoices never sits in memory."""
    values = _filters(request, scope).values()
    today = timezone.localdate()
    # An export: read from the replica when there is one (read as the response streams).
    rows = for_reports(_filtered(scope, values, today))
    response = StreamingHttpResponse(_csv_rows(rows), content_type="text/csv; charset=utf-8")
    name = f"factures-{scope.seller.slug}-{today:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- the draft editor --------------------------------------------------------------------------


def _editor_context(scope: StaffScope, editor: forms.InvoiceEditor, invoice) -> dict:
    products = catalog_selectors.products_for_seller(seller=scope.seller).values_list(
        "code", "name"
    )
    return {
        "editor": editor,
        "form": editor.head,
        "invoice": invoice,
        "charges_vat": VatRegime(scope.seller.vat_regime).charges_vat,
        "products": list(products),
    }


def _render_editor(request, scope, invoice, editor, *, status: int = 200) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "invoicing/backoffice/form.html",
        _editor_context(scope, editor, invoice),
        status=status,
    )


def _default_vat(scope: StaffScope) -> Decimal:
    return default_vat_rate(scope.seller.vat_regime)


def _saved_editor(scope: StaffScope, invoice: Invoice) -> forms.InvoiceEditor:
    """The editor of a saved draft, as stored."""
    return forms.InvoiceEditor(
        initial={"notes": invoice.notes, "service_date": invoice.service_date},
        lines=[forms.line_initial(line) for line in invoice.lines.all()],
        default_vat=_default_vat(scope),
    )


def _issue_after_save(
    request: HttpRequest, scope: StaffScope, invoice: Invoice
) -> HttpResponse | None:
    """ "Enregistrer et émettre": issue the saved draft; None when refused (the editor shows
    why, the draft stays saved)."""
    try:
        issued = invoice_services.issue_invoice(
            invoice=invoice, by=request.user, confirm_zero="confirm_zero" in request.POST
        )
    except DomainError as exc:
        editor = _saved_editor(scope, invoice)
        editor.issue_error = str(exc)
        editor.zero_total = isinstance(exc, invoice_services.ZeroTotal)
        editor.missing = _missing(scope, invoice, exc)
        return _render_editor(request, scope, invoice, editor, status=400)
    messages.success(
        request,
        _("Facture %(number)s émise : elle est numérotée, figée et ne se modifie plus.")
        % {"number": issued.number},
    )
    return _to_invoice(scope, issued)


def _saved(request: HttpRequest, scope: StaffScope, invoice: Invoice, message) -> HttpResponse:
    """A draft saved: issued at once with "Enregistrer et émettre", else ``message``."""
    if "issue" in request.POST:
        return _issue_after_save(request, scope, invoice)
    messages.success(request, message)
    return _to_invoice(scope, invoice)


@staff_view("invoices.edit")
def invoice_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    clients = customer_selectors.clients_for_scope(scope=scope).order_by("name", "id")
    initial = {"client": request.GET["client"]} if request.GET.get("client") else {}
    return edit_document(
        request,
        forms.InvoiceEditor,
        blank=lambda: forms.InvoiceEditor(
            clients=clients, initial=initial, default_vat=_default_vat(scope)
        ),
        write=lambda editor: invoice_services.create_draft(
            seller=scope.seller,
            client=editor.head.cleaned_data["client"],
            lines=editor.lines(),
            fields=editor.notes(),
            by=request.user,
        ),
        done=lambda invoice: _saved(
            request,
            scope,
            invoice,
            _("Brouillon de facture créé pour %(client)s : relisez-le, puis émettez-le.")
            % {"client": invoice.client.name},
        ),
        render=partial(_render_editor, request, scope, None),
        clients=clients,
        default_vat=_default_vat(scope),
    )


@staff_view("invoices.edit")
def invoice_edit(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = _invoice(scope, invoice_id)
    if invoice.is_issued:
        messages.error(
            request,
            _("%(invoice)s est émise : elle ne se modifie plus, corrigez-la par un avoir.")
            % {"invoice": invoice},
        )
        return _to_invoice(scope, invoice)
    return edit_document(
        request,
        forms.InvoiceEditor,
        blank=lambda: _saved_editor(scope, invoice),
        write=lambda editor: invoice_services.update_draft(
            invoice=invoice, fields=editor.notes(), lines=editor.lines(), by=request.user
        ),
        done=lambda saved: _saved(request, scope, saved, _("Brouillon enregistré.")),
        render=partial(_render_editor, request, scope, invoice),
        default_vat=_default_vat(scope),
    )


@staff_action("invoices.edit")
def invoice_delete(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = _invoice(scope, invoice_id)
    if attempt(
        request,
        lambda: invoice_services.delete_draft(invoice=invoice, by=request.user),
        _("Brouillon supprimé."),
    ).ok:
        return redirect("backoffice:invoices", slug=scope.seller.slug)
    return _to_invoice(scope, invoice)


# --- the invoice page --------------------------------------------------------------------------


def _document_lines(document) -> list[DocumentLine]:
    # The document prints rates in percent; ``percent`` takes fractions.
    return [
        issued_line(
            line,
            vat=percent(line.vat_rate / 100) if line.vat_category == "S" else "",
            vat_category="" if line.vat_category == "S" else line.vat_category,
        )
        for line in document.lines
    ]


def _invoice_page(
    request: HttpRequest,
    scope: StaffScope,
    invoice: Invoice,
    *,
    status: int = 200,
    issue_error: str = "",
    missing: list | None = None,
    zero_total: bool = False,
    **forms_given,
) -> HttpResponse:
    today = timezone.localdate()
    document = invoice.document
    if document is not None:
        document = presenters.for_reader(document)
    context: dict = {
        "invoice": invoice,
        "document": document,
        "today": today,
        "issue_error": issue_error,
        "zero_total": zero_total,
        "missing": missing or [],
        "open_form": forms_given.get("open_form", ""),
        "events": events_for_object(obj=invoice)[:30] if scope.can("audit.view") else [],
        "delivery_badge": DELIVERY_BADGES.get(invoice.email_status, "neutral"),
        "links": _links(invoice)
        | {"quote_hidden": quote_selectors.hidden_from(scope=scope, quote_id=invoice.quote_id)},
    }
    if document is None:
        context |= {
            "draft_lines": [
                DocumentLine(
                    description=line.description,
                    quantity=line.quantity,
                    unit=line.unit_label or line.get_unit_display(),
                    unit_price=line.unit_price,
                    amount=line.amount_ht,
                    code=line.product_code,
                    vat=percent(line.vat_rate),
                )
                for line in invoice.lines.all()
            ],
            "charges_vat": VatRegime(scope.seller.vat_regime).charges_vat,
        }
        return render_staff(
            request, scope, "invoicing/backoffice/detail.html", context, status=status
        )
    pay_state = "" if invoice.is_credit_note else invoice.payment_status(today=today)
    badge = presenters.payment_badge(pay_state) if pay_state else None
    outstanding = max(invoice.unpaid, Decimal("0"))
    credit_notes = (
        list(invoice_selectors.credit_notes_of(invoice=invoice))
        if not invoice.is_credit_note
        else []
    )
    remaining = invoice_selectors.creditable(invoice=invoice, credit_notes=credit_notes)
    actions = transitions.allowed_actions(
        invoice, today=today, creditable_ttc=remaining.ttc if remaining is not None else None
    )
    context |= {
        "lines": _document_lines(document),
        "explanations": invoice.explanations or {},
        "pay_state": pay_state,
        "pay_label": badge.label if badge else "",
        "pay_badge": badge.variant if badge else "",
        "outstanding": outstanding if not invoice.is_credit_note else Decimal("0"),
        "remaining": remaining,
        "can_credit": transitions.CREDIT in actions,
        "credit_notes": credit_notes,
        "credit_form": forms_given.get("credit_form") or forms.CreditNoteForm(lines=document.lines),
        "payment_form": forms_given.get("payment_form")
        or forms.PaymentForm(outstanding=outstanding or None),
        "resend_form": forms_given.get("resend_form") or forms.ResendForm(),
        "next_attempt": invoice.email_next_attempt_at
        if invoice.email_status == DeliveryStatus.QUEUED
        else None,
        "can_pay": transitions.RECORD_PAYMENT in actions,
        "translated": not presenters.reads_french(),
    }
    return render_staff(request, scope, "invoicing/backoffice/detail.html", context, status=status)


@staff_view("invoices.view")
def invoice(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = _invoice(scope, invoice_id)
    return _invoice_page(request, scope, invoice)


# --- actions ------------------------------------------------------------------------------------


@staff_action("invoices.edit")
def invoice_issue(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = _invoice(scope, invoice_id)
    try:
        issued = invoice_services.issue_invoice(
            invoice=invoice, by=request.user, confirm_zero="confirm_zero" in request.POST
        )
    except (ValidationError, DomainError) as exc:
        return _invoice_page(
            request,
            scope,
            invoice,
            issue_error=_error_text(exc),
            zero_total=isinstance(exc, invoice_services.ZeroTotal),
            missing=_missing(scope, invoice, exc) if isinstance(exc, DomainError) else [],
            status=409,
        )
    label = _("Avoir") if issued.is_credit_note else _("Facture")
    messages.success(
        request,
        _("%(label)s %(number)s émise : elle est numérotée, figée et ne se modifie plus.")
        % {"label": label, "number": issued.number},
    )
    return _to_invoice(scope, issued)


@staff_action("invoices.edit")
def invoice_credit_note(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    invoice = _invoice(scope, invoice_id)
    document = invoice.document
    form = forms.CreditNoteForm(request.POST, lines=document.lines if document else ())
    if form.is_valid():
        try:
            note = invoice_services.issue_credit_note(
                invoice=invoice,
                reason=form.cleaned_data["reason"],
                lines=form.lines(),
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:  # more than what remains, an invoice not issued...
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Avoir %(number)s émis sur la facture %(invoice)s (%(amount)s TTC).")
                % {
                    "number": note.number,
                    "invoice": invoice.number,
                    "amount": f"{note.total_ttc:.2f}".replace(".", ","),
                },
            )
            return _to_invoice(scope, note)
    return _invoice_page(request, scope, invoice, credit_form=form, open_form="credit", status=400)


@staff_action("invoices.send")
def invoice_resend(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    """ "Renvoyer": the same stored PDF emailed again, to the billing contacts or to the
    addresses typed."""
    invoice = _invoice(scope, invoice_id)
    form = forms.ResendForm(request.POST)
    if form.is_valid():
        try:
            invoice = invoice_services.resend_invoice(
                invoice=invoice, to=form.cleaned_data["to"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:  # a draft, an attempt in flight
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(number)s part à nouveau par e-mail à %(to)s.")
                % {"number": invoice.number, "to": ", ".join(invoice.email_to)},
            )
            return _to_invoice(scope, invoice)
    return _invoice_page(request, scope, invoice, resend_form=form, open_form="resend", status=400)


def _issued(scope: StaffScope, invoice_id: int) -> Invoice:
    invoice = _invoice(scope, invoice_id)
    if not invoice.is_issued:
        raise Http404  # a draft has no document yet
    return invoice


def _download(invoice: Invoice, extension: str, content: bytes, sha256: str) -> HttpResponse:
    """The issued ``invoice``'s stored file (``pdf``, ``xml``) as a download, with its hash."""
    return document_response(
        content,
        filename=f"{invoice.number}.{extension}",
        content_type=f"application/{extension}",
        sha256=sha256,
    )


@staff_view("invoices.view")
def invoice_pdf(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    """The Factur-X PDF as stored (printed once, on first need): the client's very file; a
    reader of another language gets a courtesy translation in it (``?original=1``: the
    stored French PDF)."""
    language = downloads.wants_translation(request)
    if language:
        return downloads.translated_download(_issued(scope, invoice_id), language)
    invoice = delivery.ensure_pdf(_issued(scope, invoice_id))
    with invoice.pdf.open("rb") as stored:
        return _download(invoice, "pdf", stored.read(), invoice.pdf_sha256)


@staff_view("invoices.view")
def invoice_xml(request: HttpRequest, scope: StaffScope, invoice_id: int) -> HttpResponse:
    """The EN 16931 XML stored at issue, byte for byte the one embedded in the PDF."""
    invoice = _issued(scope, invoice_id)
    content = delivery.xml_bytes(invoice)
    invoice.refresh_from_db(fields=["xml_sha256"])
    return _download(invoice, "xml", content, invoice.xml_sha256)


# --- from the order page ----------------------------------------------------------------------


@staff_action("invoices.edit")
def order_final_invoice(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    """ "Facture de solde": the balance invoice of an order, its deposits deducted. Left as a
    draft to check (and issued from its page), or issued at once with ``issue=1``."""
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    issue = request.POST.get("issue") == "1"
    try:
        invoice = invoice_services.final_invoice(order=order, by=request.user, issue=issue)
    except (ValidationError, DomainError) as exc:
        messages.error(
            request,
            _("Pas de facture de solde pour %(order)s : %(why)s")
            % {"order": order.reference, "why": _error_text(exc)},
        )
        return redirect("backoffice:order", slug=scope.seller.slug, order_id=order.pk)
    if invoice.is_issued:
        messages.success(
            request,
            _("Facture de solde %(number)s émise, acomptes déduits.") % {"number": invoice.number},
        )
    else:
        messages.success(
            request,
            _("Brouillon de facture de solde préparé : vérifiez-le, puis émettez-le."),
        )
    return _to_invoice(scope, invoice)
