"""Staff screens of orders (the pipeline board and the order page) and of the catalog.
Thin: read through ``orders.selectors`` / ``catalog.selectors``, write through
``orders.services``; a refusal (art. 5: no work before the deposit) is shown in its words."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clausier.audit.selectors import events_for_object
from clausier.backoffice import forms_quotes as forms
from clausier.backoffice.access import render_staff, staff_view
from clausier.catalog import domain as catalog_domain
from clausier.catalog import selectors as catalog_selectors
from clausier.errors import DomainError
from clausier.orders import selectors as order_selectors
from clausier.orders import services as order_services
from clausier.orders import transitions as ot
from clausier.orders.models import OrderStatus
from clausier.quotes.models import LineUnit
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import add_service_errors

# The board's columns, in the order work flows. The agency's three first columns are always
# shown (they are where the day's work is); the others only when an order is in them.
BOARD_STATES = [
    ot.AWAITING_DEPOSIT,
    ot.READY,
    ot.IN_PROGRESS,
    ot.DRAFT,
    ot.CONFIRMED,
    ot.AWAITING_PAYMENT,
    ot.PAID,
    ot.ACTIVE,
    ot.COMPLETED,
    ot.CANCELLED,
]
ALWAYS_SHOWN = frozenset({ot.AWAITING_DEPOSIT, ot.READY, ot.IN_PROGRESS})
CLOSED_STATES = (ot.COMPLETED, ot.CANCELLED)
CLOSED_SHOWN = 10
PRODUCTS_PER_PAGE = 50


# --- orders ----------------------------------------------------------------------------------


@staff_view("orders.view")
def orders(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    base = order_selectors.orders_for_seller(seller=scope.seller)
    if q:
        base = base.filter(Q(reference__icontains=q) | Q(client__name__icontains=q))
    counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    cards: dict[str, list] = {state: [] for state in BOARD_STATES}
    for order in base.exclude(status__in=CLOSED_STATES):
        cards.setdefault(order.status, []).append(
            (order, order_selectors.waiting_reason(order=order))
        )
    for state in CLOSED_STATES:
        if counts.get(state):
            cards[state] = [
                (order, order_selectors.waiting_reason(order=order))
                for order in base.filter(status=state)[:CLOSED_SHOWN]
            ]
    labels = dict(OrderStatus.choices)
    columns = [
        {
            "state": state,
            "label": labels.get(state, state),
            "cards": cards.get(state, []),
            "count": counts.get(state, 0),
            "closed": state in CLOSED_STATES,
        }
        for state in BOARD_STATES
        if state in ALWAYS_SHOWN or counts.get(state)
    ]
    return render_staff(
        request,
        scope,
        "backoffice/orders.html",
        {
            "columns": columns,
            "q": q,
            "total": sum(counts.values()),
            "closed_shown": CLOSED_SHOWN,
        },
    )


def _order_page(
    request: HttpRequest,
    scope: StaffScope,
    order,
    *,
    deposit_form: forms.DepositCashedForm | None = None,
    start_error: str = "",
    status: int = 200,
) -> HttpResponse:
    deposit = getattr(order, "deposit", None)
    lines = list(order.lines.all())
    units = dict(LineUnit.choices)
    for line in lines:
        line.unit_label = units.get(line.unit, line.unit)
    return render_staff(
        request,
        scope,
        "backoffice/order_detail.html",
        {
            "order": order,
            "reason": order_selectors.waiting_reason(order=order),
            "lines": lines,
            "deposit": deposit,
            "deposit_open": deposit is not None and deposit.status in (ot.REQUESTED, ot.INVOICED),
            "deposit_form": deposit_form or forms.DepositCashedForm(),
            "can_start": order.status in (ot.AWAITING_DEPOSIT, ot.READY),
            "start_error": start_error,
            "events": events_for_object(obj=order)[:30] if scope.can("audit.view") else [],
        },
        status=status,
    )


@staff_view("orders.view")
def order(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    return _order_page(request, scope, order)


def _to_order(scope: StaffScope, order) -> HttpResponse:
    return redirect("backoffice:order", slug=scope.seller.slug, order_id=order.pk)


@require_POST
@staff_view("orders.edit")
def order_deposit_cashed(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    form = forms.DepositCashedForm(request.POST)
    if form.is_valid():
        try:
            order = order_services.record_deposit_cashed(
                order=order, cashed_on=form.cleaned_data["cashed_on"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Acompte de la commande %(reference)s encaissé : les travaux peuvent commencer.")
                % {"reference": order.reference},
            )
            return _to_order(scope, order)
    return _order_page(request, scope, order, deposit_form=form, status=400)


@require_POST
@staff_view("orders.edit")
def order_start(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    try:
        order = order_services.start_work(order=order, by=request.user)
    except DomainError as exc:  # WorkCannotStart says which clause holds the work back
        return _order_page(request, scope, order, start_error=str(exc), status=409)
    messages.success(
        request,
        _("Travaux démarrés sur la commande %(reference)s.") % {"reference": order.reference},
    )
    return _to_order(scope, order)


# --- catalog ---------------------------------------------------------------------------------


@staff_view("catalog.view")
def catalog(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    archived = request.GET.get("archived") == "1"
    products = catalog_selectors.products_for_seller(
        seller=scope.seller, q=q, active_only=not archived, archived_only=archived
    ).order_by("name", "id")
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    show_ttc = catalog_selectors.shows_ttc(seller=scope.seller)
    rows = []
    for product in page.object_list:
        ht = product.current_price_ht
        ttc = None
        if ht is not None and show_ttc:
            ttc = catalog_domain.price_ttc(
                unit_price_ht=catalog_domain.tidy(Decimal(ht)),
                vat_rate=catalog_domain.tidy(product.vat_rate),
            )
        rows.append(
            {
                "product": product,
                "unit": catalog_domain.unit_label(product.unit, product.metered_unit),
                "ht": catalog_domain.tidy(Decimal(ht)) if ht is not None else None,
                "ttc": ttc,
            }
        )
    return render_staff(
        request,
        scope,
        "backoffice/catalog.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "archived": archived,
            "show_ttc": show_ttc,
            "filtered": bool(q),
        },
    )
