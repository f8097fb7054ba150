"""Staff screens of bank statements: the list, a statement uploaded (imported at once, or in
the background with a progress page polled by HTMX), a statement's page with its lines and
the reasons of their matching, the reconciliation of a line to review (matched to one or
several invoices, kept as a client's credit, ignored), and the CSV column mapping of each bank.

Thin: reads through ``payments.statement_selectors``, writes through
``payments.services.statements``; a refusal is shown in the service's words next to its field.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import ClientFilters
from clausier.invoicing import selectors as invoice_selectors
from clausier.payments import statement_selectors as selectors
from clausier.payments import statement_transitions as st
from clausier.payments.services import statements as services
from clausier.payments.ui import statement_forms as forms
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit

PER_PAGE = 50
LINES_PER_PAGE = 200
POLL_SECONDS = 2
T = "payments/backoffice/statements/"


def _banks(scope: StaffScope) -> list[str]:
    return [m.bank for m in selectors.mappings(seller=scope.seller)]


@staff_view("invoices.view")
def statements(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    page = Paginator(selectors.statement_list(seller=scope.seller), PER_PAGE)
    return render_staff(
        request,
        scope,
        T + "list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "to_review": selectors.lines_to_review(seller=scope.seller).count(),
        },
    )


@staff_view("invoices.edit")
def statement_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        banks=_banks(scope),
    )

    def write(data):
        file = data["file"]
        return services.start_statement_import(
            seller=scope.seller,
            data=services.uploaded_bytes(file=file),
            filename=file.name,
            format=data["format"],
            mapping=services.saved_mapping(
                seller=scope.seller, format=data["format"], bank=data["mapping"]
            ),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:statement", slug=scope.seller.slug, statement_id=done.result.pk)
    return render_staff(request, scope, T + "new.html", {"form": form}, status=done.status)


def _statement_context(scope: StaffScope, statement) -> dict:
    return {"statement": statement, "poll": POLL_SECONDS}


@staff_view("invoices.view")
def statement(request: HttpRequest, scope: StaffScope, statement_id: int) -> HttpResponse:
    found = selectors.statement_for_seller(seller=scope.seller, statement_id=statement_id)
    lines = Paginator(selectors.lines_of_statement(statement=found), LINES_PER_PAGE)
    context = _statement_context(scope, found)
    context["page"] = lines.get_page(request.GET.get("page"))
    return render_staff(request, scope, T + "detail.html", context)


@staff_view("invoices.view")
def statement_progress(request: HttpRequest, scope: StaffScope, statement_id: int) -> HttpResponse:
    """The progress of an import (polled by the statement's page), then its summary."""
    found = selectors.statement_for_seller(seller=scope.seller, statement_id=statement_id)
    return render_staff(request, scope, T + "_progress.html", _statement_context(scope, found))


# --- reconciliation ------------------------------------------------------------------------------


def _line_page(request, scope, line, *, status: int = 200, **shown) -> HttpResponse:
    invoices = [
        i
        for i in invoice_selectors.invoices_for_seller(seller=scope.seller)
        .filter(status="issued", kind__in=("standard", "deposit", "final", "penalty"))
        .select_related("client")[:300]
        if i.unpaid > 0
    ]
    clients = list(client_selectors.client_list(scope=scope, filters=ClientFilters())[:500])
    context = {
        "line": line,
        "actions": st.line_actions(line),
        "match_form": shown.get("match_form") or forms.MatchForm(prefix="match", invoices=invoices),
        "credit_form": shown.get("credit_form")
        or forms.CreditForm(prefix="credit", clients=clients),
        "ignore_form": shown.get("ignore_form") or forms.IgnoreForm(prefix="ignore"),
        "invoices": invoices,
        "clients": clients,
    }
    return render_staff(request, scope, T + "line.html", context, status=status)


def _to_next(scope: StaffScope, line) -> HttpResponse:
    following = selectors.lines_to_review(seller=scope.seller).first()
    if following is not None:
        return redirect("backoffice:statement_line", slug=scope.seller.slug, line_id=following.pk)
    return redirect("backoffice:statement", slug=scope.seller.slug, statement_id=line.statement_id)


@staff_view("invoices.view")
def statement_line(request: HttpRequest, scope: StaffScope, line_id: int) -> HttpResponse:
    found = selectors.line_for_seller(seller=scope.seller, line_id=line_id)
    return _line_page(request, scope, found)


@staff_view("invoices.view")
def statement_review(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The lines waiting for review, oldest first."""
    page = Paginator(selectors.lines_to_review(seller=scope.seller), PER_PAGE)
    return render_staff(
        request, scope, T + "review.html", {"page": page.get_page(request.GET.get("page"))}
    )


@staff_action("invoices.edit")
def statement_line_match(request: HttpRequest, scope: StaffScope, line_id: int) -> HttpResponse:
    line = selectors.line_for_seller(seller=scope.seller, line_id=line_id)
    invoices = invoice_selectors.invoices_for_seller(seller=scope.seller).select_related("client")
    form = forms.MatchForm(request.POST, prefix="match", invoices=invoices)

    def write(_data):
        pairs = [
            (invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=i), amount)
            for i, amount in form.rows()
        ]
        return services.match_line(line=line, allocations=pairs, by=request.user)

    done = submit(form, write)
    if not done.ok:
        return _line_page(request, scope, line, status=done.status, match_form=form)
    messages.success(request, _("Ligne rapprochée : le virement est enregistré."))
    return _to_next(scope, line)


@staff_action("invoices.edit")
def statement_line_credit(request: HttpRequest, scope: StaffScope, line_id: int) -> HttpResponse:
    line = selectors.line_for_seller(seller=scope.seller, line_id=line_id)
    clients = client_selectors.client_list(scope=scope, filters=ClientFilters())
    form = forms.CreditForm(request.POST, prefix="credit", clients=clients)
    done = submit(
        form,
        lambda data: services.credit_line(
            line=line,
            client=client_selectors.client_for_scope(scope=scope, client_id=int(data["client"])),
            by=request.user,
        ),
    )
    if not done.ok:
        return _line_page(request, scope, line, status=done.status, credit_form=form)
    messages.success(request, _("Virement enregistré au crédit du client."))
    return _to_next(scope, line)


@staff_action("invoices.edit")
def statement_line_ignore(request: HttpRequest, scope: StaffScope, line_id: int) -> HttpResponse:
    line = selectors.line_for_seller(seller=scope.seller, line_id=line_id)
    form = forms.IgnoreForm(request.POST, prefix="ignore")
    done = submit(
        form, lambda data: services.ignore_line(line=line, reason=data["reason"], by=request.user)
    )
    if not done.ok:
        return _line_page(request, scope, line, status=done.status, ignore_form=form)
    messages.success(request, _("Ligne ignorée."))
    return _to_next(scope, line)


# --- CSV mappings --------------------------------------------------------------------------------


@staff_view("invoices.view")
def statement_mappings(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return render_staff(
        request, scope, T + "mappings.html", {"mappings": selectors.mappings(seller=scope.seller)}
    )


def _mapping_form(request, scope, saved=None) -> HttpResponse:
    bound = request.method == "POST"
    initial = forms.MappingForm.initial_of(saved) if saved else None
    form = forms.MappingForm(request.POST if bound else None, initial=initial)
    done = submit(
        form,
        lambda data: services.save_csv_mapping(
            seller=scope.seller,
            bank=data["bank"],
            mapping=form.mapping(),
            instance=saved,
            by=request.user,
        ),
    )
    if done.ok:
        messages.success(request, _("Correspondance enregistrée."))
        return redirect("backoffice:statement_mappings", slug=scope.seller.slug)
    return render_staff(
        request, scope, T + "mapping.html", {"form": form, "saved": saved}, status=done.status
    )


@staff_view("invoices.edit")
def statement_mapping_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return _mapping_form(request, scope)


@staff_view("invoices.edit")
def statement_mapping(request: HttpRequest, scope: StaffScope, mapping_id: int) -> HttpResponse:
    saved = selectors.mapping_for_seller(seller=scope.seller, mapping_id=mapping_id)
    return _mapping_form(request, scope, saved)
