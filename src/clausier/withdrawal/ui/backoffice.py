"""Staff screens of withdrawals: the list with their clocks (the period's end, the refund's
deadline, the days a refund is overdue, in red), a withdrawal's page with its reasons and
explanations and the refunds payments owes for it (marked sent in payments' refund screens,
which stops the clock), a request received by e-mail or post registered with its date, the
acknowledgement's PDF.

Thin: reads through ``withdrawal.selectors`` (and ``payments``' for the refunds), writes
through ``withdrawal.services``; a refusal is shown in the service's words."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.documents.responses import document_response
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import posted, submit
from clausier.withdrawal import presenters, selectors, services
from clausier.withdrawal.models import RefundStatus, WithdrawalStatus
from clausier.withdrawal.printing import render_acknowledgement
from clausier.withdrawal.ui.forms import RegisterForm

PER_PAGE = 50


def _filters(request: HttpRequest) -> selectors.WithdrawalFilters:
    status = request.GET.get("status", "")
    refund = request.GET.get("refund", "")
    return selectors.WithdrawalFilters(
        status=status if status in WithdrawalStatus.values else "",
        refund_status=refund if refund in RefundStatus.values else "",
        overdue_on=timezone.localdate() if request.GET.get("overdue") else None,
    )


@staff_view("orders.view")
def withdrawals(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = _filters(request)
    today = timezone.localdate()
    page = Paginator(selectors.withdrawal_list(seller=scope.seller, filters=filters), PER_PAGE)
    shown = page.get_page(request.GET.get("page"))
    rows = [(w, presenters.clocks(w, today=today)) for w in shown.object_list]
    return render_staff(
        request,
        scope,
        "withdrawal/backoffice/list.html",
        {
            "page": shown,
            "rows": rows,
            "filters": filters,
            "statuses": WithdrawalStatus.choices[1:],
            "refund_statuses": RefundStatus.choices,
            "today": today,
        },
    )


def _page(request, scope, withdrawal, *, status: int = 200) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "withdrawal/backoffice/detail.html",
        {
            "withdrawal": withdrawal,
            "clocks": presenters.clocks(withdrawal),
            "reasons": presenters.reasons(withdrawal),
            "refunds": selectors.refunds_of_withdrawal(withdrawal=withdrawal),
        },
        status=status,
    )


@staff_view("orders.view")
def withdrawal(request: HttpRequest, scope: StaffScope, withdrawal_id: int) -> HttpResponse:
    found = selectors.withdrawal_for_seller(seller=scope.seller, withdrawal_id=withdrawal_id)
    return _page(request, scope, found)


@staff_view("orders.edit")
def withdrawal_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    orders = list(selectors.withdrawable_orders_of_seller(seller=scope.seller))
    form = RegisterForm(posted(request), orders=orders)

    def write(data):
        order = next(o for o in orders if o.pk == data["order"])
        return services.register_withdrawal(
            seller=scope.seller,
            order=order,
            channel=data["channel"],
            received_on=data["received_on"],
            statement=data["statement"],
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect(
            "backoffice:withdrawal", slug=scope.seller.slug, withdrawal_id=done.result.pk
        )
    return render_staff(
        request, scope, "withdrawal/backoffice/new.html", {"form": form}, status=done.status
    )


@staff_view("orders.view")
def withdrawal_pdf(request: HttpRequest, scope: StaffScope, withdrawal_id: int) -> HttpResponse:
    found = selectors.withdrawal_for_seller(seller=scope.seller, withdrawal_id=withdrawal_id)
    pdf = render_acknowledgement(withdrawal=found)
    return document_response(pdf.content, filename=pdf.filename, sha256=pdf.sha256)
