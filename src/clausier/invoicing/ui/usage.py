"""Staff screens of the usage billing runs: the runs (one per month, of the seller or of
every seller) and a run's page (its progress, polled by HTMX while it runs, and each
subscription's outcome, errors first). Thin: reads through ``invoicing.selectors``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse

from clausier.invoicing import selectors
from clausier.invoicing.models import UsageBillingRun, UsageRunStatus
from clausier.sellers.access import render_staff, staff_view
from clausier.sellers.selectors import StaffScope

T = "invoicing/backoffice/usage/"
PER_PAGE = 50
OUTCOMES_PER_PAGE = 100
POLL_SECONDS = 2


@staff_view("invoices.view")
def usage_runs(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    page = Paginator(
        selectors.usage_runs_for_seller(seller=scope.seller).select_related("seller"), PER_PAGE
    )
    return render_staff(
        request, scope, T + "list.html", {"page": page.get_page(request.GET.get("page"))}
    )


def _progress(scope: StaffScope, run: UsageBillingRun) -> dict:
    return {
        "run": run,
        "running": run.status == UsageRunStatus.RUNNING,
        "counts": selectors.usage_run_summary(run=run, seller=scope.seller),
        "poll": POLL_SECONDS,
    }


@staff_view("invoices.view")
def usage_run(request: HttpRequest, scope: StaffScope, run_id: int) -> HttpResponse:
    found = selectors.usage_run_for_seller(seller=scope.seller, run_id=run_id)
    outcomes = Paginator(
        selectors.usage_run_outcomes(run=found, seller=scope.seller), OUTCOMES_PER_PAGE
    )
    context = _progress(scope, found) | {"page": outcomes.get_page(request.GET.get("page"))}
    return render_staff(request, scope, T + "detail.html", context)


@staff_view("invoices.view")
def usage_run_progress(request: HttpRequest, scope: StaffScope, run_id: int) -> HttpResponse:
    """The progress of a run (polled by its page), then its summary."""
    found = selectors.usage_run_for_seller(seller=scope.seller, run_id=run_id)
    return render_staff(request, scope, T + "_progress.html", _progress(scope, found))
