"""Staff screens of orders (the pipeline board, the order page and its actions, the late
executions). Thin: read through ``orders.selectors``, write through ``orders.services``; a
refusal (art. 5: no work before the deposit; a state that cannot be cancelled) is shown in
the service's words.

The order page shows the payment forms (deposit cashed; an online order's payment received or
failed), whose actions are the payments domain's (``payments.ui.backoffice``, same URL
names); online orders get service activation here (the ``service.activate`` webhook)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clausier.audit.selectors import events_for_object
from clausier.kernel.errors import DomainError
from clausier.orders import domain as order_domain
from clausier.orders import presenters as order_presenters
from clausier.orders import selectors as order_selectors
from clausier.orders import services as order_services
from clausier.orders import transitions as ot
from clausier.orders.models import OrderStatus
from clausier.orders.ui import forms as order_forms
from clausier.quotes import selectors as quote_selectors
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit
from clausier.webhooks import selectors as webhook_selectors
from clausier.webhooks.presenters import decorated

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
    ot.WITHDRAWN,
]
ALWAYS_SHOWN = frozenset({ot.AWAITING_DEPOSIT, ot.READY, ot.IN_PROGRESS})
CLOSED_STATES = (ot.COMPLETED, ot.CANCELLED, ot.WITHDRAWN)
CLOSED_SHOWN = 10


# --- orders ----------------------------------------------------------------------------------


@staff_view("orders.view")
def orders(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    today = timezone.localdate()
    base = order_selectors.order_list(scope=scope, filters=order_selectors.OrderFilters(search=q))
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
        "orders/backoffice/list.html",
        {
            "today": today,
            "late_count": order_selectors.count_late_executions(seller=scope.seller, today=today),
            "columns": columns,
            "q": q,
            "total": sum(counts.values()),
            "closed_shown": CLOSED_SHOWN,
        },
    )


def _execution(order) -> dict | None:
    """The execution deadline of a paid online order for the page: the date, its
    "pourquoi ?" (the explanation without the sentence and the article, given apart) and
    whether it has passed without the service started."""
    if order.execution_deadline is None:
        return None
    why, article, explanation = order_domain.execution_parts(
        order.execution_deadline_explanation or {}
    )
    return {
        "deadline": order.execution_deadline,
        "why": why,
        "article": article,
        "explained": explanation,
        "late": order.status == ot.PAID and order.execution_deadline < timezone.localdate(),
    }


def _cancellable(order) -> bool:
    return ot.CANCELLED in ot.TRANSITIONS.get(order.status, ())


def _on_failure_cancels(order) -> bool:
    parameters = (order.payment_terms or {}).get("parameters") or {}
    return parameters.get("on_failure") == "cancel_order"


def _order_page(
    request: HttpRequest,
    scope: StaffScope,
    order,
    *,
    deposit_form: order_forms.DepositCashedForm | None = None,
    cancel_form: order_forms.CancelOrderForm | None = None,
    payment_form: order_forms.PaymentReceivedForm | None = None,
    failure_form: order_forms.PaymentFailureForm | None = None,
    start_error: str = "",
    status: int = 200,
) -> HttpResponse:
    deposit = getattr(order, "deposit", None)
    online = order.quote_id is None
    deliveries = []
    if online and scope.can("webhooks.view"):
        deliveries = [
            decorated(delivery)
            for delivery in webhook_selectors.deliveries_for_seller(
                seller=scope.seller, subject=f"order:{order.pk}"
            )[:10]
        ]
    return render_staff(
        request,
        scope,
        "orders/backoffice/detail.html",
        {
            "order": order,
            "quote_hidden": quote_selectors.hidden_from(scope=scope, quote_id=order.quote_id),
            "reason": order_selectors.waiting_reason(order=order),
            "lines": order_presenters.line_rows(order),
            "deposit": deposit,
            "deposit_open": deposit is not None and deposit.status in (ot.REQUESTED, ot.INVOICED),
            "deposit_form": deposit_form or order_forms.DepositCashedForm(),
            "can_start": order.status in (ot.AWAITING_DEPOSIT, ot.READY),
            "start_error": start_error,
            "online": online,
            "execution": _execution(order) if online else None,
            "payment_method": order_forms.PAYMENT_METHODS.get(
                order.payment_provider, order.payment_provider
            ),
            "can_validate": online and order.status == ot.CONFIRMED,
            "can_pay": online and order.status == ot.AWAITING_PAYMENT,
            "can_fail": online and order.status in (ot.AWAITING_PAYMENT, ot.PAID),
            "can_activate": online and order.status == ot.PAID,
            "failure_cancels": _on_failure_cancels(order),
            "payment_clause": order.payment_terms or {},
            "payment_form": payment_form or order_forms.PaymentReceivedForm(order=order),
            "failure_form": failure_form or order_forms.PaymentFailureForm(order=order),
            "cancellable": _cancellable(order),
            "cancel_form": cancel_form or order_forms.CancelOrderForm(),
            "deliveries": deliveries,
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


@staff_action("orders.edit")
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


@staff_action("orders.cancel")
def order_cancel(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    form = order_forms.CancelOrderForm(request.POST)
    # A state that cannot be cancelled: the service says why (409).
    done = submit(
        form,
        lambda data: order_services.cancel_order(
            order=order, reason=data["reason"], by=request.user
        ),
    )
    if not done.ok:
        return _order_page(request, scope, order, cancel_form=form, status=done.status)
    messages.success(request, _("Commande %(reference)s annulée.") % {"reference": order.reference})
    return _to_order(scope, done.result)


@staff_action("orders.edit")
def order_validate(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    try:
        order = order_services.validate_order(order=order, by=request.user)
    except DomainError as exc:
        return _order_page(request, scope, order, start_error=str(exc), status=409)
    messages.success(
        request,
        _("Commande %(reference)s validée : elle attend le paiement du client.")
        % {"reference": order.reference},
    )
    return _to_order(scope, order)


@staff_action("orders.edit")
def order_activate(request: HttpRequest, scope: StaffScope, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_seller(seller=scope.seller, order_id=order_id)
    try:
        order = order_services.activate_service(order=order, by=request.user)
    except DomainError as exc:
        return _order_page(request, scope, order, start_error=str(exc), status=409)
    event = order_services.ACTIVATE_EVENT
    sent = webhook_selectors.deliveries_for_seller(
        seller=scope.seller, subject=f"order:{order.pk}", event_type=event
    ).count()
    if sent:
        messages.success(
            request,
            ngettext(
                "Service de la commande %(reference)s activé : le webhook %(event)s part vers "
                "%(n)s destination.",
                "Service de la commande %(reference)s activé : le webhook %(event)s part vers "
                "%(n)s destinations.",
                sent,
            )
            % {"reference": order.reference, "event": event, "n": sent},
        )
    else:
        messages.warning(
            request,
            _(
                "Service de la commande %(reference)s activé, mais aucune destination de "
                "webhooks ne reçoit %(event)s : la plateforme n'en est pas avertie."
            )
            % {"reference": order.reference, "event": event},
        )
    return _to_order(scope, order)


@staff_view("orders.view")
def orders_late(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Art. 8 of the PaaS host: paid orders whose service has not started by the deadline
    (7 jours ouvrés after the payment's receipt), oldest deadline first."""
    today = timezone.localdate()
    rows = []
    for item in order_selectors.late_executions(seller=scope.seller, today=today):
        why, article, explained = order_domain.execution_parts(item.explanation)
        rows.append(
            {
                "order": item.order,
                "deadline": item.deadline,
                "days_late": (today - item.deadline).days,
                "why": why,
                "article": article,
                "explained": explained,
            }
        )
    return render_staff(
        request,
        scope,
        "orders/backoffice/late_executions.html",
        {"rows": rows, "today": today},
    )
