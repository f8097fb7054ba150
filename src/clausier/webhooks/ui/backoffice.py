"""The seller's outgoing webhooks: endpoints (add, change, rotate the signing secret,
disable / enable, delete while unused) and the delivery log, with "renvoyer".

Thin: reads through ``webhooks.selectors``, writes through ``webhooks.services`` (atomic and
audited, never the secret). A signing secret is shown on the response that creates or
rotates it, and never again: it is not put in a message, a redirect or the audit trail.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from clausier.kernel.errors import DomainError
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit
from clausier.webhooks import domain
from clausier.webhooks import selectors as webhook_selectors
from clausier.webhooks import services as webhook_services
from clausier.webhooks.models import DeliveryStatus, WebhookEndpoint
from clausier.webhooks.presenters import decorated
from clausier.webhooks.ui import forms

RECENT_DELIVERIES = 10
DELIVERIES_PER_PAGE = 50


def _webhooks_page(
    request: HttpRequest,
    scope: StaffScope,
    *,
    form: forms.WebhookEndpointForm | None = None,
    secret: str = "",
    secret_endpoint=None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    endpoints = list(webhook_selectors.endpoints_with_stats(seller=scope.seller))
    recent = [
        decorated(d)
        for d in webhook_selectors.deliveries_for_seller(seller=scope.seller)[:RECENT_DELIVERIES]
    ]
    return render_staff(
        request,
        scope,
        "webhooks/backoffice/webhooks.html",
        {
            "endpoints": endpoints,
            "recent": recent,
            "form": form or forms.WebhookEndpointForm(),
            "secret": secret,
            "secret_endpoint": secret_endpoint,
            "error": error,
            "event_labels": forms.EVENT_LABELS,
            "max_attempts": domain.MAX_ATTEMPTS,
        },
        status=status,
    )


def _endpoint(scope: StaffScope, endpoint_id: int) -> WebhookEndpoint:
    """One of the seller's endpoints; another seller's is a 404."""
    return webhook_selectors.endpoint_for_seller(seller=scope.seller, endpoint_id=endpoint_id)


def _to_webhooks(scope: StaffScope) -> HttpResponse:
    return redirect("backoffice:webhooks", slug=scope.seller.slug)


@staff_view("webhooks.view")
def webhooks(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return _webhooks_page(request, scope)


@staff_action("webhooks.manage")
def webhook_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.WebhookEndpointForm(request.POST)
    done = submit(
        form,
        lambda data: webhook_services.create_endpoint(
            seller=scope.seller,
            url=data["url"],
            description=data["description"],
            events=data["events"],
            by=request.user,
        ),
    )
    if done.ok:
        endpoint = done.result
        # The secret is on this response only: never stored elsewhere, never redirected to.
        return _webhooks_page(
            request, scope, secret=endpoint.secret, secret_endpoint=endpoint, status=201
        )
    return _webhooks_page(request, scope, form=form, status=400)


@staff_view("webhooks.manage")
def webhook_edit(request: HttpRequest, scope: StaffScope, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(scope, endpoint_id)
    status = 200
    if request.method == "POST":
        form = forms.WebhookEndpointForm(request.POST)
        done = submit(
            form,
            lambda data: webhook_services.update_endpoint(
                endpoint=endpoint, fields=dict(data), by=request.user
            ),
        )
        if done.ok:
            messages.success(request, _("Destination %(url)s modifiée.") % {"url": endpoint})
            return _to_webhooks(scope)
        status = 400
    else:
        form = forms.WebhookEndpointForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "events": endpoint.events,
            }
        )
    return render_staff(
        request,
        scope,
        "webhooks/backoffice/edit.html",
        {"endpoint": endpoint, "form": form},
        status=status,
    )


@staff_action("webhooks.manage")
def webhook_rotate(request: HttpRequest, scope: StaffScope, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(scope, endpoint_id)
    endpoint = webhook_services.rotate_secret(endpoint=endpoint, by=request.user)
    return _webhooks_page(request, scope, secret=endpoint.secret, secret_endpoint=endpoint)


@staff_action("webhooks.manage")
def webhook_active(request: HttpRequest, scope: StaffScope, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(scope, endpoint_id)
    active = request.POST.get("active") == "1"
    webhook_services.update_endpoint(endpoint=endpoint, fields={"active": active}, by=request.user)
    if active:
        text = _("Destination %(url)s réactivée : elle reçoit de nouveau ses événements.")
    else:
        text = _(
            "Destination %(url)s désactivée : elle ne reçoit plus rien, et ses envois en "
            "attente échoueront à leur prochaine tentative."
        )
    messages.success(request, text % {"url": endpoint.url})
    return _to_webhooks(scope)


@staff_action("webhooks.manage")
def webhook_delete(request: HttpRequest, scope: StaffScope, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(scope, endpoint_id)
    try:
        webhook_services.delete_endpoint(endpoint=endpoint, by=request.user)
    except DomainError as exc:  # it has a delivery log to keep
        return _webhooks_page(request, scope, error=str(exc), status=409)
    messages.success(request, _("Destination %(url)s supprimée.") % {"url": endpoint.url})
    return _to_webhooks(scope)


@staff_view("webhooks.view")
def webhook_deliveries(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    endpoints = list(webhook_selectors.endpoints_for_seller(seller=scope.seller))
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    event = request.GET.get("event", "")
    if event not in domain.EVENT_TYPES:
        event = ""
    endpoint_id = request.GET.get("endpoint", "")
    if not any(str(e.pk) == endpoint_id for e in endpoints):
        endpoint_id = ""
    deliveries = webhook_selectors.deliveries_for_seller(
        seller=scope.seller,
        status=status or None,
        event_type=event or None,
        endpoint_id=int(endpoint_id) if endpoint_id else None,
    )
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    for delivery in page.object_list:
        decorated(delivery)
    return render_staff(
        request,
        scope,
        "webhooks/backoffice/deliveries.html",
        {
            "page": page,
            "statuses": DeliveryStatus.choices,
            "event_choices": [(event, event) for event in domain.EVENT_TYPES],
            "endpoint_choices": [(str(e.pk), e.url) for e in endpoints],
            "status": status,
            "event": event,
            "endpoint_id": endpoint_id,
            "filtered": bool(status or event or endpoint_id),
        },
    )


def _delivery_page(
    request: HttpRequest, scope: StaffScope, delivery, *, error: str = "", status: int = 200
) -> HttpResponse:
    delivery = decorated(delivery)
    return render_staff(
        request,
        scope,
        "webhooks/backoffice/delivery.html",
        {
            "delivery": delivery,
            "attempts": list(delivery.attempt_log.all()),
            "payload": json.dumps(delivery.payload, ensure_ascii=False, indent=2),
            "max_attempts": domain.MAX_ATTEMPTS,
            "error": error,
        },
        status=status,
    )


@staff_view("webhooks.view")
def webhook_delivery(request: HttpRequest, scope: StaffScope, delivery_id: int) -> HttpResponse:
    delivery = webhook_selectors.delivery_for_seller(seller=scope.seller, delivery_id=delivery_id)
    return _delivery_page(request, scope, delivery)


@staff_action("webhooks.retry")
def webhook_retry(request: HttpRequest, scope: StaffScope, delivery_id: int) -> HttpResponse:
    delivery = webhook_selectors.delivery_for_seller(seller=scope.seller, delivery_id=delivery_id)
    try:
        webhook_services.retry_delivery(delivery=delivery, by=request.user)
    except DomainError as exc:  # delivered already, endpoint disabled, attempt in flight
        return _delivery_page(request, scope, delivery, error=str(exc), status=409)
    messages.success(
        request,
        _("Envoi %(msg_id)s relancé : une tentative part maintenant.")
        % {"msg_id": delivery.msg_id},
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("backoffice:webhook_delivery", slug=scope.seller.slug, delivery_id=delivery.pk)
