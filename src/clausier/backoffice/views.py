"""Staff screens. Thin: resolve the scope (``access.staff_view``), read through selectors,
write through services, render. Every figure that needs one carries a "pourquoi ?"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clausier.api import selectors as api_selectors
from clausier.api import services as api_services
from clausier.audit.selectors import events_for_seller
from clausier.audit.sentences import verb_label
from clausier.backoffice import forms
from clausier.contracts import selectors as contract_selectors
from clausier.customers import selectors as customer_selectors
from clausier.customers.models import ClientKind
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.ui.forms import OWED
from clausier.orders import selectors as order_selectors
from clausier.orders.models import OrderStatus
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.models import Seller
from clausier.sellers.selectors import StaffScope, sellers_for_user
from clausier.terms import selectors as terms_selectors
from clausier.web import charts
from clausier.web.forms import posted, submit
from clausier.web.presenters import finding_counts

EVENTS_PER_PAGE = 50
# --- seller switcher and home ----------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    sellers = list(sellers_for_user(user=request.user))
    if len(sellers) == 1:
        return redirect("backoffice:home", slug=sellers[0].slug)
    if not sellers:
        return render(request, "web/no_access.html", status=403)
    return render(request, "backoffice/index.html", {"sellers": sellers})


@staff_view()
def home(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    seller = scope.seller
    by_kind = dict(
        customer_selectors.clients_for_scope(scope=scope)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    today = timezone.localdate()
    published = terms_selectors.current_version(seller=seller)
    findings = terms_selectors.lint_version(version=published, on=today) if published else []
    events = _trail(scope)[:10] if scope.can("audit.view") else []
    deposits = None
    if scope.can("orders.view"):
        deposits = (
            order_selectors.orders_for_seller(seller=seller, status=OrderStatus.AWAITING_DEPOSIT)
            .order_by()
            .aggregate(count=Count("id"), amount=Sum("deposit__amount", default=Decimal("0.00")))
        )
    pipeline = None
    if scope.can("quotes.view") and deposits is not None:
        pipeline = quote_selectors.visible_to(scope=scope, status=QuoteStatus.SENT).aggregate(
            awaiting=Count("id"),
            expiring=Count(
                "id",
                filter=Q(valid_until__gte=today, valid_until__lte=today + timedelta(days=7)),
            ),
        ) | {
            "awaiting_deposit": deposits["count"],
            "late_executions": order_selectors.count_late_executions(seller=seller, today=today),
        }
    return render_staff(
        request,
        scope,
        "backoffice/home.html",
        {
            "kinds": [(value, label, by_kind.get(value, 0)) for value, label in ClientKind.choices],
            "clients_total": sum(by_kind.values()),
            "published": published,
            "counts": finding_counts(findings),
            "today": today,
            "events": events,
            "pipeline": pipeline,
            "deposits": deposits,
            **(_money(seller, today) if scope.can("invoices.view") else {}),
        },
    )


def _invoices_url(seller: Seller, **filters) -> str:
    """The invoice list narrowed to ``filters`` (its filter form's names), as a link."""
    query = urlencode({k: v.isoformat() if isinstance(v, date) else v for k, v in filters.items()})
    return f"{reverse('backoffice:invoices', kwargs={'slug': seller.slug})}?{query}"


def _money(seller: Seller, today: date) -> dict:
    """The home's money section: the figures, the lists behind them, the 12-month chart."""
    figures = invoice_selectors.seller_figures(seller=seller, today=today)

    def revenue_url(start: date, end: date) -> str:
        return _invoices_url(seller, status="issued", revenue=1, date_from=start, date_to=end)

    points = [
        charts.Point(
            label=date_format(m.month, "M"),
            title=date_format(m.month, "F Y"),
            value=m.ht,
            href=revenue_url(m.month, _month_end(m.month)),
        )
        for m in figures.months
    ]
    return {
        "money": figures,
        "money_links": {
            "month": revenue_url(figures.month_start, today),
            "year": revenue_url(figures.year_start, today),
            "outstanding": _invoices_url(seller, payment=OWED, sort="due_date"),
            "overdue": _invoices_url(seller, overdue=1, sort="due_date"),
        },
        "chart": charts.bar_chart(points),
        "chart_first": figures.months[0].month,
    }


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


# --- clients ---------------------------------------------------------------------------------


# --- terms -----------------------------------------------------------------------------------


# --- audit and API ---------------------------------------------------------------------------


def _trail(scope: StaffScope):
    """The seller's audit trail as ``scope`` may read it: without the events of the
    confidential quotes and contracts it is not named on (seed 002 art. 9)."""
    return events_for_seller(
        seller=scope.seller,
        hidden=(
            quote_selectors.confidential_hidden_from(scope=scope),
            contract_selectors.confidential_hidden_from(scope=scope),
        ),
    )


@staff_view("audit.view")
def audit(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    events = _trail(scope)
    verbs = sorted(set(events.order_by().values_list("verb", flat=True).distinct()))
    verb = request.GET.get("verb", "")
    if verb in verbs:
        events = events.filter(verb=verb)
    else:
        verb = ""
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_staff(
        request,
        scope,
        "backoffice/audit.html",
        {"page": page, "verb_choices": [(v, verb_label(v)) for v in verbs], "verb": verb},
    )


@staff_view("api_tokens.manage")
def api_tokens(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.ApiTokenForm(posted(request))
    done = submit(
        form,
        lambda data: api_services.create_token(
            seller=scope.seller, name=data["name"], by=request.user
        ),
    )
    secret = None
    if done.ok:
        _token, secret = done.result
        # The secret is shown on this response only: never stored, never redirected to.
        form = forms.ApiTokenForm()
    tokens = api_selectors.tokens_for_seller(seller=scope.seller)
    return render_staff(
        request,
        scope,
        "backoffice/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=done.status,
    )


@staff_action("api_tokens.manage")
def api_token_revoke(request: HttpRequest, scope: StaffScope, token_id: int) -> HttpResponse:
    token = api_selectors.tokens_for_seller(seller=scope.seller).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_services.revoke_token(token=token, by=request.user)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("backoffice:api_tokens", slug=scope.seller.slug)
