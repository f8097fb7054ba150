"""Staff screens. Thin: resolve the scope (``access.staff_view``), read through selectors,
write through services, render. Every figure that needs one carries a "pourquoi ?"."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.api import selectors as api_selectors
from clausier.api import services as api_services
from clausier.audit.selectors import events_for_seller
from clausier.audit.sentences import verb_label
from clausier.backoffice import forms
from clausier.customers import selectors as customer_selectors
from clausier.customers.models import ClientKind
from clausier.orders import selectors as order_selectors
from clausier.orders.models import OrderStatus
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope, sellers_for_user
from clausier.terms import selectors as terms_selectors
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
    events = events_for_seller(seller=seller)[:10] if scope.can("audit.view") else []
    pipeline = None
    if scope.can("quotes.view") and scope.can("orders.view"):
        pipeline = quote_selectors.quotes_for_seller(
            seller=seller, status=QuoteStatus.SENT
        ).aggregate(
            awaiting=Count("id"),
            expiring=Count(
                "id",
                filter=Q(valid_until__gte=today, valid_until__lte=today + timedelta(days=7)),
            ),
        ) | {
            "awaiting_deposit": order_selectors.orders_for_seller(
                seller=seller, status=OrderStatus.AWAITING_DEPOSIT
            ).count(),
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
        },
    )


# --- clients ---------------------------------------------------------------------------------


# --- terms -----------------------------------------------------------------------------------


# --- audit and API ---------------------------------------------------------------------------


@staff_view("audit.view")
def audit(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    events = events_for_seller(seller=scope.seller)
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
    form = forms.ApiTokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, secret = api_services.create_token(
                seller=scope.seller, name=form.cleaned_data["name"], by=request.user
            )
            # The secret is shown on this response only: never stored, never redirected to.
            form = forms.ApiTokenForm()
        else:
            status = 400
    tokens = api_selectors.tokens_for_seller(seller=scope.seller)
    return render_staff(
        request,
        scope,
        "backoffice/api_tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=status,
    )


@staff_action("api_tokens.manage")
def api_token_revoke(request: HttpRequest, scope: StaffScope, token_id: int) -> HttpResponse:
    token = api_selectors.tokens_for_seller(seller=scope.seller).filter(pk=token_id).first()
    if token is None:
        raise Http404
    api_services.revoke_token(token=token, by=request.user)
    messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    return redirect("backoffice:api_tokens", slug=scope.seller.slug)
